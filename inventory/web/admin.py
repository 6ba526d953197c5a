"""Admin pages for reference data: category periods, models, sites, locations, business
units and users."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from sqlmodel import col, select

from .. import db
from ..domain.capitalisation import Rule
from ..domain.errors import ValidationFailed
from ..domain.money import format_sek, parse_sek
from ..domain.numbers import parse_whole
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Owner
from ..services import capitalisation, cost_keys, owners, reference, service_objects, users
from ..services import job_runs as job_service
from ..services.access import require_unscoped_admin
from .access import requires
from .forms import (
    BusinessUnitForm,
    CategoryForm,
    LocationForm,
    ModelForm,
    SiteForm,
    UserForm,
    cost_key_form,
)
from .helpers import flash_errors, now, parse_id, show_errors, today
from .i18n import gettext
from .job_words import job_title

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _form_page(form: Any, title: str) -> Any:
    status = 200 if request.method == "GET" else 422
    return render_template("admin/form.html", form=form, title=title), status


def _saved(endpoint: str) -> Any:
    flash(gettext("Saved."), "success")
    return redirect(url_for(endpoint))


@bp.route("/")
@requires(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "admin/index.html",
        jobs=job_service.may_run_jobs(current_user),
        cost_keys=cost_keys.may_change_keys(current_user),
        owners=owners.may_manage(current_user),
    )


# --- categories -------------------------------------------------------------------------


@bp.route("/categories")
@requires(Role.ADMIN)
def categories():  # type: ignore[no-untyped-def]
    s = db.session()
    rows = reference.list_categories(s, actor=current_user)
    objects = {o.id: o.name for o in service_objects.ordered(s)}
    table = [
        (
            url_for("admin.category_edit", item_id=c.id),
            [c.slug, c.name, c.depreciation_months, c.target_lifespan_months, c.horizon_months,
             objects.get(c.service_object_id, "") if c.service_object_id else ""],
        )
        for c in rows
    ]  # fmt: skip
    return render_template(
        "admin/list.html",
        title=_l("Categories"),
        rows=table,
        new_url=None,
        headers=[
            _l("Code"),
            _l("Name"),
            _l("Depreciation (months)"),
            _l("Target lifespan (months)"),
            _l("Horizon (months)"),
            _l("Service object"),
        ],
    )


@bp.route("/categories/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def category_edit(item_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    category = reference.get_category(s, actor=current_user, category_id=item_id)
    form = CategoryForm(obj=category)
    form.service_object_id.choices = [("", gettext("None"))] + [
        (str(o.id), o.name) for o in service_objects.ordered(s)
    ]
    if request.method == "GET":
        form.service_object_id.data = str(category.service_object_id or "")
    if form.validate_on_submit():
        try:
            reference.update_category(
                s,
                actor=current_user,
                category=category,
                name=form.name.data,
                depreciation_months=form.depreciation_months.data,
                target_lifespan_months=form.target_lifespan_months.data,
                horizon_months=form.horizon_months.data,
                today=today(),
                service_object_id=parse_id(form.service_object_id.data),
            )
            return _saved("admin.categories")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("Category: %(name)s", name=category.name))


# --- models -----------------------------------------------------------------------------


@bp.route("/models")
@requires(Role.ADMIN)
def models():  # type: ignore[no-untyped-def]
    table = [
        (
            url_for("admin.model_edit", item_id=row.model.id),
            [
                row.category,
                row.manufacturer,
                row.model.name,
                format_sek(row.model.standard_price_ore) if row.model.standard_price_ore else "",
                row.model.end_of_support or "",
                row.model.carbon_kg or "",
            ],
        )
        for row in reference.list_models(db.session(), actor=current_user)
    ]
    return render_template(
        "admin/list.html",
        title=_l("Models"),
        rows=table,
        new_url=url_for("admin.model_edit"),
        headers=[
            _l("Category"),
            _l("Manufacturer"),
            _l("Model"),
            _l("Standard price"),
            _l("End of support"),
            _l("kg CO2e"),
        ],
    )


@bp.route("/models/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/models/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def model_edit(item_id: int | None):  # type: ignore[no-untyped-def]
    s = db.session()
    model, maker = (
        reference.get_model(s, actor=current_user, model_id=item_id) if item_id else (None, "")
    )
    form = ModelForm(obj=model)
    form.category_id.choices = [
        (c.id, c.name) for c in reference.list_categories(s, actor=current_user)
    ]
    if request.method == "GET" and model is not None:
        form.manufacturer.data = maker
        price = model.standard_price_ore
        form.standard_price.data = format_sek(price).removesuffix("\u00a0kr") if price else ""
    if form.validate_on_submit():
        try:
            price_text = (form.standard_price.data or "").strip()
            reference.save_model(
                s,
                actor=current_user,
                model=model,
                manufacturer=form.manufacturer.data,
                name=form.name.data,
                category_id=form.category_id.data,
                standard_price_ore=parse_sek(price_text, field="standard_price")
                if price_text
                else None,
                end_of_support=form.end_of_support.data,
                carbon_kg=form.carbon_kg.data,
                now=now(),
                today=today(),
            )
            return _saved("admin.models")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("Model"))


# --- sites and locations ----------------------------------------------------------------


@bp.route("/sites")
@requires(Role.ADMIN)
def sites():  # type: ignore[no-untyped-def]
    table = [
        (
            url_for("admin.site_edit", item_id=row.site.id),
            [row.site.name, row.site.address or "", row.owner],
        )
        for row in reference.list_sites(db.session(), actor=current_user)
    ]
    return render_template(
        "admin/list.html",
        title=_l("Sites"),
        rows=table,
        new_url=url_for("admin.site_edit"),
        headers=[_l("Site"), _l("Address"), _l("Owner")],
    )


@bp.route("/sites/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/sites/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def site_edit(item_id: int | None):  # type: ignore[no-untyped-def]
    s = db.session()
    site = reference.get_site(s, actor=current_user, site_id=item_id) if item_id else None
    form = SiteForm(obj=site)
    form.owner_id.choices = [("", "—"), *reference.owner_choices(s, actor=current_user)]
    if form.validate_on_submit():
        try:
            reference.save_site(
                s,
                actor=current_user,
                site=site,
                name=form.name.data,
                address=form.address.data or "",
                owner_id=form.owner_id.data,
            )
            return _saved("admin.sites")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("Site"))


@bp.route("/locations")
@requires(Role.ADMIN)
def locations():  # type: ignore[no-untyped-def]
    table = [
        (
            url_for("admin.location_edit", item_id=row.location.id),
            [
                row.name,
                gettext("Yes") if row.location.is_server_hall else "",
                gettext("Yes") if row.location.is_it_storage else "",
            ],
        )
        for row in reference.list_locations(db.session(), actor=current_user)
    ]
    return render_template(
        "admin/list.html",
        title=_l("Locations"),
        rows=table,
        new_url=url_for("admin.location_edit"),
        headers=[_l("Location"), _l("Server hall"), _l("IT storage")],
    )


@bp.route("/locations/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/locations/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def location_edit(item_id: int | None):  # type: ignore[no-untyped-def]
    s = db.session()
    location = (
        reference.get_location(s, actor=current_user, location_id=item_id) if item_id else None
    )
    form = LocationForm(obj=location)
    form.site_id.choices = reference.site_choices(s, actor=current_user)
    if form.validate_on_submit():
        try:
            reference.save_location(
                s,
                actor=current_user,
                location=location,
                site_id=form.site_id.data,
                building=form.building.data or "",
                room=form.room.data or "",
                is_server_hall=form.is_server_hall.data,
                is_it_storage=form.is_it_storage.data,
            )
            return _saved("admin.locations")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("Location"))


# --- business units ---------------------------------------------------------------------


@bp.route("/units")
@requires(Role.ADMIN)
def units():  # type: ignore[no-untyped-def]
    table = [
        (url_for("admin.unit_edit", item_id=row.unit.id), [row.owner, row.unit.name])
        for row in reference.list_units(db.session(), actor=current_user)
    ]
    return render_template(
        "admin/list.html",
        title=_l("Business units"),
        rows=table,
        new_url=url_for("admin.unit_edit"),
        headers=[_l("Owner"), _l("Business unit")],
    )


@bp.route("/units/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/units/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def unit_edit(item_id: int | None):  # type: ignore[no-untyped-def]
    s = db.session()
    unit = reference.get_unit(s, actor=current_user, unit_id=item_id) if item_id else None
    form = BusinessUnitForm(obj=unit)
    form.owner_id.choices = reference.owner_choices(s, actor=current_user)
    if form.validate_on_submit():
        try:
            reference.save_business_unit(
                s, actor=current_user, unit=unit, owner_id=form.owner_id.data, name=form.name.data
            )
            return _saved("admin.units")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("Business unit"))


# --- users ------------------------------------------------------------------------------


@bp.route("/users")
@requires(Role.ADMIN)
def user_list():  # type: ignore[no-untyped-def]
    s = db.session()
    owners = dict(reference.owner_choices(s, actor=current_user))
    table = [
        (
            url_for("admin.user_edit", item_id=u.id),
            [
                u.email,
                u.name,
                gettext(u.role_enum.label),
                owners.get(u.owner_id, gettext("All")),
                gettext("Yes") if u.active else gettext("No"),
            ],
        )
        for u in users.list_users(s, actor=current_user)
    ]
    return render_template(
        "admin/list.html",
        title=_l("Users"),
        rows=table,
        new_url=url_for("admin.user_edit"),
        headers=[_l("E-mail"), _l("Name"), _l("Role"), _l("Limited to owner"), _l("Active")],
    )


@bp.route("/users/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/users/<int(max=2147483647):item_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def user_edit(item_id: int | None):  # type: ignore[no-untyped-def]
    s = db.session()
    user = users.get_user(s, actor=current_user, user_id=item_id) if item_id else None
    form = UserForm(obj=user)
    form.role.choices = [(r.value, gettext(r.label)) for r in Role]
    form.owner_id.choices = reference.owner_choices(s, actor=current_user)
    if users.in_scope_of_admin(current_user, None):  # may manage users of every owner
        form.owner_id.choices.insert(0, ("", gettext("All")))
    if user is not None:
        form.email.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            if user is None:
                users.create_user(
                    s,
                    actor=current_user,
                    email=form.email.data,
                    password=form.password.data or "",
                    role=form.role.data,
                    owner_id=form.owner_id.data,
                    name=form.name.data or "",
                )
            else:
                users.update_user(
                    s,
                    actor=current_user,
                    user=user,
                    role=form.role.data,
                    owner_id=form.owner_id.data,
                    active=form.active.data,
                    name=form.name.data or "",
                    password=form.password.data or "",
                )
                if user.id == current_user.id and user.active:
                    # A changed password ends the user's sessions; the one making the change
                    # goes on, with the new session version.
                    login_user(user)
            return _saved("admin.user_list")
        except ValidationFailed as exc:
            show_errors(form, exc)
    return _form_page(form, gettext("User"))


# --- cost keys ------------------------------------------------------------------------


@bp.route("/cost-keys", methods=["GET", "POST"])
@requires(Role.ADMIN)
def cost_key_list():  # type: ignore[no-untyped-def]
    """Every year's key, and a form to set one year's users per municipality. Only an admin
    for all owners (the service refuses a scoped admin with its reason, 403)."""
    s = db.session()
    keys = cost_keys.list_keys(s, actor=current_user)
    places = [(o.slug, o.name) for o in cost_keys.municipalities(s)]
    form = cost_key_form(places)
    if request.method == "GET":
        year = request.args.get("year", type=int) or current_app.config["INVENTORY"].split_on.year
        form.year.data = year
        shown = next((k for k in keys if k.year == year), None)
        for row in shown.rows if shown else ():
            field = getattr(form, f"users_{row.slug}", None)
            if field is not None:
                field.data = row.users
    if form.validate_on_submit():
        try:
            cost_keys.set_users(
                s,
                actor=current_user,
                year=form.year.data,
                users={slug: getattr(form, f"users_{slug}").data for slug, _ in places},
                now=now(),
            )
            return _saved("admin.cost_key_list")
        except ValidationFailed as exc:
            show_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template("admin/cost_keys.html", keys=keys, form=form), status


# --- capitalisation ---------------------------------------------------------------------


@bp.route("/capitalisation", methods=["GET", "POST"])
@requires(Role.ADMIN)
def capitalisation_page():  # type: ignore[no-untyped-def]
    """The prisbasbelopp per year and each owner's capitalisation rule, with a form for
    each. Only an admin for all owners reads and changes them (others: 403): they decide
    both municipalities' accounts."""
    require_unscoped_admin(current_user)
    s = db.session()
    owner_rows = list(s.exec(select(Owner).order_by(col(Owner.name))))
    status = 200
    if request.method == "POST":
        form = request.form
        try:
            if form.get("form") == "basbelopp":
                capitalisation.set_basbelopp(
                    s,
                    actor=current_user,
                    year=_whole(form.get("year"), "year"),
                    amount_ore=parse_sek(form.get("amount", ""), field="amount"),
                    now=now(),
                )
            else:
                owner = next((o for o in owner_rows if str(o.id) == form.get("owner")), None)
                if owner is None:
                    raise ValidationFailed({"owner": N_("Unknown owner.")})
                threshold = (form.get("threshold") or "").strip()
                capitalisation.set_rule(
                    s,
                    actor=current_user,
                    owner=owner,
                    rule=Rule(
                        threshold_ore=parse_sek(threshold, field="threshold")
                        if threshold
                        else None,
                        share_pbb=capitalisation.parse_share(form.get("share_pbb")),
                        min_months=_whole(form.get("min_months"), "min_months"),
                        by_order=form.get("by_order") == "1",
                    ),
                    now=now(),
                )
            return _saved("admin.capitalisation_page")
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
    return render_template(
        "admin/capitalisation.html",
        basbelopp=capitalisation.list_basbelopp(s),
        owners=[(o, capitalisation.rule_of(o)) for o in owner_rows],
        this_year=today().year,
    ), status


