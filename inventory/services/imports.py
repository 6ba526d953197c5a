"""Importing a file into the register (issue 15): our own export, Snipe-IT's asset import,
Google Admin's ChromeOS devices and Intune's devices.

Every row goes through the same rules as the form (services/assets.stage_create and
stage_update), inside one transaction: a dry run rolls it back and tells, row by row, what
would be created, updated (field by field), left unchanged or rejected, and why; a real run
commits it only when no row was rejected, or when the user chose to import the valid rows
alone. A run interrupted half-way (a killed process, a lost connection) never committed, so
the register is as it was. Each change's history event names the import (import_id).

Rows are matched to assets by asset tag, then by serial number (case and spaces aside),
then by IMEI. Device management exports (Intune, Google Admin) register nothing: they fill
what they report on the assets they match (OS version, primary user, last check-in, IMEI,
a Chromebook's end of support) and report a disposed device that checked in lately as a
conflict."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..domain import assets as asset_rules
from ..domain.errors import PermissionDenied, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..exports.snipeit_csv import LOST_OR_STOLEN as SNIPEIT_LOST
from ..exports.snipeit_csv import STATUS_NAMES as SNIPEIT_STATUS_NAMES
from ..exports.snipeit_csv import status_label as snipeit_status
from ..imports import values
from ..imports.layouts import Columns, Layout, both_languages, columns, detect, duplicated
from ..imports.tabular import Table, normal, normal_serial, read
from ..models import (
    Asset,
    BusinessUnit,
    Category,
    ImportRun,
    Location,
    Manufacturer,
    Model,
    Owner,
    ServiceObject,
    Site,
    User,
)
from ..schemas.asset import AssetInput
from . import audit, clock, scope, tag_aliases
from .access import require_role
from .assets import (
    committing,
    expect_serials,
    input_of,
    prepare_create,
    stage_registrations,
    stage_update,
)
from .batch import batch
from .catalog import location_name

# A disposed device that checked in to device management within this many days is a
# conflict: someone still uses what the register says is gone.
RECENTLY_SEEN_DAYS = 30
PROGRESS_EVERY = 100
FLUSH_EVERY = 500


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    NOT_FOUND = "not_found"  # a device management row for no asset of the register
    CONFLICT = "conflict"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.CREATED: N_("Created"),
    Outcome.UPDATED: N_("Updated"),
    Outcome.UNCHANGED: N_("Unchanged"),
    Outcome.REJECTED: N_("Rejected"),
    Outcome.NOT_FOUND: N_("Not in the register"),
    Outcome.CONFLICT: N_("Conflict"),
}


@dataclass(frozen=True)
class Options:
    layout: Layout | None = None  # None: told from the header
    owner_id: int | None = None  # the owner of rows that name none
    valid_only: bool = False  # import the valid rows even when others are rejected
    create_missing: bool = False  # create the models, locations and units the file names


@dataclass
class Reason:
    key: str  # our field (imports/layouts.py keys)
    column: str | None  # the file's own header for it, when the file has the column
    message: str  # untranslated, with %(name)s placeholders
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowResult:
    line: int
    tag: str | None
    outcome: Outcome
    changes: dict[str, list[Any]] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "tag": self.tag,
            "outcome": self.outcome.value,
            "changes": self.changes,
            "reasons": [vars(r) for r in self.reasons],
        }


@dataclass
class NewRef:
    """A model, location or business unit the file names and the register lacks."""

    kind: str  # model | location | unit
    name: str
    rows: int = 0
    created: bool = False


@dataclass
class Result:
    run: ImportRun
    layout: Layout
    rows: list[RowResult]
    refs: list[NewRef]
    counts: dict[str, int]
    written: bool

    @property
    def rejected(self) -> int:
        return self.counts.get(Outcome.REJECTED.value, 0)


Progress = Callable[[int, int], None]


# An import that registers this many devices leaves PostgreSQL's planner statistics of the
# tables it grew (as the demo seed does).
ANALYZE_AFTER = 1000


class _RollBack(Exception):
    """Leaves `committing` without writing: a dry run, or a file with rejected rows."""


def run_import(
    session: Session,
    *,
    actor: User,
    data: bytes,
    filename: str,
    options: Options,
    dry_run: bool,
    now: dt.datetime | None = None,
    run: ImportRun | None = None,
    progress: Progress | None = None,
) -> Result:
    """Check (dry_run) or import a file. Its run is recorded first, committed on its own,
    so that it is listed even if the import is killed; what the import did is committed
    with its changes, in one transaction, or not at all."""
    now = now or clock.utcnow()
    today = clock.local_date(now)
    table, layout, cols = _readable(session, actor, data, options)
    run = run or ImportRun(
        actor_id=actor.id, started_at=now, filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(), format=layout.value,
    )  # fmt: skip
    run.format, run.owner_id = layout.value, options.owner_id
    run.valid_only, run.create_missing = options.valid_only, options.create_missing
    run.outcome, run.rows_total, run.started_at = "running", len(table.rows), now
    session.add(run)
    session.commit()
    run_id = run.id
    assert run_id is not None
    results: list[RowResult] = []
    ctx = _Context(session, actor, options, layout, today=today)
    written = False
    try:
        with committing(session, today=today), batch(session), session.no_autoflush:
            # Without autoflush: a new asset is flushed for its id anyway, the rest (events,
            # edits) is written a thousand at a time rather than before every query.
            results = _rows(ctx, table, cols, import_id=run_id, now=now, progress=progress)
            counts = _counts(results)
            refused = counts.get(Outcome.REJECTED.value, 0) and not options.valid_only
            _record(run, results, ctx.refs, counts, now=now)
            if dry_run or refused:
                raise _RollBack()
            run.outcome = "done"
            session.add(run)
            audit.record(session, action="import.done", actor=actor, subject=run.filename,
                         at=now, details={"run_id": run_id, "format": layout.value,
                                          "counts": counts})  # fmt: skip
            written = True
    except _RollBack:
        pass
    except Exception as exc:
        session.rollback()
        failed = session.get(ImportRun, run_id)
        assert failed is not None
        failed.outcome, failed.finished_at = "failed", clock.utcnow()
        failed.error = f"{type(exc).__name__}"[:2000]
        session.commit()
        raise
    if written and _counts(results)[Outcome.CREATED.value] >= ANALYZE_AFTER:
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            from ..db import analyze

            analyze(bind, "asset", "asset_event", "asset_span")  # type: ignore[arg-type]
    if not written:
        # The rollback took the run's results with it: record them on their own.
        run = session.get(ImportRun, run_id) or run
        _record(run, results, ctx.refs, _counts(results), now=now)
        run.outcome = "checked" if dry_run else "refused"
        session.add(run)
        session.commit()
    return Result(run, layout, results, ctx.refs, _counts(results), written)


def _readable(
    session: Session, actor: User, data: bytes, options: Options
) -> tuple[Table, Layout, Columns]:
    """The file as a table in a format we know, with a column to match rows by; a clear
    error for the whole file otherwise."""
    require_role(actor, Role.TECHNICIAN)
    table = read(data)
    layout = options.layout or detect(table)
    if layout is None:
        raise ValidationFailed(
            {
                "format": N_(
                    "The format of the file could not be told from its header row: choose it."
                )
            }
        )
    if options.owner_id is not None and session.get(Owner, options.owner_id) is None:
        raise ValidationFailed({"owner": N_("Choose an owner from the list.")})
    if options.owner_id is not None and not scope.owns(actor, options.owner_id):
        raise ValidationFailed(
            {"owner": N_("You can only make changes for your own municipality.")}
        )
    cols = columns(table, layout)
    _check_columns(cols, layout)
    return table, layout, cols


def prepare(
    session: Session,
    *,
    actor: User,
    data: bytes,
    filename: str,
    options: Options,
    now: dt.datetime,
) -> ImportRun:
    """Check that a file can be read at all and record its run, to be checked row by row
    (run_import with the run) while the page shows its progress."""
    table, layout, _ = _readable(session, actor, data, options)
    run = ImportRun(
        actor_id=actor.id, started_at=now, filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(), format=layout.value, owner_id=options.owner_id,
        valid_only=options.valid_only, create_missing=options.create_missing, outcome="queued",
        rows_total=len(table.rows),
    )  # fmt: skip
    session.add(run)
    session.commit()
    return run


def options_of(run: ImportRun) -> Options:
    """The options a run was checked with, for importing it as checked."""
    return Options(
        layout=Layout(run.format), owner_id=run.owner_id, valid_only=run.valid_only,
        create_missing=run.create_missing,
    )  # fmt: skip


def _counts(results: list[RowResult]) -> dict[str, int]:
    counts = Counter(r.outcome.value for r in results)
    return {o.value: counts.get(o.value, 0) for o in Outcome}


def _record(
    run: ImportRun,
    results: list[RowResult],
    refs: list[NewRef],
    counts: dict[str, int],
    *,
    now: dt.datetime,
) -> None:
    run.counts = counts
    run.rows = [r.as_json() for r in results if r.outcome is not Outcome.UNCHANGED]
    run.refs = [vars(ref).copy() for ref in refs]
    run.finished_at = clock.utcnow() if now else None


def _check_columns(cols: Columns, layout: Layout) -> None:
    """What a file must have to be read at all: something to match rows by."""
    keys = ("tag", "serial", "imei") if layout is Layout.INTUNE else ("tag", "serial")
    if not any(cols.has(k) for k in keys):
        raise ValidationFailed(
            {"file": N_("The file has no column for the asset tag or the serial number.")}
        )


# --- the context: what the rows are resolved against, read once --------------------------


class _Context:
    def __init__(
        self, session: Session, actor: User, options: Options, layout: Layout, *, today: dt.date
    ) -> None:
        self.session, self.actor, self.options, self.layout = session, actor, options, layout
        self.today = today
        self.refs: list[NewRef] = []
        # What the user agreed to create, in the order made, with the row that named it.
        self.made: list[tuple[NewRef | None, Any]] = []
        self.pending: list[Asset] = []  # prepared, not yet flushed (flush_pending)
        self.file_tags: dict[str, int] = {}  # tag -> the row that gave it
        self.file_serials: dict[tuple[int, str], int] = {}
        self._refs_by_key: dict[tuple[str, ...], NewRef] = {}
        # Held for the whole run: the session's identity map keeps only what is referenced,
        # and every row's checks look these up by id.
        self.held: list[object] = []
        self.owners: dict[str, int] = {}
        for owner in self._held(session, Owner):
            assert owner.id is not None
            self.owners[normal(owner.slug)] = owner.id
            self.owners.setdefault(normal(owner.name), owner.id)
        self.categories: dict[str, int] = {}
        for category in self._held(session, Category):
            assert category.id is not None
            self.categories[normal(category.slug)] = category.id
            self.categories.setdefault(normal(category.name), category.id)
        self.makers = {normal(m.name): m.id for m in session.exec(select(Manufacturer))}
        self.models: dict[tuple[str, str], tuple[int, int]] = {}
        for model, maker in session.exec(
            select(Model, Manufacturer).join(
                Manufacturer, col(Manufacturer.id) == Model.manufacturer_id
            )
        ):
            assert model.id is not None
            self.held.append(model)
            self.models[(normal(maker.name), normal(model.name))] = (model.id, model.category_id)
        self.sites = {normal(s.name): s.id for s in session.exec(select(Site))}
        self.locations: dict[tuple[str, str, str], int] = {}
        self.places: dict[str, int] = {}  # "Site Building Room" as one text (Snipe-IT)
        # The places and units the user may use: another owner's are not told apart from
        # missing ones.
        for loc, site in session.exec(
            scope.restrict(
                select(Location, Site).join(Site, col(Site.id) == Location.site_id), actor, Site
            )
        ):
            assert loc.id is not None
            self.locations[(normal(site.name), normal(loc.building), normal(loc.room))] = loc.id
            self.places.setdefault(normal(location_name(site.name, loc.building, loc.room)), loc.id)
        self.units = {
            (u.owner_id, normal(u.name)): u.id
            for u in self._held(session, BusinessUnit)
            if scope.owns(actor, u.owner_id)
        }
        self.objects = {normal(o.name): o.id for o in self._held(session, ServiceObject)}
        # The assets rows are matched to: those the user may see.
        self.by_tag: dict[str, int] = {}
        self.by_serial: dict[str, set[int]] = {}
        self.by_imei: dict[str, set[int]] = {}
        for asset_id, tag, serial, imei, owner_id in session.exec(
            select(col(Asset.id), Asset.tag, Asset.serial, Asset.imei, Asset.owner_id)  # type: ignore[call-overload]
        ):
            if scope.owns(actor, owner_id):
                self.index(asset_id, tag, serial, imei)
        self.statuses = _status_words(layout)

    def _held(self, session: Session, table: Any) -> list[Any]:
        rows = list(session.exec(select(table)))
        self.held.extend(rows)
        return rows

    def preload(self, table: Table, cols: Columns) -> None:
        """Read the assets the rows name in a few queries, not one a row: a re-import of a
        device management export matches nearly every row."""
        wanted: set[int] = set()
        tags, serials = set(), set()
        for row in table.rows:
            tag = asset_rules.lookup_tag(cols.value(row, "tag") or "")
            if tag:
                tags.add(tag)
            if serial := (cols.value(row, "serial") or "").strip():
                serials.add(serial)
            if tag and tag in self.by_tag:
                wanted.add(self.by_tag[tag])
                continue
            serial = normal_serial(cols.value(row, "serial") or "")
            imei = "".join((cols.value(row, "imei") or "").split())
            for found in (self.by_serial.get(serial), self.by_imei.get(imei)):
                if found and len(found) == 1:
                    wanted |= found
                    break
        ids = sorted(wanted)
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            assets: list[Asset] = list(
                self.session.exec(select(Asset).where(col(Asset.id).in_(chunk)))
            )
            self.held.extend(assets)
        # Who holds the file's tags and serials, for the registration's checks to answer
        # from (services/batch.py): the register as it is before the file's own rows.
        tag_aliases.expect_tags(self.session, tags)
        expect_serials(self.session, serials)

    def claim(self, asset: Asset, line: int) -> None:
        """The tag and serial a row gives an asset, against the file's later rows."""
        self.file_tags.setdefault(asset.tag, line)
        if asset.serial:
            self.file_serials.setdefault((asset.model_id, asset.serial), line)

    def flush_pending(self, *, now: dt.datetime, import_id: int) -> None:
        """Write the new assets prepared so far in one flush, then their histories."""
        if not self.pending:
            return
        stage_registrations(self.session, self.pending, actor=self.actor, now=now,
                            import_id=import_id)  # fmt: skip
        for asset in self.pending:
            assert asset.id is not None
            self.index(asset.id, asset.tag, asset.serial, asset.imei)
        self.pending.clear()

    def index(self, asset_id: int, tag: str, serial: str | None, imei: str | None) -> None:
        self.by_tag[tag] = asset_id
        if serial:
            self.by_serial.setdefault(normal_serial(serial), set()).add(asset_id)
        if imei:
            self.by_imei.setdefault(imei, set()).add(asset_id)

    def new_ref(self, kind: str, key: tuple[str, ...], name: str) -> NewRef:
        ref = self._refs_by_key.get((kind, *key))
        if ref is None:
            ref = self._refs_by_key[(kind, *key)] = NewRef(kind, name)
            self.refs.append(ref)
        ref.rows += 1
        return ref

    @property
    def may_add_reference(self) -> bool:
        """Models and places are the administrators' for all owners to add."""
        return self.actor.role_enum.at_least(Role.ADMIN) and scope.scoped_owner(self.actor) is None


