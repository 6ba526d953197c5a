"""Registering, editing and moving assets through their lifecycle, with history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, true
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.attributes import set_attribute
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from .. import search_index
from ..domain import assets as rules
from ..domain.errors import Conflict, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status
from ..domain.text import N_
from ..models import (
    Asset,
    AssetEvent,
    BusinessUnit,
    Category,
    Model,
    Owner,
    ServiceObject,
    User,
)
from ..models.fast import new_row
from ..schemas.asset import REPORTED_DATES, REPORTED_TEXT, AssetInput
from . import batch, clock, flags, lifecycle, owners, spans, tag_aliases
from .access import asset_not_found, check_owner_allowed, check_scope, may_place, require_role

# Fields whose changes the history records, in the order the asset page shows them.
TRACKED_FIELDS = (
    "tag",
    "serial",
    "model_id",
    "category_id",
    "owner_id",
    "business_unit_id",
    "service_object_id",
    "location_id",
    "holder",
    "status",
    "disposal_kind",
    "disposed_on",
    "proceeds_ore",
    "purchase_date",
    "in_service_date",
    "price_ore",
    "depreciation_months",
    "supplier",
    "order_ref",
    "warranty_end",
    "due_override",
    "hostname",
    "mac",
    "ip",
    "imei",
    "notes",
    "end_of_support",
    "os_version",
    "mdm_user",
    "mdm_seen_on",
)


# How a device enters the register: the reuse pool and the ways out are reached only
# through the lifecycle (lifecycle.move), which holds the reuse routine's rules.
REGISTERED_AS = frozenset({Status.ORDERED, Status.IN_STOCK, Status.DEPLOYED})


def get_asset(session: Session, *, actor: User, tag: str) -> Asset:
    require_role(actor, Role.VIEWER)
    wanted = rules.lookup_tag(tag)
    asset = session.exec(select(Asset).where(Asset.tag == wanted)).first() if wanted else None
    if asset is None and wanted:  # labels: an earlier tag still finds its asset
        asset = tag_aliases.asset_by_alias(session, wanted)
    if asset is None:
        raise asset_not_found(tag)
    check_scope(actor, asset, requested=tag)
    return asset


def create_asset(
    session: Session,
    *,
    actor: User,
    data: AssetInput,
    today: dt.date,
    now: dt.datetime,
    status: Status = Status.IN_STOCK,
    comment: str = "",
) -> Asset:
    with committing(session, today=today, data=data):
        asset = stage_create(
            session, actor=actor, data=data, today=today, now=now, status=status,
            comment=comment,
        )  # fmt: skip
    return asset


def stage_create(
    session: Session,
    *,
    actor: User,
    data: AssetInput,
    today: dt.date,
    now: dt.datetime,
    status: Status = Status.IN_STOCK,
    comment: str = "",
    import_id: int | None = None,
) -> Asset:
    """Register an asset inside `committing`, with every rule of registration: the form,
    the API and each row of an import (`import_id`, which its history event names)."""
    asset = prepare_create(session, actor=actor, data=data, today=today, now=now, status=status)
    stage_registration(session, asset, actor=actor, now=now, comment=comment, import_id=import_id)
    return asset


def prepare_create(
    session: Session,
    *,
    actor: User,
    data: AssetInput,
    today: dt.date,
    now: dt.datetime,
    status: Status = Status.IN_STOCK,
) -> Asset:
    """A new asset checked by every rule of registration and added to the session, not yet
    flushed: stage_registration writes its history. An import prepares a few hundred, then
    flushes them in one go, rather than one flush a row; it then checks, among its own
    rows, the tags and serials the database has not seen yet."""
    require_role(actor, Role.TECHNICIAN)
    check_owner_allowed(actor, data.owner_id)
    if status not in REGISTERED_AS:
        raise ValidationFailed(
            {"status": N_("A new asset is registered as ordered, in stock or deployed.")}
        )
    if status is Status.IN_STOCK and _clean(data.holder):
        # Registered with the person who has it: it is out with them, not in stock.
        status = Status.DEPLOYED
    # Every field is checked and set by _apply_input below (models/fast.py).
    asset = new_row(
        Asset, tag="", model_id=0, category_id=0, owner_id=0, purchase_date=today, price_ore=0,
        depreciation_months=0, created_at=now, updated_at=now, status=status, notes="",
        search_text="",
    )  # fmt: skip
    _apply_input(session, asset, data, actor=actor, today=today, is_new=True)
    session.add(asset)
    return asset


def stage_registration(
    session: Session,
    asset: Asset,
    *,
    actor: User,
    now: dt.datetime,
    comment: str = "",
    import_id: int | None = None,
) -> None:
    """The history of a prepared asset's registration, and what derives from it."""
    stage_registrations(
        session, [asset], actor=actor, now=now, comment=comment, import_id=import_id
    )


