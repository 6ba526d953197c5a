"""/api/v1/assets: the register read and written by other systems, by the same rules as the
pages (services/assets, lifecycle, field_actions). An asset's version is its ETag; a change
needs it back as If-Match (428 without, 412 when someone changed the asset first)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import replace
from typing import Any

from flask import Response, jsonify, request, url_for

from .. import db
from ..domain.errors import Conflict, InvalidTransition, ValidationFailed
from ..domain.field_actions import FieldAction
from ..domain.history import FIELD_LABELS, action_label, value_text
from ..domain.lifecycle import LifecycleFacts
from ..domain.money import ore_to_sek, sek_to_ore
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import Asset
from ..schemas.asset import (
    AssessmentPublic,
    AssetCore,
    AssetInput,
    AssetPublic,
    AttachmentPublic,
)
from ..services import asset_list, attachments, catalog, field_actions, reference
from ..services import assets as asset_service
from ..services.reference_cache import reference_names
from ..web.access import requires
from ..web.formatting import reason_text
from ..web.helpers import now, signed_in, today, translate
from ..web.i18n import translations
from . import bp
from .bodies import (
    Action,
    AssetCreate,
    AssetListItem,
    AssetPage,
    AssetQuery,
    AssetUpdate,
    CategoryList,
    Change,
    History,
    HistoryItem,
    OnQuery,
    Transition,
)
from .errors import json_error
from .spec import BadQuery, body_of, documented, query_of

_TAG = {"tag": "The asset tag (an earlier tag on a label finds its asset too)."}
_IF_MATCH = {"If-Match": "The asset's ETag, as read: the change is made only on that version."}


def asset_public(
    asset: Asset,
    details: catalog.AssetDetails,
    facts: LifecycleFacts,
    model: type[AssetCore] = AssetPublic,
) -> Any:
    """The asset as the API gives it. Built without pydantic's checks of each value: they
    come from the database and the rules, typed; a list page builds hundreds."""
    public = model.model_construct(
        tag=asset.tag,
        serial=asset.serial,
        category=details.category_slug,
        model=details.model,
        manufacturer=details.manufacturer,
        owner=details.owner_slug,
        business_unit=details.business_unit,
        service_object=details.service_object,
        location=details.location,
        holder=asset.holder,
        status=asset.status,
        disposal_kind=asset.disposal_kind,
        disposed_on=asset.disposed_on,
        proceeds_sek=None if asset.proceeds_ore is None else ore_to_sek(asset.proceeds_ore),
        purchase_date=asset.purchase_date,
        in_service_date=asset.in_service_date,
        price_sek=ore_to_sek(asset.price_ore),
        depreciation_months=asset.depreciation_months,
        warranty_end=asset.warranty_end,
        supplier=asset.supplier,
        order_ref=asset.order_ref,
        hostname=asset.hostname,
        mac=asset.mac,
        ip=asset.ip,
        imei=asset.imei,
        notes=asset.notes,
        os_version=asset.os_version,
        mdm_user=asset.mdm_user,
        mdm_seen_on=asset.mdm_seen_on,
        version=asset.version,
        updated_at=asset.updated_at,
        end_of_support=details.end_of_support,
        age_years=facts.age_years,
        book_value_sek=ore_to_sek(facts.book_value_ore),
        depreciation_end=facts.depreciation_end,
        due_date=facts.due_date,
        flags=[flag.value for flag in facts.flags],
        reasons=[reason_text(reason) for reason in facts.reasons],
    )
    decision = details.capitalisation
    if decision is not None:
        public.capitalised = decision.capitalised
        public.capitalisation_reason = translate(decision.reason.label)
    return public


def etag(version: int) -> str:
    return f'"v{version}"'


def _with_etag(body: dict[str, Any], version: int, status: int = 200) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["ETag"] = etag(version)
    return response, status


def _expected_version() -> int:
    """The version the caller read, from If-Match: 428 without it, 412 for one that is no
    version of ours."""
    raw = request.headers.get("If-Match")
    if not raw:
        raise _Precondition(428)
    found = re.fullmatch(r'\s*(?:W/)?"?v?([0-9]{1,9})"?\s*', raw)
    if found is None:
        raise _Precondition(412)
    return int(found[1])


class _Precondition(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@bp.errorhandler(_Precondition)
def _precondition(exc: _Precondition) -> tuple[Response, int]:
    if exc.status == 428:
        return json_error(428, "precondition_required", translate(N_(
            "Send the asset's ETag as If-Match: a change is made only to the version read."
        )))  # fmt: skip
    return json_error(412, "precondition_failed", translate(N_(
        "The asset has changed since it was read: read it again, then make the change."
    )))  # fmt: skip


@bp.errorhandler(Conflict)
def _conflict(exc: Conflict) -> tuple[Response, int]:
    return _precondition(_Precondition(412))


@bp.errorhandler(InvalidTransition)
def _invalid_transition(exc: InvalidTransition) -> tuple[Response, int]:
    message = translate(exc.message, exc.params)
    return json_error(422, "invalid", message, fields={"target": message})


@bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery) -> tuple[Response, int]:
    fields = {k: translate(v) for k, v in exc.errors.items()}
    return json_error(400, "bad_request", "; ".join(fields.values()), fields=fields)


def _one(tag: str, on: dt.date | None = None) -> dict[str, Any]:
    s = db.session()
    found, details, aliases, assessment = catalog.read_asset_for_api(s, actor=signed_in(), tag=tag)
    facts = catalog.lifecycle_facts(found, details, today=on or today())
    public = asset_public(found, details, facts)
    public.aliases = aliases
    if assessment is not None:
        files = assessment.pop("attachments")
        public.assessment = AssessmentPublic(
            **assessment, attachments=[attachment_public(f) for f in files]
        )
    return public.model_dump(mode="json")


@bp.route("/assets/<tag>")
@requires(Role.VIEWER)
@documented("GET", "/assets/{tag}", summary="One asset, with its lifecycle facts on a day",
            tag="Assets", role=Role.VIEWER, query=OnQuery, response=AssetPublic,
            errors=(400, 404), path_params=_TAG, etag=True)  # fmt: skip
def asset(tag: str) -> tuple[Response, int]:
    on = query_of(OnQuery).on
    body = _one(tag, on)
    return _with_etag(body, body["version"])


def attachment_public(info: attachments.AttachmentInfo) -> AttachmentPublic:
    return AttachmentPublic(
        id=info.id,
        kind=info.kind.value,
        filename=info.filename,
        content_type=info.content_type,
        size_bytes=info.size_bytes,
        sha256=info.sha256,
        uploaded_at=info.uploaded_at,
        uploaded_by=info.uploaded_by,
        url=url_for("attachments.download", tag=info.tag, file_id=info.id),
    )


@bp.route("/categories")
@requires(Role.VIEWER)
@documented("GET", "/categories", summary="The categories and their rules", tag="Reference",
            role=Role.VIEWER, response=CategoryList)  # fmt: skip
def categories() -> dict[str, Any]:
    rows = sorted(reference.list_categories(db.session(), actor=signed_in()), key=lambda c: c.slug)
    return {
        "items": [
            {
                "id": c.id,
                "slug": c.slug,
                "name": c.name,
                "depreciation_months": c.depreciation_months,
                "target_lifespan_months": c.target_lifespan_months,
                "horizon_months": c.horizon_months,
                "service_object_id": c.service_object_id,
            }
            for c in rows
        ]
    }


# --- the list ------------------------------------------------------------------------------


def _cursor_after(raw: str | None) -> int | None:
    """The id a cursor continues after (0 to start); None without one."""
    if raw is None:
        return None
    if raw == "":
        return 0
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    found = re.fullmatch(r"a([0-9]{1,10})", text)
    if found is None:
        raise BadQuery({"cursor": N_("Unknown cursor: start without one.")})
    return int(found[1])


def _cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"a{last_id}".encode()).decode().rstrip("=")


@bp.route("/assets")
@requires(Role.VIEWER)
@documented("GET", "/assets", summary="The assets a filter selects, a page at a time",
            tag="Assets", role=Role.VIEWER, query=AssetQuery, response=AssetPage)  # fmt: skip
def assets() -> dict[str, Any]:
    query = query_of(AssetQuery)
    args = {
        k: str(v.value if hasattr(v, "value") else v)
        for k, v in query.model_dump(exclude_none=True).items()
        if k in ("owner", "category", "status", "site", "location", "unit", "flag", "q", "sort")
    }
    try:
        flt = asset_list.parse_filter(args)
    except ValidationFailed as exc:
        raise BadQuery(exc.errors) from None
    after = _cursor_after(query.cursor)
    try:
        page = catalog.assets_for_api(
            db.session(), actor=signed_in(), flt=flt, updated_since=query.updated_since,
            after_id=after, page=query.page, per_page=query.per_page,
        )  # fmt: skip
    except ValidationFailed as exc:  # an owner or category the register does not know
        raise BadQuery(exc.errors) from None
    on = query.on or today()
    items = [
        asset_public(a, d, catalog.lifecycle_facts(a, d, today=on), AssetListItem)
        for a, d in page.rows
    ]
    walking = after is not None
    last = page.rows[-1][0].id if page.rows else None
    return AssetPage(
        items=items,  # type: ignore[arg-type]
        page=None if walking else query.page,
        per_page=query.per_page,
        total=None if walking else page.total,
        next_cursor=_cursor(last) if walking and last and page.more else None,
    ).model_dump(mode="json")


# --- writes --------------------------------------------------------------------------------


def _owner_id(slug: str) -> int:
    owner_id = reference_names(db.session()).owner_ids.get(slug)
    if owner_id is None:
        raise ValidationFailed({"owner": N_("Unknown owner.")})
    return owner_id


def _ore(value: Any, field: str) -> int:
    return sek_to_ore(value, field=field)


_PLAIN = ("serial", "business_unit_id", "service_object_id", "location_id", "holder",
          "in_service_date", "depreciation_months", "supplier", "order_ref", "warranty_end",
          "due_override", "hostname", "mac", "ip", "imei")  # fmt: skip


@bp.route("/assets", methods=["POST"])
@requires(Role.TECHNICIAN)
@documented("POST", "/assets", summary="Register an asset", tag="Assets", role=Role.TECHNICIAN,
            body=AssetCreate, response=AssetPublic, status=201, errors=(422,), etag=True)  # fmt: skip
def create() -> tuple[Response, int]:
    body = body_of(AssetCreate)
    data = AssetInput(
        tag=body.tag, model_id=body.model_id, owner_id=_owner_id(body.owner),
        purchase_date=body.purchase_date, price_ore=_ore(body.price_sek, "price_sek"),
        notes=body.notes or "",
        **{name: getattr(body, name) for name in _PLAIN},
    )  # fmt: skip
    made = asset_service.create_asset(
        db.session(), actor=signed_in(), data=data, today=today(), now=now(),
        status=Status(body.status), comment=body.comment,
    )  # fmt: skip
    response, status = _with_etag(_one(made.tag), made.version, 201)
    response.headers["Location"] = url_for("api.asset", tag=made.tag)
    return response, status


@bp.route("/assets/<tag>", methods=["PATCH"])
@requires(Role.TECHNICIAN)
@documented("PATCH", "/assets/{tag}", summary="Change an asset's fields (If-Match)",
            tag="Assets", role=Role.TECHNICIAN, body=AssetUpdate, response=AssetPublic,
            errors=(404, 412, 422, 428), path_params=_TAG, headers=_IF_MATCH, etag=True)  # fmt: skip
def update(tag: str) -> tuple[Response, int]:
    s = db.session()
    user = signed_in()
    found = asset_service.get_asset(s, actor=user, tag=tag)
    expected = _expected_version()
    body = body_of(AssetUpdate)
    given = body.model_fields_set
    data = asset_service.input_of(found)
    if "tag" in given and body.tag is not None:
        data.tag = body.tag
    if "model_id" in given and body.model_id is not None:
        data.model_id = body.model_id
    if "owner" in given and body.owner is not None:
        data.owner_id = _owner_id(body.owner)
    if "purchase_date" in given and body.purchase_date is not None:
        data.purchase_date = body.purchase_date
    if "price_sek" in given and body.price_sek is not None:
        data.price_ore = _ore(body.price_sek, "price_sek")
    changes = {name: getattr(body, name) for name in _PLAIN if name in given}
    data = replace(data, **changes)
    if "notes" in given:
        data.notes = body.notes or ""
    asset_service.update_asset(
        s, actor=user, asset=found, data=data, expected_version=expected, today=today(),
        now=now(), comment=body.comment,
    )  # fmt: skip
    return _with_etag(_one(found.tag), found.version)


@bp.route("/assets/<tag>/transitions", methods=["POST"])
@requires(Role.TECHNICIAN)
@documented("POST", "/assets/{tag}/transitions", summary="Move an asset in its lifecycle",
            tag="Assets", role=Role.TECHNICIAN, body=Transition, response=AssetPublic,
            errors=(404, 412, 422, 428), path_params=_TAG, headers=_IF_MATCH, etag=True)  # fmt: skip
def transition(tag: str) -> tuple[Response, int]:
    s = db.session()
    user = signed_in()
    found = asset_service.get_asset(s, actor=user, tag=tag)
    expected = _expected_version()
    body = body_of(Transition)
    asset_service.change_status(
        s, actor=user, asset=found, target=body.target, now=now(), today=today(),
        disposal_kind=body.disposal_kind, disposed_on=body.disposed_on,
        proceeds_ore=None if body.proceeds_sek is None else _ore(body.proceeds_sek, "proceeds_sek"),
        comment=body.comment, expected_version=expected,
    )  # fmt: skip
    return _with_etag(_one(found.tag), found.version)


_ACTION = {**_TAG, "action": "seen, hand_out, take_back, move, report_fault or note."}


@bp.route("/assets/<tag>/actions/<action>", methods=["POST"])
@requires(Role.TECHNICIAN)
@documented("POST", "/assets/{tag}/actions/{action}", summary="A field action",
            tag="Assets", role=Role.TECHNICIAN, body=Action, response=AssetPublic,
            errors=(404, 412, 422, 428), path_params=_ACTION, headers=_IF_MATCH, etag=True)  # fmt: skip
def action(tag: str, action: str) -> tuple[Response, int]:
    s = db.session()
    user = signed_in()
    found = asset_service.get_asset(s, actor=user, tag=tag)
    try:
        chosen = FieldAction(action)
    except ValueError:
        raise ValidationFailed({"action": N_("Unknown action.")}) from None
    expected = _expected_version()
    body = body_of(Action)
    field_actions.perform(
        s, actor=user, asset=found, action=chosen, now=now(), today=today(),
        expected_version=expected, holder=body.holder, business_unit_id=body.business_unit_id,
        location_id=body.location_id, comment=body.comment,
    )  # fmt: skip
    return _with_etag(_one(found.tag), found.version)


@bp.route("/assets/<tag>/history")
@requires(Role.VIEWER)
@documented("GET", "/assets/{tag}/history", summary="An asset's history, newest first",
            tag="Assets", role=Role.VIEWER, response=History, errors=(404,), path_params=_TAG)  # fmt: skip
def history(tag: str) -> dict[str, Any]:
    s = db.session()
    found, _, entries = catalog.read_asset_page(s, actor=signed_in(), tag=tag)
    names = catalog.history_labels(s, entries, with_registrations=True)
    catalogue = translations()
    say = catalogue.ugettext

    def text(field: str, value: Any) -> str:
        return value_text(field, value, names=names, translate=say, plural=catalogue.ungettext)

    items = [
        HistoryItem(
            at=e.at,
            action=e.action,
            label=say(action_label(e.action)),
            actor=e.actor or say(N_("System")),
            import_id=e.import_id,
            comment=e.comment,
            changes=[
                Change(
                    field=name,
                    label=say(FIELD_LABELS.get(name, name)),
                    before=text(name, pair[0]),
                    after=text(name, pair[1]),
                )
                for name, pair in e.changes.items()
                if isinstance(pair, list | tuple) and len(pair) == 2
            ],
        )
        for e in entries
    ]
    return History(tag=found.tag, items=items).model_dump(mode="json")