def _status_words(layout: Layout) -> dict[str, Status]:
    """A status cell's text -> our status: its code, its name in English and Swedish; in
    Snipe-IT's files its status labels too."""
    words: dict[str, Status] = {}
    for status in Status:
        words[normal(status.value)] = status
        for word in both_languages(status.label):
            words[word] = status
    if layout is Layout.SNIPEIT:
        for status, name in SNIPEIT_STATUS_NAMES.items():
            words.setdefault(normal(name), status)
        words[normal("Pending")] = Status.ORDERED
        words[normal("Ready to Deploy")] = Status.IN_STOCK
        words[normal("Deployed")] = Status.DEPLOYED
        words[normal(SNIPEIT_LOST)] = Status.DISPOSED
    return words


# --- rows ---------------------------------------------------------------------------------


def _rows(
    ctx: _Context,
    table: Table,
    cols: Columns,
    *,
    import_id: int,
    now: dt.datetime,
    progress: Progress | None,
) -> list[RowResult]:
    doubled = duplicated(table, cols.layout)
    ctx.preload(table, cols)
    out = []
    total = len(table.rows)
    for done, (line, row) in enumerate(zip(table.lines, table.rows, strict=True), start=1):
        out.append(_row(ctx, cols, doubled, row, line, import_id=import_id, now=now))
        if len(ctx.pending) >= FLUSH_EVERY:
            ctx.flush_pending(now=now, import_id=import_id)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    ctx.flush_pending(now=now, import_id=import_id)
    # Everything written now, a dry run too: a clash the checks above could not see (the
    # database's own unique constraints) fails a check as it would fail the import.
    _drop_unused(ctx)
    _audit_made(ctx)
    ctx.session.flush()
    return out