# From how many registrations at once the search index is filled by one statement (dropping
# and putting back the trigger costs more than a few rows' trigger calls).
_MANY = 50


def stage_registrations(
    session: Session,
    assets: Sequence[Asset],
    *,
    actor: User,
    now: dt.datetime,
    comment: str = "",
    import_id: int | None = None,
) -> None:
    """stage_change for prepared assets' registration, many at once (an import's rows): the
    assets written with their search text in one flush, then their events, and their first
    spans in one statement."""
    for asset in assets:
        asset.search_text = search_text(asset)
        asset.updated_at = now
    session.add_all(assets)
    if len(assets) < _MANY:
        session.flush()
    else:
        # SQLite: indexed for search by one statement, not a trigger call per row.
        with search_index.insert_trigger_off(session.connection()) as deferred:
            session.flush()
        if deferred:
            search_index.index_rows(session.connection(), [a.id for a in assets if a.id])
    snapshots = [_snapshot(asset) for asset in assets]
    # The events as rows in one statement, not objects: nothing reads them back in this
    # transaction, and SQLite's inserts of objects, which need each one's id, go one by one.
    session.execute(
        insert(_EVENTS),
        [event(asset, actor, now, "create", changes, comment, import_id=import_id)
         for asset, changes in zip(assets, snapshots, strict=True)],
    )  # fmt: skip
    spans.begin(session, [(a.id, c) for a, c in zip(assets, snapshots, strict=True)], now)
    session.info.setdefault(_STAGED, set()).update(asset.id for asset in assets)


def update_asset(
    session: Session,
    *,
    actor: User,
    asset: Asset,
    data: AssetInput,
    expected_version: int,
    today: dt.date,
    now: dt.datetime,
    comment: str = "",
) -> Asset:
    if asset.version != expected_version:
        require_role(actor, Role.TECHNICIAN)
        check_scope(actor, asset)
        raise Conflict()
    with committing(session, today=today, data=data, asset_id=asset.id):
        changes = stage_update(
            session, actor=actor, asset=asset, data=data, today=today, now=now, comment=comment
        )
        if not changes and comment.strip():
            # Nothing changed but something was said: keep it in the history as a note.
            session.add(new_row(AssetEvent, **event(asset, actor, now, "note", {}, comment)))
    return asset


def stage_update(
    session: Session,
    *,
    actor: User,
    asset: Asset,
    data: AssetInput,
    today: dt.date,
    now: dt.datetime,
    comment: str = "",
    import_id: int | None = None,
) -> dict[str, list[Any]]:
    """Edit an asset inside `committing`, with every rule of editing (the form, the API, an
    import's row): the changes, field by field, as [before, after]; none, nothing staged."""
    require_role(actor, Role.TECHNICIAN)
    check_scope(actor, asset)
    check_owner_allowed(actor, data.owner_id)
    if not asset.status_enum.is_editable:
        raise ValidationFailed({"status": N_("A disposed asset can no longer be edited.")})
    before = tracked_values(asset)
    _apply_input(session, asset, data, actor=actor, today=today, is_new=False)
    changes = diff(before, tracked_values(asset))
    if not changes:
        return changes
    tag_aliases.record_tag_change(session, asset=asset, old_tag=before["tag"], now=now)  # labels
    stage_change(
        session, asset=asset, actor=actor, now=now, action="import" if import_id else "edit",
        changes=changes, comment=comment, import_id=import_id,
    )  # fmt: skip
    return changes


def input_of(asset: Asset) -> AssetInput:
    """What an asset holds now, as input: an import that reports some fields (a device
    management export) changes those and keeps the rest."""
    return AssetInput(
        tag=asset.tag, model_id=asset.model_id, owner_id=asset.owner_id,
        purchase_date=asset.purchase_date, price_ore=asset.price_ore, serial=asset.serial,
        business_unit_id=asset.business_unit_id, service_object_id=asset.service_object_id,
        location_id=asset.location_id, holder=asset.holder,
        in_service_date=asset.in_service_date, depreciation_months=asset.depreciation_months,
        supplier=asset.supplier, order_ref=asset.order_ref, warranty_end=asset.warranty_end,
        due_override=asset.due_override, hostname=asset.hostname, mac=asset.mac, ip=asset.ip,
        imei=asset.imei, notes=asset.notes,
    )  # fmt: skip