def _whole(raw: str | None, field: str) -> int:
    """A whole number typed into the page; an empty field is an error, not a zero."""
    try:
        number = parse_whole(raw, 0, 1_000_000)
    except ValueError:
        number = None
    if number is None:
        raise ValidationFailed({field: N_("Give a whole number.")})
    return number


# --- scheduled jobs ---------------------------------------------------------------------


@bp.route("/jobs")
@requires(Role.ADMIN)
def job_runs():  # type: ignore[no-untyped-def]
    runs = job_service.recent(db.session(), actor=current_user)
    return render_template(
        "admin/jobs.html",
        runs=runs,
        names=job_service.job_names(actor=current_user),
        running=any(r.outcome == "running" for r in runs),
    )


@bp.route("/jobs/<name>/run", methods=["POST"])
@requires(Role.ADMIN)
def job_run_now(name: str):  # type: ignore[no-untyped-def]
    job_service.start(
        db.engine(),
        actor=current_user,
        name=name,
        today=today(),
        settings=current_app.config["INVENTORY"],
    )
    flash(gettext("%(job)s started.", job=job_title(name)), "info")
    return redirect(url_for("admin.job_runs"))


# --- service objects ----------------------------------------------------------------------


@bp.route("/service-objects", methods=["GET", "POST"])
@requires(Role.ADMIN)
def service_objects_page():  # type: ignore[no-untyped-def]
    """The service objects the business units are invoiced for, with the devices and the
    categories of each; an admin for all owners adds, renames, orders and removes them."""
    s = db.session()
    status = 200
    if request.method == "POST":
        form = request.form
        try:
            object_id = parse_id(form.get("id"))
            if form.get("form") == "delete" and object_id is not None:
                service_objects.delete(s, actor=current_user, object_id=object_id, now=now())
            else:
                raw = (form.get("position") or "").strip()
                service_objects.save(
                    s, actor=current_user, name=form.get("name", ""), now=now(),
                    position=_whole(raw, "position") if raw else None, object_id=object_id,
                )  # fmt: skip
            return _saved("admin.service_objects_page")
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
    return render_template(
        "admin/service_objects.html",
        rows=service_objects.listing(s, actor=current_user),
        may_edit=current_user.owner_id is None,
    ), status