_TEXT_LIMITS = {
    "owner": 120, "category": 80, "manufacturer": 80, "model": 120, "business_unit": 120,
    "service_object": 80, "site": 120, "building": 120, "room": 120, "location": 250,
    "holder": 200, "supplier": 120, "order_ref": 80, "hostname": 120, "mac": 40, "ip": 60,
    "notes": 4000, "os_version": 60, "mdm_user": 200, "status": 60, "first_name": 100,
    "last_name": 100,
}  # fmt: skip
_IDENTIFIERS = {"tag": 32, "serial": 80, "imei": 40}
_DATES = ("purchase_date", "in_service_date", "warranty_end", "due_override", "mdm_seen_on")


def _parse(ctx: _Context, cols: Columns, row: list[str]) -> tuple[dict[str, Any], list[Reason]]:
    """The row's cells as values, by our field names; a reason for each unreadable cell."""
    parsed: dict[str, Any] = {}
    reasons: list[Reason] = []
    zone = clock.zone()
    us = cols.layout is Layout.SNIPEIT
    for key in cols.positions:
        raw = cols.value(row, key) or ""
        try:
            if key in _IDENTIFIERS:
                parsed[key] = values.identifier(raw, longest=_IDENTIFIERS[key])
            elif key in _DATES:
                parsed[key] = values.day(raw, us_slashes=us, zone=zone)
            elif key == "end_of_support":
                parsed[key] = (
                    values.support_end(raw) if cols.layout is Layout.GOOGLE_ADMIN
                    else values.day(raw, us_slashes=us)
                )  # fmt: skip
            elif key == "price":
                parsed[key] = values.kronor(raw)
            elif key == "depreciation_months":
                parsed[key] = values.whole(raw, low=1, high=600)
            elif key == "warranty_months":
                parsed[key] = values.whole(raw, low=0, high=600)
            else:
                parsed[key] = values.text(raw, longest=_TEXT_LIMITS.get(key, 200))
        except values.CellError as exc:
            reasons.append(Reason(key, cols.header_of(key), exc.message, exc.params))
    if "holder" not in parsed and (parsed.get("first_name") or parsed.get("last_name")):
        names = [parsed.get("first_name"), parsed.get("last_name")]
        parsed["holder"] = " ".join(n for n in names if n)
    return parsed, reasons