def change_status(
    session: Session,
    *,
    actor: User,
    asset: Asset,
    target: Status,
    now: dt.datetime,
    today: dt.date | None = None,
    disposal_kind: DisposalKind | None = None,
    disposed_on: dt.date | None = None,
    proceeds_ore: int | None = None,
    comment: str = "",
    expected_version: int | None = None,
    check_only: bool = False,
) -> Asset:
    """The status form's move; its comment is the written reason a young device needs, a
    disposal's date and proceeds go to the asset ledger. `today` is the local date of `now`
    unless given. With check_only (the form's confirm step), what the move would refuse is
    raised the same way and nothing is changed."""
    require_role(actor, Role.TECHNICIAN)
    check_scope(actor, asset)
    if expected_version is not None and asset.version != expected_version:
        raise Conflict()
    today = today or clock.local_date(now)
    if check_only:
        lifecycle.check(
            session, asset=asset, target=target, disposal_kind=disposal_kind, today=today,
            reason=comment, disposed_on=disposed_on, proceeds_ore=proceeds_ore,
        )  # fmt: skip
        return asset
    before = tracked_values(asset)
    lifecycle.move(
        session, asset=asset, target=target, disposal_kind=disposal_kind, today=today, now=now,
        reason=comment, disposed_on=disposed_on, proceeds_ore=proceeds_ore,
    )  # fmt: skip
    record_change(
        session, asset=asset, actor=actor, now=now, today=today, action="status",
        changes=diff(before, tracked_values(asset)), comment=comment,
    )  # fmt: skip
    return asset


def record_change(
    session: Session,
    *,
    asset: Asset,
    actor: User | None,
    now: dt.datetime,
    today: dt.date,
    action: str,
    changes: dict[str, Any],
    comment: str = "",
    data: AssetInput | None = None,
    also: tuple[Any, ...] = (),
) -> None:
    """Write one change to an asset, with its history event and `also` (e.g. an
    assessment), and commit: what every single-asset path calls."""
    with committing(session, today=today, data=data, asset_id=asset.id):
        stage_change(
            session, asset=asset, actor=actor, now=now, action=action, changes=changes,
            comment=comment, also=also,
        )  # fmt: skip


_STAGED = "inventory.staged_assets"


def stage_change(
    session: Session,
    *,
    asset: Asset,
    actor: User | None,
    now: dt.datetime,
    action: str,
    changes: dict[str, Any],
    comment: str = "",
    also: tuple[Any, ...] = (),
    import_id: int | None = None,
) -> None:
    """The one point where a change to a registered asset is written, inside `committing`:
    the asset with what is derived from it (its search text and its owner-and-status span
    now; its stored flags when the transaction commits; the tallies by trigger) and its
    history event. Registrations go through stage_registrations, which writes the same for
    new assets, many at once."""
    assert asset.id is not None and action != "create", "a registration: stage_registrations"
    asset.search_text = search_text(asset)
    if changes:
        asset.updated_at = now  # an event alone (seen, note) leaves the record as it is
    session.add(asset)
    session.add_all(also)
    if also:
        session.flush()  # what comes with the change, written before the event that names it
    # Otherwise the asset and its event are written with the rest at the commit: a change of
    # thousands in one transaction is then not a flush per asset.
    session.add(new_row(AssetEvent, **event(asset, actor, now, action, changes, comment,
                                            import_id=import_id)))  # fmt: skip
    spans.follow(session, asset, changes, now)
    session.info.setdefault(_STAGED, set()).add(asset.id)


_REFRESH_SLICE = 5_000


@contextmanager
def committing(
    session: Session,
    *,
    today: dt.date,
    data: AssetInput | None = None,
    asset_id: int | None = None,
) -> Iterator[None]:
    """Commit the changes staged inside, with the stored flags of every changed asset
    recomputed, or nothing: a lost race becomes a clear conflict, a clash of tag or serial
    a field error."""
    try:
        yield
        staged = sorted(session.info.pop(_STAGED, set()))
        # In slices: one IN over a whole handover or split could pass the limit on bound
        # parameters (PostgreSQL's protocol: 65 535; SQLite's builds: 32 766 and up).
        for start in range(0, len(staged), _REFRESH_SLICE):
            ids = staged[start : start + _REFRESH_SLICE]
            flags.refresh(session, where=col(Asset.id).in_(ids), today=today)
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict() from None
    except OperationalError as exc:
        session.rollback()
        # PostgreSQL broke a deadlock with another save by cancelling this one.
        if getattr(exc.orig, "sqlstate", None) == DEADLOCK:
            raise Conflict() from None
        raise
    except IntegrityError:
        session.rollback()
        if data is None:
            raise
        raise _integrity_error(session, data, asset_id) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_STAGED, None)


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    action: str
    actor: str
    changes: dict[str, Any]
    comment: str
    # The import that made the change, if one did.
    import_id: int | None = None


