"""The asset list, the asset page, and the forms that register, edit and move assets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from .. import db
from ..domain import attachments as file_rules
from ..domain.capitalisation import Decision
from ..domain.dates import parse_date
from ..domain.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from ..domain.field_actions import available as available_actions
from ..domain.life import life_story
from ..domain.lifecycle import Flag, LifecycleFacts
from ..domain.money import format_sek, parse_optional_sek, parse_sek
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status, allowed_disposal_kinds, allowed_targets
from ..domain.text import N_
from ..models import Asset
from ..schemas.asset import AssetInput
from ..services import asset_list, attachments, catalog, clock, tag_aliases
from ..services import assets as asset_service
from .access import requires
from .formatting import iso_date, picker_attributes
from .forms import AssetForm, TransitionForm
from .helpers import (
    AssetLinks,
    error_text,
    flash_errors,
    now,
    parse_id,
    show_errors,
    signed_in,
    today,
)
from .i18n import gettext, ngettext, translations

bp = Blueprint("assets", __name__, url_prefix="/assets")
FILTER_NAMES = ("owner", "category", "status", "site", "unit", "disposed")
EXPORT_FILTERS = (*FILTER_NAMES, "location", "flag", "q")
# The list counts matches up to this many; beyond it says "more than 10 000".
LIST_COUNT_LIMIT = 10_000


@bp.route("/")
@requires(Role.VIEWER)
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    user = signed_in()
    # A plain dict: a MultiDict raises (and catches) an exception for every name it lacks,
    # and the page asks for a dozen names, most of them not given.
    query = request.args.to_dict()
    try:
        flt = asset_list.parse_filter(query, hide_disposed=True)
        page = asset_list.list_assets(s, actor=user, flt=flt, count_limit=LIST_COUNT_LIMIT)
    except ValidationFailed as exc:
        flash_errors(exc)
        flt = asset_list.AssetFilter()
        page = asset_list.list_assets(s, actor=user, flt=flt, count_limit=LIST_COUNT_LIMIT)
    translate = translations().ugettext
    return render_template(
        "assets/index.html",
        page=page,
        badges=list_badges(translate),
        # Called only when the menus are not cached already (see the template).
        choices=cache(lambda: asset_list.filter_choices(s, actor=user)),
        status_text={status.value: translate(status.label) for status in Status},
        # How many filters are set: the phone's folded filter panel says so on its button.
        chosen=sum(1 for name in FILTER_NAMES if query.get(name)),
        menu_key=asset_list.menu_key(s, actor=user),
        args=query,
        # The list's own filters, for its export (not its page or sort).
        export_args={k: v for k, v in query.items() if k in EXPORT_FILTERS and v},
    )


def list_badges(translate: Any) -> dict[Status | Flag, Markup]:
    """Each status's and list flag's badge, written once per page rather than once per row
    (the list is the app's busiest rendering; a row then looks its badges up)."""
    # Written out rather than by Markup.format, whose formatter cost more than the rows.
    badges: dict[Status | Flag, Markup] = {
        status: Markup(
            f'<span class="badge text-bg-{status.colour}">{escape(translate(status.label))}</span>'
        )
        for status in Status
    }
    for flag in (Flag.OVERDUE, Flag.END_OF_SUPPORT, Flag.DUE_SOON):
        colour = "danger" if flag.urgent else "warning"
        label = escape(translate(flag.label))
        badges[flag] = Markup(f'<span class="badge text-bg-{colour} c-flag">{label}</span>')
    return badges


@bp.route("/<tag>")
@requires(Role.VIEWER)
def show(tag: str):  # type: ignore[no-untyped-def]
    s = db.session()
    user = signed_in()
    try:
        asset, details, history = catalog.read_asset_page(s, actor=user, tag=tag)
    except NotFound:
        # An earlier tag (an old label): the asset's page is under its current tag.
        current = tag_aliases.current_tag(s, actor=user, tag=tag)
        if current is None:
            raise
        return redirect(url_for("assets.show", tag=current))
    may_move = user.role_enum.at_least(Role.TECHNICIAN)
    links = AssetLinks(asset.tag)
    translate = translations().ugettext
    # (link, label) of each action, worked out here rather than by calls from the template.
    actions = [
        (links.act(a.value), translate(a.label)) for a in available_actions(asset.status_enum)
    ]
    facts = catalog.lifecycle_facts(asset, details, today=today())
    decision = details.capitalisation
    assert decision is not None  # the asset page's query decides it
    return render_template(
        "assets/show.html",
        asset=asset,
        links=links,
        d=details,
        fields=_shown_fields(asset, details, facts, decision),
        history=history,
        labels=catalog.history_labels(s, history),
        targets=_ordered(allowed_targets(asset.status_enum), Status) if may_move else [],
        actions=actions if may_move else [],
        facts=facts,
        life=life_story(history, zone=clock.zone()),
        assessment=catalog.last_assessment(history),
        today=today(),
        disposal_kinds=_ordered(allowed_disposal_kinds(asset.status_enum), DisposalKind),
        aliases=tag_aliases.earlier_tags(s, asset=asset, history=history),
        files=attachments.listed(s, actor=user, asset=asset, history=history),
        file_offers=attachments.offered(asset, history) if may_move else [],
        accept=file_rules.ACCEPT,
        max_mb=current_app.config["INVENTORY"].attachment_max_mb,
        max_bytes=current_app.config["INVENTORY"].attachment_max_bytes,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def create():  # type: ignore[no-untyped-def]
    s = db.session()
    form = AssetForm()
    next_tags = _fill_choices(form, proposing=True)
    if form.validate_on_submit():
        try:
            asset = asset_service.create_asset(
                s,
                actor=current_user,
                data=_asset_input(form),
                today=today(),
                now=now(),
                comment=form.comment.data or "",
            )
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(gettext("Asset %(tag)s registered.", tag=asset.tag), "success")
            return redirect(url_for("assets.show", tag=asset.tag))
    elif request.method == "GET" and current_user.owner_id is not None:
        # A user limited to one owner has no owner to choose.
        form.owner_id.data = current_user.owner_id
        form.tag.data = next_tags.get(current_user.owner_id)
    status = 200 if request.method == "GET" else 422
    return render_template("assets/form.html", form=form, asset=None), status


@bp.route("/<tag>/edit", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def edit(tag: str):  # type: ignore[no-untyped-def]
    s = db.session()
    asset = asset_service.get_asset(s, actor=current_user, tag=tag)
    if not asset.status_enum.is_editable:
        flash(gettext("A disposed asset can no longer be edited."), "warning")
        return redirect(url_for("assets.show", tag=asset.tag))
    form = AssetForm(obj=asset) if request.method == "GET" else AssetForm()
    _fill_choices(form)
    if request.method == "GET":
        form.price.data = format_sek(asset.price_ore).removesuffix("\u00a0kr")
        form.version.data = str(asset.version)
    elif form.validate_on_submit():
        old_tag = asset.tag
        try:
            asset_service.update_asset(
                s,
                actor=current_user,
                asset=asset,
                data=_asset_input(form),
                expected_version=_version(form.version.data),
                today=today(),
                now=now(),
                comment=form.comment.data or "",
            )
        except Conflict as exc:
            flash(error_text(exc), "danger")
            return render_template("assets/form.html", form=form, asset=asset), 409
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            if asset.version == _version(form.version.data):
                flash(gettext("Nothing was changed."), "info")
            else:
                flash(gettext("Changes to %(tag)s saved.", tag=asset.tag), "success")
            if asset.tag != old_tag:
                flash(_new_label_due(asset.tag, old_tag), "warning")
            return redirect(url_for("assets.show", tag=asset.tag))
    status = 200 if request.method == "GET" else 422
    return render_template("assets/form.html", form=form, asset=asset), status


@bp.route("/<tag>/status", methods=["POST"])
@requires(Role.TECHNICIAN)
def transition(tag: str):  # type: ignore[no-untyped-def]
    s = db.session()
    asset = asset_service.get_asset(s, actor=current_user, tag=tag)
    form = _transition_form(asset)
    if not form.validate_on_submit():
        flash(gettext("Choose a new status."), "danger")
        return redirect(url_for("assets.show", tag=asset.tag))
    try:
        target = Status(form.target.data)
        kind = DisposalKind(form.disposal_kind.data) if form.disposal_kind.data else None
        disposal = _disposal(form)
        change = {
            "actor": current_user,
            "asset": asset,
            "target": target,
            "disposal_kind": kind,
            "disposed_on": disposal.on if form.disposed_on.data else None,
            "proceeds_ore": disposal.proceeds_ore,
            "now": now(),
            "today": today(),
            "comment": form.comment.data or "",
            "expected_version": _version(form.version.data),
        }
        if form.confirmed.data != "1":
            # The confirm step: what will change, before anything does; what the rules would
            # refuse is said now rather than after confirming.
            asset_service.change_status(s, **change, check_only=True)
            return render_template(
                "assets/confirm_status.html", asset=asset, form=form, target=target, kind=kind,
                disposal=disposal if target is Status.DISPOSED else None,
            )  # fmt: skip
        asset_service.change_status(s, **change)
    except ValueError:
        flash(gettext("Choose a new status."), "danger")
    except (InvalidTransition, Conflict) as exc:
        flash(error_text(exc), "danger")
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        flash(gettext("Status changed to %(status)s.", status=gettext(target.label)), "success")
    return redirect(url_for("assets.show", tag=asset.tag))


@dataclass(frozen=True)
class _Disposal:
    on: dt.date
    proceeds_ore: int | None


def _disposal(form: TransitionForm) -> _Disposal:
    """The disposal's date (today when left empty) and proceeds as typed, or a field error."""
    errors: dict[str, str] = {}
    on, proceeds = today(), None
    try:
        on = parse_date(form.disposed_on.data or "", field="disposed_on") or on
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        proceeds = parse_optional_sek(form.proceeds.data, field="proceeds")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return _Disposal(on, proceeds)


def _new_label_due(tag: str, old_tag: str) -> Markup:
    """After a tag change: print a new label (the old one keeps working), with the link."""
    link = Markup('<a href="{}">{}</a>').format(
        url_for("labels.sheet", tag=tag, layout="roll-62x29"), gettext("Print the new label")
    )
    text = gettext(
        "The tag changed from %(old)s to %(new)s: the old label still leads here, but the "
        "asset needs a new one.",
        old=old_tag,
        new=tag,
    )
    return Markup("{} {}").format(text, link)


def _accounting(decision: Decision) -> str:
    """ "Investment · costs more than …" with the amounts set against each other."""
    words = gettext(decision.reason.label)
    if decision.threshold_ore is None:
        return words
    return gettext(
        "%(words)s (%(tested)s against %(threshold)s).",
        words=words,
        tested=format_sek(decision.tested_ore),
        threshold=format_sek(decision.threshold_ore),
    )


def _shown_fields(
    asset: Asset, d: catalog.AssetDetails, facts: LifecycleFacts, decision: Decision
) -> list[tuple[str, Any]]:
    """The asset page's list of facts, (label, value), without the empty ones."""
    fields = [
        (N_("Serial number"), asset.serial),
        (N_("Holder"), asset.holder),
        (N_("Business unit"), d.business_unit),
        (N_("Service object"), d.service_object),
        (N_("Location"), d.location),
        (N_("Purchase date"), iso_date(asset.purchase_date)),
        (N_("In-service date"), iso_date(asset.in_service_date)),
        (N_("Purchase price"), format_sek(asset.price_ore)),
        (N_("Accounting"), _accounting(decision)),
        (N_("Book value"), format_sek(facts.book_value_ore)),
        (N_("Disposal date"), iso_date(asset.disposed_on)),
        (N_("Proceeds"), None if asset.proceeds_ore is None else format_sek(asset.proceeds_ore)),
        (N_("Depreciated until"), iso_date(facts.depreciation_end)),
        (
            N_("Depreciation period"),
            ngettext("%(num)s month", "%(num)s months", asset.depreciation_months),
        ),
        (N_("Warranty end"), iso_date(asset.warranty_end)),
        (N_("Supplier"), asset.supplier),
        (N_("Order/invoice reference"), asset.order_ref),
        (N_("Hostname"), asset.hostname),
        (N_("MAC address"), asset.mac),
        (N_("IP address"), asset.ip),
        (N_("IMEI"), asset.imei),
        # The device's own (a Chromebook's auto-update expiry) or its model's.
        (N_("End of support"), iso_date(d.end_of_support)),
        # What device management last reported (Intune, Google Admin imports).
        (N_("OS version"), asset.os_version),
        (N_("Primary user (device management)"), asset.mdm_user),
        (N_("Last check-in"), iso_date(asset.mdm_seen_on)),
        (N_("Notes"), asset.notes),
    ]
    translate = translations().ugettext  # one lookup of the catalogue for all the labels
    return [(translate(label), value) for label, value in fields if value]


def _ordered(members: frozenset[Any], enum: Any) -> list[Any]:
    """Enum members in their declared order (the lifecycle's order)."""
    return [m for m in enum if m in members]


def _transition_form(asset: Asset) -> TransitionForm:
    form = TransitionForm()
    current = asset.status_enum
    form.target.choices = [
        (t.value, gettext(t.label)) for t in Status if t in allowed_targets(current)
    ]
    form.disposal_kind.choices = [("", "—")] + [
        (k.value, gettext(k.label)) for k in DisposalKind if k in allowed_disposal_kinds(current)
    ]
    if request.method == "GET":
        form.version.data = str(asset.version)
    return form


def _fill_choices(form: AssetForm, *, proposing: bool = False) -> dict[int, str]:
    """The menus, searchable (static/picker.js). Each model carries its category, shown when
    it is chosen; on the register form each owner carries the next free tag of its series."""
    s = db.session()
    choices = catalog.asset_form_choices(s, actor=current_user)
    unchosen = ("", gettext("Choose…"))
    tags = catalog.next_free_tags(s, actor=current_user) if proposing else {}
    form.model_id.choices = [
        unchosen,
        *(
            (i, name, {"data-category": choices.model_categories.get(i, "")})
            for i, name in choices.models
        ),
    ]
    form.owner_id.choices = [
        unchosen,
        *((i, name, {"data-next-tag": tags[i]} if i in tags else {}) for i, name in choices.owners),
    ]
    form.business_unit_id.choices = [("", "—"), *choices.units]
    form.service_object_id.choices = [("", gettext("The category's")), *choices.service_objects]
    form.location_id.choices = [("", "—"), *choices.locations]
    for menu in (form.model_id, form.business_unit_id, form.location_id):
        menu.render_kw = picker_attributes()
    return tags


def _version(raw: str | None) -> int:
    return parse_id(raw) or -1


def _asset_input(form: AssetForm) -> AssetInput:
    """Raises ValidationFailed for a price that is not an amount in kronor."""
    price_ore = parse_sek(form.price.data or "")
    return AssetInput(
        tag=form.tag.data or "",
        model_id=form.model_id.data,
        owner_id=form.owner_id.data,
        purchase_date=form.purchase_date.data,
        price_ore=price_ore,
        serial=form.serial.data,
        business_unit_id=form.business_unit_id.data,
        service_object_id=form.service_object_id.data,
        location_id=form.location_id.data,
        holder=form.holder.data,
        in_service_date=form.in_service_date.data,
        depreciation_months=form.depreciation_months.data,
        supplier=form.supplier.data,
        order_ref=form.order_ref.data,
        warranty_end=form.warranty_end.data,
        due_override=form.due_override.data,
        hostname=form.hostname.data,
        mac=form.mac.data,
        ip=form.ip.data,
        imei=form.imei.data,
        notes=form.notes.data or "",
    )