def _row(
    ctx: _Context,
    cols: Columns,
    doubled: dict[str, list[int]],
    row: list[str],
    line: int,
    *,
    import_id: int,
    now: dt.datetime,
) -> RowResult:
    parsed, reasons = _parse(ctx, cols, row)
    for key, positions in doubled.items():
        if len({row[p].strip() for p in positions}) > 1:
            reasons.append(Reason(key, cols.header_of(key), N_(
                "The file has several columns named %(column)s, and in this row they differ."
            ), {"column": cols.header_of(key)}))  # fmt: skip
    tag = parsed.get("tag")
    result = RowResult(line, tag, Outcome.REJECTED, reasons=reasons)
    asset, why = _match(ctx, parsed)
    if why is not None:
        reasons.append(why)
    if reasons:
        return result
    try:
        if asset is not None:
            _update(ctx, cols, asset, parsed, result, import_id=import_id, now=now)
        elif ctx.layout.reports_devices:
            result.outcome = Outcome.NOT_FOUND
        else:
            _create(ctx, cols, parsed, result, import_id=import_id, now=now)
    except ValidationFailed as exc:
        result.outcome = Outcome.REJECTED
        for name, message in exc.errors.items():
            key = _FIELD_KEYS.get(name, name)
            result.reasons.append(
                Reason(key, _column_of(cols, key), message, dict(exc.field_params.get(name) or {}))
            )
    except PermissionDenied as exc:
        result.outcome = Outcome.REJECTED
        result.reasons.append(Reason("owner", _column_of(cols, "owner"), exc.message))
    return result