# --- helpers -------------------------------------------------------------------------------


def _apply_input(
    session: Session, asset: Asset, data: AssetInput, *, actor: User, today: dt.date, is_new: bool
) -> Model:
    """Validate everything, collecting all field errors, then write onto `asset`."""
    errors: dict[str, str] = {}

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            return None

    tag = attempt(rules.check_tag, data.tag)
    mac = attempt(rules.normalize_mac, data.mac)
    ip = attempt(rules.normalize_ip, data.ip)
    imei = attempt(rules.normalize_imei, data.imei)
    try:
        rules.check_dates(
            rules.AssetDates(
                data.purchase_date, data.in_service_date, data.warranty_end, data.due_override
            ),
            today=today,
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)

    # Read under a share lock (PostgreSQL): an admin moving the model to another category
    # waits for this save, or this save for the move, so the asset gets the model's category.
    # (SQLite has no such locks: its writers take turns, and the model then comes from the
    # session's identity map, which an import's thousand rows need.)
    # A batch (an import) locks each model once: the lock lasts to the end of its transaction.
    lock = {"read": True} if session.get_bind().dialect.name == "postgresql" else None
    model = batch.answer(
        session, ("model", data.model_id),
        lambda: session.get(Model, data.model_id, with_for_update=lock),
    )  # fmt: skip
    if model is None:
        errors["model_id"] = N_("Choose a model from the list.")
    owner = session.get(Owner, data.owner_id)
    if owner is None:
        errors["owner_id"] = N_("Choose an owner from the list.")
    elif (is_new or owner.id != asset.owner_id) and batch.answer(
        session, ("handed_over", owner.id), lambda: owners.has_handed_over(session, owner.id)
    ):
        errors["owner_id"] = N_(
            "This owner has left the partnership and its register has been handed over: "
            "nothing more is registered for it or moved to it."
        )
    if data.business_unit_id is not None:
        unit = session.get(BusinessUnit, data.business_unit_id)
        if unit is None or unit.owner_id != data.owner_id:
            errors["business_unit_id"] = N_("The business unit must belong to the owner.")
    if (
        data.service_object_id is not None
        and session.get(ServiceObject, data.service_object_id) is None
    ):
        errors["service_object_id"] = N_("Choose a service object from the list.")
    place = data.location_id
    if place is not None and not batch.answer(
        session, ("may_place", actor.id, place), lambda: may_place(session, actor, place)
    ):
        errors["location_id"] = N_("Choose a location from the list.")
    for name, value in data.reported.items():
        if name in REPORTED_TEXT:
            if value is not None and (
                not isinstance(value, str) or len(value) > REPORTED_TEXT[name]
            ):
                errors[name] = N_("The text is too long.")
        elif name not in REPORTED_DATES or not (value is None or isinstance(value, dt.date)):
            errors[name] = N_("Give a date as YYYY-MM-DD.")
    months = data.depreciation_months
    if months is not None:
        attempt(rules.check_depreciation_months, months)

    tag_changes = tag is not None and (is_new or tag != asset.tag)
    # labels: a tag may be neither another asset's tag nor another asset's earlier tag
    if tag_changes and (taken := tag_aliases.tag_clash(session, tag, asset_id=asset.id)):
        errors["tag"] = taken
    serial = (data.serial or "").strip() or None
    if serial and model is not None:
        clash = _serial_holders(session, serial).get(model.id or 0)  # a stored model: an id
        if clash is not None and clash != asset.id:
            errors["serial"] = N_("Another asset of this model has this serial number.")
    holder = _clean(data.holder)
    if holder and holder != asset.holder and not asset.status_enum.may_have_holder:
        errors["holder"] = N_(
            "Only a device that is handed out has a holder: hand it out to give it to someone."
        )
    if errors:
        raise ValidationFailed(errors)

    assert model is not None and tag is not None
    category = session.get(Category, model.category_id)
    assert category is not None
    values: dict[str, Any] = {
        "tag": tag,
        "serial": serial,
        "model_id": model.id,
        "category_id": model.category_id,
        "owner_id": data.owner_id,
        "business_unit_id": data.business_unit_id,
        "service_object_id": data.service_object_id or category.service_object_id,
        "location_id": data.location_id,
        "holder": holder,
        "purchase_date": data.purchase_date,
        "in_service_date": data.in_service_date,
        "price_ore": data.price_ore,
        "depreciation_months": months if months is not None else category.depreciation_months,
        "supplier": _clean(data.supplier),
        "order_ref": _clean(data.order_ref),
        "warranty_end": data.warranty_end,
        "due_override": data.due_override,
        "hostname": _clean(data.hostname),
        "mac": mac,
        "ip": ip,
        "imei": imei,
        "notes": (data.notes or "").strip(),
    }
    _write(asset, values)
    _write(asset, {k: _clean(v) if isinstance(v, str) else v for k, v in data.reported.items()})
    return model