# ValidationFailed's field names (the service's) -> the import's keys.
_FIELD_KEYS = {
    "model_id": "model",
    "owner_id": "owner",
    "business_unit_id": "business_unit",
    "service_object_id": "service_object",
    "location_id": "location",
    "price_ore": "price",
}


def _column_of(cols: Columns, key: str) -> str | None:
    if key == "location" and not cols.has("location"):
        key = "site"
    return cols.header_of(key) if cols.has(key) else None


def _match(ctx: _Context, parsed: dict[str, Any]) -> tuple[Asset | None, Reason | None]:
    """The asset a row is about: by tag, then serial, then IMEI; None for a new one."""
    session = ctx.session
    tag = asset_rules.lookup_tag(parsed["tag"]) if parsed.get("tag") else None
    if tag and tag in ctx.by_tag:
        return session.get(Asset, ctx.by_tag[tag]), None
    for key, index in (("serial", ctx.by_serial), ("imei", ctx.by_imei)):
        raw = parsed.get(key)
        if not raw:
            continue
        wanted = normal_serial(raw) if key == "serial" else "".join(raw.split())
        found = index.get(wanted, set())
        if len(found) > 1:
            return None, Reason(key, None, N_(
                "Several assets have this number: give the asset tag to say which one."
            ))  # fmt: skip
        if found:
            return session.get(Asset, next(iter(found))), None
    return None, None


def _update(
    ctx: _Context,
    cols: Columns,
    asset: Asset,
    parsed: dict[str, Any],
    result: RowResult,
    *,
    import_id: int,
    now: dt.datetime,
) -> None:
    result.tag = asset.tag
    current = input_of(asset)
    current.reported = {
        "end_of_support": asset.end_of_support, "os_version": asset.os_version,
        "mdm_user": asset.mdm_user, "mdm_seen_on": asset.mdm_seen_on,
    }  # fmt: skip
    if ctx.layout.reports_devices:
        wanted = replace(current, reported=dict(current.reported))
        for key in ("end_of_support", "os_version", "mdm_user", "mdm_seen_on"):
            if parsed.get(key) is not None:
                wanted.reported[key] = parsed[key]
        if parsed.get("imei"):
            wanted.imei = parsed["imei"]
        seen = parsed.get("mdm_seen_on")
        if not asset.status_enum.is_editable:
            if seen and (ctx.today - seen).days <= RECENTLY_SEEN_DAYS:
                result.outcome = Outcome.CONFLICT
                result.reasons.append(Reason("mdm_seen_on", _column_of(cols, "mdm_seen_on"), N_(
                    "Disposed in the register, but it checked in to device management on %(date)s."
                ), {"date": seen.isoformat()}))  # fmt: skip
            else:
                result.outcome = Outcome.UNCHANGED
            return
    else:
        proposed = _wanted(ctx, cols, parsed, base=current, result=result)
        if proposed is None:
            return
        wanted = proposed
        status = _status(ctx, parsed, result, cols)
        if result.reasons:
            return
        if status is not None and not _same_status(ctx, asset, status, parsed):
            result.outcome = Outcome.REJECTED
            result.reasons.append(Reason("status", _column_of(cols, "status"), N_(
                "The status changes through the lifecycle, on the asset's page: an import "
                "leaves it as it is."
            )))  # fmt: skip
            return
    if wanted == current:
        result.outcome = Outcome.UNCHANGED
        return
    if not asset.status_enum.is_editable:
        result.outcome = Outcome.REJECTED
        result.reasons.append(
            Reason(
                "status",
                _column_of(cols, "status"),
                N_("A disposed asset can no longer be edited."),
            )
        )
        return
    if not _first_in_file(ctx, cols, wanted, result):
        result.outcome = Outcome.REJECTED
        return
    before = (asset.tag, asset.serial, asset.imei)
    changes = stage_update(
        ctx.session, actor=ctx.actor, asset=asset, data=wanted, today=ctx.today, now=now,
        import_id=import_id,
    )  # fmt: skip
    result.changes = changes
    result.outcome = Outcome.UPDATED if changes else Outcome.UNCHANGED
    ctx.claim(asset, result.line)
    if changes and before != (asset.tag, asset.serial, asset.imei):
        assert asset.id is not None
        ctx.index(asset.id, asset.tag, asset.serial, asset.imei)


def _same_status(ctx: _Context, asset: Asset, status: Status, parsed: dict[str, Any]) -> bool:
    if ctx.layout is Layout.SNIPEIT:
        # Snipe-IT's labels are coarser than our statuses: the same label is the same.
        label = normal(snipeit_status(asset.status_enum, asset.disposal_kind))
        return normal(parsed.get("status") or "") in (label, normal(status.value))
    return status is asset.status_enum