def _write(asset: Asset, values: dict[str, Any]) -> None:
    """Set the fields that differ, through SQLAlchemy's instrumentation alone: SQLModel's own
    attribute setter also keeps pydantic's bookkeeping, which a table row does not need, and
    cost a fifth of an import's time (bench/imports.py)."""
    current = asset.__dict__
    for name, value in values.items():
        if name not in current or current[name] != value:
            set_attribute(asset, name, value)


# Built once, like tag_aliases.tag_clash: an import checks every row.
_SERIAL_HOLDERS: Any = select(col(Asset.model_id), col(Asset.id)).where(
    col(Asset.serial) == bindparam("serial")
)


def _serial_holders(session: Session, serial: str) -> dict[int, int]:
    """model id -> the asset of that model with this serial number (one at most: a unique
    constraint)."""
    return batch.answer(
        session, ("serial", serial),
        lambda: {m: a for m, a in session.execute(_SERIAL_HOLDERS, {"serial": serial})},
    )  # fmt: skip


def expect_serials(session: Session, serials: Collection[str]) -> None:
    """Inside a batch (an import): the assets holding each of `serials`, read in a few
    queries for the registration's check to answer from, rather than one a row."""
    wanted = sorted(set(serials))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        held: dict[str, dict[int, int]] = {serial: {} for serial in chunk}
        rows = session.execute(
            select(col(Asset.serial), col(Asset.model_id), col(Asset.id)).where(
                col(Asset.serial).in_(chunk)
            )
        )
        for serial, model_id, asset_id in rows:
            held[serial][model_id] = asset_id
        for serial, holders in held.items():
            batch.tell(session, ("serial", serial), holders)


_CHUNK = 1000  # values to an IN: well under every database's limit on bound parameters


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def search_text(asset: Asset) -> str:
    """What free-text search finds the asset by: its tag, serial, holder and hostname now."""
    return rules.search_text(asset.tag, asset.serial, asset.holder, asset.hostname)


def tracked_values(asset: Asset) -> dict[str, Any]:
    return {name: _jsonable(getattr(asset, name)) for name in TRACKED_FIELDS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before[k], after[k]] for k in TRACKED_FIELDS if before[k] != after[k]}


def _snapshot(asset: Asset) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in tracked_values(asset).items() if v not in (None, "")}


def event(
    asset: Asset,
    actor: User | None,
    now: dt.datetime,
    action: str,
    changes: dict[str, Any],
    comment: str,
    *,
    import_id: int | None = None,
) -> dict[str, Any]:
    """A history event's columns: added as a row by `new_row(AssetEvent, **event(...))`, or
    inserted with many others (stage_registrations)."""
    return {
        "asset_id": asset.id,
        "actor_id": actor.id if actor else None,
        "at": now,
        "action": action,
        "changes": changes,
        "comment": (comment or "").strip()[:2000],
        "import_id": import_id,
    }


_EVENTS = AssetEvent.__table__  # type: ignore[attr-defined]


# PostgreSQL's SQLSTATE for a transaction cancelled to break a deadlock.
DEADLOCK = "40P01"


def _integrity_error(
    session: Session, data: AssetInput, asset_id: int | None
) -> ValidationFailed | Conflict:
    """Someone registered the same tag or serial between our check and our commit; or,
    when no other asset has either, a concurrent write of what derives from the asset (its
    flags, as the nightly job rewrites them): then a conflict, to be tried again."""
    others = col(Asset.id) != asset_id if asset_id is not None else true()
    tag = rules.normalize_tag(data.tag)
    if session.exec(select(Asset.id).where(Asset.tag == tag, others)).first():
        return ValidationFailed({"tag": N_("Another asset already has this tag.")})
    serial = (data.serial or "").strip()
    if (
        serial
        and session.exec(
            select(Asset.id).where(Asset.model_id == data.model_id, Asset.serial == serial, others)
        ).first()
    ):
        return ValidationFailed(
            {"serial": N_("Another asset of this model has this serial number.")}
        )
    return Conflict()


def commit_change(session: Session, data: AssetInput | None = None) -> None:
    """Commit what the session holds, with `committing`'s answers to a lost race."""
    with committing(session, today=clock.today(), data=data):
        pass