def _status(
    ctx: _Context, parsed: dict[str, Any], result: RowResult, cols: Columns
) -> Status | None:
    text = parsed.get("status")
    if not text:
        return None
    status = ctx.statuses.get(normal(text))
    if status is None:
        result.reasons.append(
            Reason(
                "status",
                _column_of(cols, "status"),
                N_("Unknown status: %(value)s."),
                {"value": text},
            )
        )
    return status


def _create(
    ctx: _Context,
    cols: Columns,
    parsed: dict[str, Any],
    result: RowResult,
    *,
    import_id: int,
    now: dt.datetime,
) -> None:
    missing = [k for k in ("tag", "model", "purchase_date", "price") if parsed.get(k) is None]
    for key in missing:
        result.reasons.append(Reason(key, _column_of(cols, key), N_("A new asset needs this.")))
    status = _status(ctx, parsed, result, cols)
    if ctx.layout is Layout.SNIPEIT and status is Status.IN_STOCK and parsed.get("holder"):
        status = Status.DEPLOYED  # checked out to the person named
    wanted = _wanted(ctx, cols, parsed, base=None, result=result)
    if wanted is None or result.reasons:
        result.outcome = Outcome.REJECTED
        return
    if not _first_in_file(ctx, cols, wanted, result):
        return
    asset = prepare_create(
        ctx.session, actor=ctx.actor, data=wanted, today=ctx.today, now=now,
        status=status or Status.IN_STOCK,
    )  # fmt: skip
    ctx.claim(asset, result.line)
    ctx.pending.append(asset)
    result.tag, result.outcome = asset.tag, Outcome.CREATED


def _first_in_file(ctx: _Context, cols: Columns, wanted: AssetInput, result: RowResult) -> bool:
    """Whether no earlier row of the file gave the same tag, or the same model and serial:
    the database has not seen those rows yet, so the service's own checks cannot."""
    tag = asset_rules.lookup_tag(wanted.tag) if wanted.tag else None
    serial = (wanted.serial or "").strip()
    first = True
    for key, clash in (
        ("tag", ctx.file_tags.get(tag) if tag else None),
        ("serial", ctx.file_serials.get((wanted.model_id, serial)) if serial else None),
    ):
        if clash is not None and clash != result.line:
            first = False
            result.reasons.append(Reason(key, _column_of(cols, key), N_(
                "Row %(line)s of the file has the same one."
            ), {"line": clash}))  # fmt: skip
    return first


_KEPT_WHEN_BLANK = (Layout.SNIPEIT,)  # a blank cell there is no news, not an erasure


def _wanted(
    ctx: _Context,
    cols: Columns,
    parsed: dict[str, Any],
    *,
    base: AssetInput | None,
    result: RowResult,
) -> AssetInput | None:
    """The asset as the row wants it: `base` (what it is now; None for a new one) with the
    row's columns over it. Our own format says everything: an empty cell empties the field.
    Snipe-IT's leaves a field whose cell is empty as it is."""
    given = {
        k: v for k, v in parsed.items() if v is not None or cols.layout not in _KEPT_WHEN_BLANK
    }
    if base is not None and cols.layout in _KEPT_WHEN_BLANK:
        given = {k: v for k, v in given.items() if v is not None}
    reasons = result.reasons
    owner_id = base.owner_id if base else ctx.options.owner_id
    if given.get("owner"):
        owner_id = ctx.owners.get(normal(given["owner"]))
        if owner_id is None:
            reasons.append(
                Reason(
                    "owner",
                    _column_of(cols, "owner"),
                    N_("Unknown owner: %(value)s."),
                    {"value": given["owner"]},
                )
            )
    elif owner_id is None:
        reasons.append(Reason("owner", _column_of(cols, "owner"), N_(
            "The row names no owner: give one in the file or choose the owner of such rows."
        )))  # fmt: skip
    if owner_id is not None and not scope.owns(ctx.actor, owner_id):
        # Refused before anything of the row is looked up or created: another owner's units
        # and places are neither revealed nor added to.
        reasons.append(Reason("owner", _column_of(cols, "owner"), N_(
            "You can only register assets for your own municipality."
        )))  # fmt: skip
        return None
    model_id = base.model_id if base else None
    if given.get("model") or given.get("manufacturer"):
        model_id = _model(ctx, cols, given, base_model=model_id, reasons=reasons)
    elif given.get("category") and model_id is not None:
        _check_category(ctx, cols, given, model_id, reasons)
    unit_id = base.business_unit_id if base else None
    if "business_unit" in given and owner_id is not None:
        unit_id = _unit(ctx, cols, owner_id, given["business_unit"], reasons)
    object_id = base.service_object_id if base else None
    if "service_object" in given:
        object_id = None
        if given["service_object"]:
            object_id = ctx.objects.get(normal(given["service_object"]))
            if object_id is None:
                reasons.append(
                    Reason(
                        "service_object",
                        _column_of(cols, "service_object"),
                        N_("Unknown service object: %(value)s."),
                        {"value": given["service_object"]},
                    )
                )
    location_id = base.location_id if base else None
    if "site" in given or "location" in given:
        location_id = _location(ctx, cols, given, reasons)
    if reasons or owner_id is None or model_id is None:
        return None
    out = replace(base) if base else AssetInput(
        tag=given.get("tag") or "", model_id=model_id, owner_id=owner_id,
        purchase_date=given["purchase_date"], price_ore=given["price"],
    )  # fmt: skip
    out.reported = dict(base.reported) if base else {}
    out.model_id, out.owner_id = model_id, owner_id
    out.business_unit_id, out.service_object_id, out.location_id = unit_id, object_id, location_id
    for key in ("tag", "purchase_date"):
        if given.get(key) is not None:
            setattr(out, key, given[key])
    if given.get("price") is not None:
        out.price_ore = given["price"]
    for key in (
        "serial",
        "holder",
        "in_service_date",
        "depreciation_months",
        "supplier",
        "order_ref",
        "warranty_end",
        "due_override",
        "hostname",
        "mac",
        "ip",
        "imei",
    ):
        if key in given:
            setattr(out, key, given[key])
    if "notes" in given:
        out.notes = given["notes"] or ""
    if given.get("warranty_months") is not None:
        from ..domain.dates import add_months

        out.warranty_end = add_months(out.purchase_date, given["warranty_months"])
    for key in ("end_of_support", "os_version", "mdm_user", "mdm_seen_on"):
        if key in given:
            out.reported[key] = given[key]
    return out


def _model(
    ctx: _Context,
    cols: Columns,
    given: dict[str, Any],
    *,
    base_model: int | None,
    reasons: list[Reason],
) -> int | None:
    maker, name = given.get("manufacturer"), given.get("model")
    if not maker or not name:
        key = "manufacturer" if not maker else "model"
        reasons.append(
            Reason(
                key,
                _column_of(cols, key),
                N_("A model is named by its manufacturer and its name: give both."),
            )
        )
        return None
    found = ctx.models.get((normal(maker), normal(name)))
    if found is not None:
        _check_category(ctx, cols, given, found[0], reasons)
        return found[0]
    category_id = ctx.categories.get(normal(given.get("category") or ""))
    label = f"{maker} {name}"
    if category_id is None:
        reasons.append(Reason("category", _column_of(cols, "category"), N_(
            "Unknown model %(model)s, and no known category to add it to."
        ), {"model": label}))  # fmt: skip
        return None
    ref = ctx.new_ref("model", (normal(maker), normal(name)), label)
    if not ref.created and not _may_create(ctx, cols, "model", label, reasons):
        return None
    if not ref.created:
        maker_id = ctx.makers.get(normal(maker))
        if maker_id is None:
            maker_id = ctx.makers[normal(maker)] = _made(ctx, Manufacturer(name=maker))
        model = Model(manufacturer_id=maker_id, category_id=category_id, name=name)  # type: ignore[arg-type]
        ctx.models[(normal(maker), normal(name))] = (_made(ctx, model, ref), category_id)
        ref.created = True
    return ctx.models[(normal(maker), normal(name))][0]


def _check_category(
    ctx: _Context, cols: Columns, given: dict[str, Any], model_id: int, reasons: list[Reason]
) -> None:
    """A model belongs to one category: a row that says another is refused, not obeyed."""
    named = given.get("category")
    if not named:
        return
    category_id = ctx.categories.get(normal(named))
    model_category = next((c for m, c in ctx.models.values() if m == model_id), None)
    if category_id is None:
        reasons.append(
            Reason(
                "category",
                _column_of(cols, "category"),
                N_("Unknown category: %(value)s."),
                {"value": named},
            )
        )
    elif category_id != model_category:
        reasons.append(Reason("category", _column_of(cols, "category"), N_(
            "The model belongs to another category: a model's category is changed on the model."
        )))  # fmt: skip


def _may_create(ctx: _Context, cols: Columns, kind: str, label: str, reasons: list[Reason]) -> bool:
    key = {"model": "model", "location": "site", "unit": "business_unit"}[kind]
    if kind == "location" and cols.has("location"):
        key = "location"
    if not ctx.options.create_missing:
        reasons.append(Reason(key, _column_of(cols, key), N_(
            "%(name)s is not in the register: agree to create what the file names, or add it first."
        ), {"name": label}))  # fmt: skip
        return False
    allowed = ctx.may_add_reference if kind != "unit" else ctx.actor.role_enum.at_least(Role.ADMIN)
    if not allowed:
        reasons.append(Reason(key, _column_of(cols, key), N_(
            "%(name)s is not in the register, and only an administrator may add it."
        ), {"name": label}))  # fmt: skip
        return False
    return True


def _unit(
    ctx: _Context, cols: Columns, owner_id: int, name: str | None, reasons: list[Reason]
) -> int | None:
    if not name:
        return None
    found = ctx.units.get((owner_id, normal(name)))
    if found is not None:
        return found
    ref = ctx.new_ref("unit", (str(owner_id), normal(name)), name)
    if not _may_create(ctx, cols, "unit", name, reasons):
        return None
    made = ctx.units[(owner_id, normal(name))] = _made(
        ctx, BusinessUnit(owner_id=owner_id, name=name), ref
    )
    ref.created = True
    return made


def _location(
    ctx: _Context, cols: Columns, given: dict[str, Any], reasons: list[Reason]
) -> int | None:
    if "location" in given:  # one text, as Snipe-IT names places
        place = given.get("location")
        if not place:
            return None
        found = ctx.places.get(normal(place))
        site, building, room = place, "", ""
    else:
        site, building, room = (given.get(k) or "" for k in ("site", "building", "room"))
        if not site:
            if building or room:
                reasons.append(
                    Reason(
                        "site",
                        _column_of(cols, "site"),
                        N_("A building or room is given without its site."),
                    )
                )
            return None
        found = ctx.locations.get((normal(site), normal(building), normal(room)))
    if found is not None:
        return found
    label = location_name(site, building, room)
    ref = ctx.new_ref("location", (normal(site), normal(building), normal(room)), label)
    if not _may_create(ctx, cols, "location", label, reasons):
        return None
    site_id = ctx.sites.get(normal(site))
    if site_id is None:
        site_id = ctx.sites[normal(site)] = _made(ctx, Site(name=site))
    place = _made(ctx, Location(site_id=site_id, building=building, room=room), ref)  # type: ignore[arg-type]
    ctx.locations[(normal(site), normal(building), normal(room))] = place
    ctx.places.setdefault(normal(label), place)
    ref.created = True
    return place


def _made(ctx: _Context, row: Any, ref: NewRef | None = None) -> int:
    """A reference row the user agreed to create, written now for its id (in the import's
    transaction: it goes if the import does)."""
    ctx.session.add(row)
    ctx.session.flush()
    assert row.id is not None
    ctx.made.append((ref, row))
    return int(row.id)


# What uses each kind of reference row an import creates.
_USED_BY: dict[type, tuple[Any, ...]] = {
    Model: (Asset.model_id,),
    Location: (Asset.location_id,),
    BusinessUnit: (Asset.business_unit_id,),
    Manufacturer: (Model.manufacturer_id,),
    Site: (Location.site_id,),
}


def _drop_unused(ctx: _Context) -> None:
    """What the user agreed to create for rows that were rejected after all: not left in the
    register when the valid rows alone are imported, nor shown as to be created. Newest
    first, so that a model goes before the manufacturer made for it."""
    session = ctx.session
    session.flush()  # the rows' own changes, which may use what was made
    for ref, row in reversed(ctx.made):
        used = any(
            session.exec(select(column).where(column == row.id).limit(1)).first() is not None
            for column in _USED_BY[type(row)]
        )
        if not used:
            session.delete(row)
            session.flush()
            if ref is not None:
                ref.created = False


# The audit log's kind of each reference row an import creates (a manufacturer is named in
# its model's entry, as on the models page).
_AUDITED: dict[type, str] = {
    Model: "model", Location: "location", BusinessUnit: "business_unit", Site: "site",
}  # fmt: skip


def _audit_made(ctx: _Context) -> None:
    """What the import created of the reference data is in the audit log as created there,
    as the reference pages record it, in the import's transaction."""
    get = ctx.session.get
    for _, row in ctx.made:
        kind = _AUDITED.get(type(row))
        if kind is None or row.id is None or get(type(row), row.id) is None:
            continue  # a manufacturer, or dropped as unused
        values = {k: v for k, v in row.model_dump().items() if k != "id" and v not in (None, "")}
        if isinstance(row, Model):
            maker = get(Manufacturer, row.manufacturer_id)
            subject = f"{maker.name if maker else ''} {row.name}".strip()
        elif isinstance(row, Location):
            site = get(Site, row.site_id)
            subject = location_name(site.name if site else "", row.building, row.room)
        else:
            subject = row.name
        audit.record_row(ctx.session, actor=ctx.actor, kind=kind, row=row, created=True,
                         changes={k: [None, audit.plain(v)] for k, v in values.items()},
                         subject=subject)  # fmt: skip


def claim_checked(
    session: Session,
    *,
    actor: User,
    run_id: int,
    valid_only: bool,
    create_missing: bool | None,
) -> bool:
    """Take a checked run to be imported (or checked again) by the one who uploaded it, once:
    a second press of the button, or another user, finds it taken. Nobody imports another's
    file: it would run with their owners and be shown to its uploader."""
    run = get_run(session, actor=actor, run_id=run_id)
    if run.actor_id != actor.id:
        raise PermissionDenied(N_("Only the one who uploaded the file imports it."))
    values: dict[str, Any] = {"outcome": "queued", "valid_only": valid_only}
    if create_missing is not None:
        values["create_missing"] = create_missing
    taken = session.execute(
        update(ImportRun)
        .where(col(ImportRun.id) == run_id, col(ImportRun.outcome) == "checked")
        .values(**values)
    )
    session.commit()
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def recent_runs(session: Session, *, actor: User, limit: int = 100) -> list[tuple[ImportRun, str]]:
    """The latest imports with who ran them: a scoped user sees their own."""
    require_role(actor, Role.TECHNICIAN)
    stmt = (
        select(ImportRun, User.name, User.email)
        .outerjoin(User, col(User.id) == ImportRun.actor_id)
        .order_by(col(ImportRun.started_at).desc(), col(ImportRun.id).desc())
        .limit(limit)
    )
    if scope.scoped_owner(actor) is not None:
        stmt = stmt.where(ImportRun.actor_id == actor.id)
    return [(run, name or email or "") for run, name, email in session.exec(stmt)]


def get_run(session: Session, *, actor: User, run_id: int) -> ImportRun:
    from ..domain.errors import NotFound

    require_role(actor, Role.TECHNICIAN)
    run = session.get(ImportRun, run_id)
    if run is None or (scope.scoped_owner(actor) is not None and run.actor_id != actor.id):
        raise NotFound()
    return run
