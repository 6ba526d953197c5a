"""The asset list: filters, free-text search, sorting and pagination, set-based and indexed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, literal_column, or_, text, true
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlmodel import Session, col, select

from ..domain.errors import ValidationFailed
from ..domain.lifecycle import Flag
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import (
    Asset,
    AssetFlag,
    AssetTagAlias,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    User,
)
from . import scope
from .catalog import location_name, with_names
from .reference_cache import reference_names

# Each sort has an index whose order the list can walk; "-" means descending.
SORT_COLUMNS: dict[str, Any] = {
    "tag": col(Asset.tag),
    "purchase_date": col(Asset.purchase_date),
    "price": col(Asset.price_ore),
    "updated": col(Asset.updated_at),
}
SORTS = {*SORT_COLUMNS, *(f"-{name}" for name in SORT_COLUMNS)}
MAX_PER_PAGE = 200
MAX_PAGE = 2_000_000
MAX_QUERY = 100
# The trigram index answers substrings of three characters or more.
MIN_INDEXED_QUERY = 3


@dataclass(frozen=True)
class AssetFilter:
    owner: str | None = None
    category: str | None = None
    status: str | None = None
    site_id: int | None = None
    location_id: int | None = None
    business_unit_id: int | None = None
    flag: str | None = None
    q: str = ""
    # The list leaves disposed assets out unless they are asked for (by the box, by the
    # status or by a search); the API and label sheets list everything the filter matches.
    active_only: bool = False
    sort: str = "tag"
    page: int = 1
    per_page: int = 25
    # The last page, whatever its number (the list's "Last" link): counted exactly.
    last_page: bool = False

    def with_page(self, page: int) -> AssetFilter:
        return replace(self, page=page)


def parse_filter(args: dict[str, str], *, hide_disposed: bool = False) -> AssetFilter:
    """Query-string values to a filter; anything malformed is a clear field error. With
    hide_disposed (the list page), disposed assets are left out unless `disposed=1` or a
    status is asked for."""
    errors: dict[str, str] = {}

    def number(name: str, default: int | None, low: int, high: int) -> int | None:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        if not re.fullmatch(r"[0-9]{1,10}", raw) or not low <= int(raw) <= high:
            errors[name] = N_("Must be a whole number in range.")
            return default
        return int(raw)

    status = (args.get("status") or "").strip() or None
    if status is not None and status not in {s.value for s in Status}:
        errors["status"] = N_("Unknown status.")
    flag = (args.get("flag") or "").strip() or None
    if flag is not None and flag not in {f.value for f in Flag}:
        errors["flag"] = N_("Unknown flag.")
    sort = (args.get("sort") or "tag").strip()
    if sort not in SORTS:
        errors["sort"] = N_("Unknown sort order.")
    # "last" asks for the last page, whose number the asker does not know.
    last_page = (args.get("page") or "").strip() == "last"
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = N_("The search text is too long (at most 100 characters).")
    elif any(ord(ch) < 32 for ch in q):
        errors["q"] = N_("The search text contains control characters.")
    result = AssetFilter(
        owner=(args.get("owner") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        status=status,
        site_id=number("site", None, 1, 2**31 - 1),
        location_id=number("location", None, 1, 2**31 - 1),
        business_unit_id=number("unit", None, 1, 2**31 - 1),
        flag=flag,
        q=q,
        # A search finds disposed assets too (a serial once ours, a stolen device's tag).
        active_only=hide_disposed and not q and (args.get("disposed") or "").strip() != "1",
        sort=sort,
        # As high as `page=last` can lead (5 a page of 10 000 000 matches).
        page=1 if last_page else number("page", 1, 1, MAX_PAGE) or 1,
        per_page=number("per_page", 25, 1, MAX_PER_PAGE) or 25,
        last_page=last_page,
    )
    if errors:
        raise ValidationFailed(errors)
    return result


@dataclass(frozen=True)
class AssetRow:
    tag: str
    serial: str | None
    status: Status
    holder: str | None
    purchase_date: dt.date
    price_ore: int
    model: str
    manufacturer: str
    category: str
    owner: str
    owner_slug: str
    location: str | None
    # The most urgent of overdue, end of support and due soon, as last stored.
    flag: Flag | None = None


@dataclass
class Page:
    items: list[AssetRow]
    total: int
    filter: AssetFilter
    # True when total is a lower bound (counting stopped at the limit).
    capped: bool = False
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.filter.per_page))


def order_by(sort: str) -> list[Any]:
    name = sort.removeprefix("-")
    column = SORT_COLUMNS[name]
    if name == "tag":
        # Tags are unique, so the tag alone orders the list, and SQLite can walk
        # ix_asset_tag_filters, which holds the usual filters, without reading skipped rows.
        return [column.desc() if sort.startswith("-") else column.asc()]
    if sort.startswith("-"):
        return [column.desc(), col(Asset.id).desc()]
    return [column.asc(), col(Asset.id).asc()]


@dataclass(frozen=True)
class _Search:
    """A free-text search, split into its terms so that each can be written for either plan
    (see `conditions`)."""

    prefix: str | None = None  # too short for trigrams: tags and serials starting with it
    fts_phrase: str | None = None  # SQLite: an FTS5 phrase
    like_pattern: str | None = None  # PostgreSQL: a pg_trgm-indexed LIKE pattern
    model_ids: tuple[int, ...] = ()
    # Assets whose earlier tag (a corrected one, still on printed labels) matches.
    alias_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Resolved:
    """A filter's names turned into ids, and its search, looked up once."""

    owner_id: int | None
    category_id: int | None
    search: _Search | None


# The flags a list row shows, most urgent first (rank 3), and by rank.
_RANKS = {Flag.OVERDUE: 3, Flag.END_OF_SUPPORT: 2, Flag.DUE_SOON: 1}
_BY_RANK = {rank: flag for flag, rank in _RANKS.items()}
# The size of the register, for the choice of plan: ids are dense enough for the estimate.
_LARGEST_ID = sa_select(func.max(Asset.id))
# The list's columns and names, joined onto the page's few rows only.
_ROWS = with_names(
    sa_select(  # type: ignore[call-overload]
        Asset.tag,
        Asset.serial,
        Asset.status,
        Asset.holder,
        Asset.purchase_date,
        Asset.price_ore,
        Model.name,
        Manufacturer.name,
        Category.slug,
        Owner.name,
        Owner.slug,
        Site.name,
        Location.building,
        Location.room,
        # The most urgent stored flag, for the list's badge: a lookup per row of the page on
        # asset_flag's asset_id index.
        sa_select(
            func.max(
                case(
                    *((col(AssetFlag.flag) == flag.value, rank) for flag, rank in _RANKS.items()),
                    else_=0,
                )
            )
        )
        .where(col(AssetFlag.asset_id) == col(Asset.id))
        .scalar_subquery(),
    )
)


def _resolve(session: Session, flt: AssetFilter) -> _Resolved:
    names = reference_names(session)
    owner_id, category_id = names.owner_and_category_ids(flt.owner, flt.category)
    search = _search(session, flt.q) if flt.q else None
    return _Resolved(owner_id, category_id, search)


# Assets by an earlier tag: built once (every indexed search runs it).
_ALIASED = sa_select(AssetTagAlias.asset_id).where(  # type: ignore[call-overload]
    func.lower(AssetTagAlias.tag).like(bindparam("pattern"), escape="\\")
)


def _search(session: Session, q: str) -> _Search:
    """Substring search on tag, serial, holder, model and hostname, through the database's
    trigram index: SQLite FTS5 (tokenize=trigram) or PostgreSQL pg_trgm."""
    needle = q.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if len(needle) < MIN_INDEXED_QUERY:
        return _Search(prefix=escaped)
    pattern = "%" + escaped + "%"
    # Models are few (a few hundred rows): match their names directly.
    models = (
        select(Model.id)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)  # type: ignore[arg-type]
        .where(func.lower(Manufacturer.name + " " + Model.name).like(pattern, escape="\\"))
    )
    model_ids = tuple(i for i in session.exec(models) if i is not None)
    # Aliases are few too (one per corrected tag).
    aliased = session.connection().execute(_ALIASED, {"pattern": pattern}).scalars()
    alias_ids = tuple(sorted(set(aliased)))
    if session.get_bind().dialect.name == "sqlite":
        phrase = '"' + needle.replace('"', '""') + '"'
        return _Search(fts_phrase=phrase, model_ids=model_ids, alias_ids=alias_ids)
    return _Search(like_pattern=pattern, model_ids=model_ids, alias_ids=alias_ids)


def _values(actor: User, flt: AssetFilter, resolved: _Resolved) -> dict[str, Any]:
    """A filter's values, each by the name of the bound parameter it becomes. The names
    given also fix the statement's shape, so statements are built once per shape and run
    with each request's values (building one cost more than running it)."""
    given: dict[str, Any] = {
        # The owner scope (services/scope.py) as a parameter of the prebuilt statements.
        "scope": scope.scoped_owner(actor),
        "owner": resolved.owner_id,
        "category": resolved.category_id,
        "status": flt.status,
        "site": flt.site_id,
        "location": flt.location_id,
        "unit": flt.business_unit_id,
        "flag": flt.flag,
        "gone": Status.DISPOSED.value if flt.active_only and flt.status is None else None,
    }
    search = resolved.search
    if search is not None:
        if search.prefix is not None:
            given["tag_prefix"] = search.prefix.upper() + "%"
            given["serial_prefix"] = search.prefix + "%"
        else:
            given["phrase"] = search.fts_phrase
            given["pattern"] = search.like_pattern
            # An OR with the model term costs SQLite a second index pass: only when needed.
            given["model_ids"] = list(search.model_ids) or None
            given["alias_ids"] = list(search.alias_ids) or None
    return {name: value for name, value in given.items() if value is not None}


# The values bound as lists (expanding IN parameters).
_LISTS = frozenset({"model_ids", "alias_ids"})


def _terms(
    values: dict[str, Any], *, scan_in_order: bool = False, bound: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE terms for the values given. With scan_in_order, SQLite is kept off the
    filter columns' indexes (its documented unary-plus rule), so that it walks the sort's
    index. Unbound, the terms hold only the values' names: for statements kept and run
    again, which then must be given every value (none is left over from an earlier run)."""

    def term(column: Any) -> Any:
        if not scan_in_order:
            return column
        return UnaryExpression(
            column.__clause_element__(), operator=custom_op("+"), type_=column.type
        )

    def value(name: str) -> Any:
        if bound:
            return bindparam(name, values[name], expanding=name in _LISTS)
        return bindparam(name, expanding=name in _LISTS, required=True)

    where: list[ColumnElement[bool]] = []
    equal = {
        "scope": scope.owner_column(Asset),
        "owner": Asset.owner_id,
        "category": Asset.category_id,
        "status": Asset.status,
        "location": Asset.location_id,
        "unit": Asset.business_unit_id,
    }
    where += [term(col(c)) == value(name) for name, c in equal.items() if name in values]
    if "gone" in values:
        where.append(term(col(Asset.status)) != value("gone"))
    if "site" in values:
        rooms = select(Location.id).where(Location.site_id == value("site"))
        where.append(term(col(Asset.location_id)).in_(rooms))
    if "flag" in values:
        # As the nightly flag job last computed them.
        flagged = select(AssetFlag.asset_id).where(AssetFlag.flag == value("flag"))
        where.append(term(col(Asset.id)).in_(flagged))
    if "tag_prefix" in values:
        where.append(
            or_(
                term(col(Asset.tag)).like(value("tag_prefix"), escape="\\"),
                func.lower(term(col(Asset.serial))).like(value("serial_prefix"), escape="\\"),
            )
        )
    by_text = None
    if "phrase" in values:
        ids = text("SELECT rowid FROM asset_fts WHERE asset_fts MATCH :phrase")
        ids = ids.bindparams(value("phrase")).columns(literal_column("rowid"))  # type: ignore[assignment]
        by_text = term(col(Asset.id)).in_(ids)
    if "pattern" in values:
        by_text = term(col(Asset.search_text)).like(value("pattern"), escape="\\")
    if by_text is not None and "model_ids" in values:
        by_text = or_(by_text, term(col(Asset.model_id)).in_(value("model_ids")))
    if by_text is not None and "alias_ids" in values:
        by_text = or_(by_text, term(col(Asset.id)).in_(value("alias_ids")))
    if by_text is not None:
        where.append(by_text)
    return where


def conditions(
    actor: User, flt: AssetFilter, resolved: _Resolved, *, scan_in_order: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE terms of a filter, its values bound."""
    return _terms(_values(actor, flt, resolved), scan_in_order=scan_in_order)


def where_clause(session: Session, *, actor: User, flt: AssetFilter) -> ColumnElement[bool]:
    """The filter as one WHERE clause, for other uses of the same selection (labels, exports)."""
    return and_(true(), *conditions(actor, flt, _resolve(session, flt)))


# Statements by shape (see _values): the values given, the sort and the plan. There are a
# few hundred shapes at most; the bound keeps odd query strings from growing it for ever.
_STATEMENTS: dict[tuple[Any, ...], Any] = {}
_MAX_STATEMENTS = 500


def _statement(key: tuple[Any, ...], build: Any) -> Any:
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[key] = build()
    return stmt


def _page_statement(values: dict[str, Any], sort: str, scan_in_order: bool) -> Any:
    def build() -> Any:
        # Pick the page's ids on the asset table alone (its indexes answer filter and
        # order), then join the names onto those few rows only.
        page_ids = (
            select(Asset.id)
            .where(*_terms(values, scan_in_order=scan_in_order, bound=False))
            .order_by(*order_by(sort))
            .offset(bindparam("offset"))
            .limit(bindparam("limit"))
        )
        return _ROWS.where(col(Asset.id).in_(page_ids)).order_by(*order_by(sort))

    return _statement(("page", frozenset(values), sort, scan_in_order), build)


def list_assets(
    session: Session, *, actor: User, flt: AssetFilter, count_limit: int | None = None
) -> Page:
    """One page of assets and how many match. With count_limit, counting stops there
    (the page then says "more than ..."): an exact count of 90 000 rows is time no one needs,
    except for a page beyond the limit or the last page, which are counted exactly.

    A page in the second half of the matches is read from the end, in the opposite order,
    so that the last page costs what the first does rather than a walk past every row
    before it (issue 16: 4-6 times the first page at 300 000 assets)."""
    resolved = _resolve(session, flt)
    values = _values(actor, flt, resolved)
    run = session.connection().execute
    beyond_limit = count_limit is not None and flt.page * flt.per_page > count_limit
    if flt.last_page or beyond_limit:
        count_limit = None
    counted = _count(session, values, count_limit)
    total = counted.total
    if flt.last_page:
        flt = replace(flt, page=max(1, -(-total // flt.per_page)), last_page=False)
    offset = (flt.page - 1) * flt.per_page
    # Rows before the page from the start, and after it from the end (exact counts only).
    from_end = total - offset - flt.per_page if counted.exact else None
    backwards = from_end is not None and from_end < offset
    skip, sort = offset, flt.sort
    limit = flt.per_page
    if backwards:
        assert from_end is not None
        skip, limit = max(0, from_end), min(flt.per_page, total - offset)
        sort = sort.removeprefix("-") if sort.startswith("-") else f"-{sort}"
    filtered = flt != AssetFilter(sort=flt.sort, page=flt.page, per_page=flt.per_page)
    scan_in_order = False
    if filtered and total and session.get_bind().dialect.name == "sqlite":
        # PostgreSQL's planner weighs this itself from its statistics.
        register = run(_LARGEST_ID).scalar() or 1
        scan_in_order = _walk_in_order(total, register, skip + limit)
    items = [
        AssetRow(
            tag=r[0],
            serial=r[1],
            status=Status(r[2]),
            holder=r[3],
            purchase_date=r[4],
            price_ore=r[5],
            model=r[6],
            manufacturer=r[7],
            category=r[8],
            owner=r[9],
            owner_slug=r[10],
            location=location_name(r[11], r[12], r[13]) if r[11] else None,
            flag=_BY_RANK.get(r[14] or 0),
        )
        for r in (
            run(
                _page_statement(values, sort, scan_in_order),
                {**values, "offset": skip, "limit": limit},
            )
            if limit > 0
            else ()
        )
    ]
    if backwards:
        items.reverse()
    if not counted.exact and count_limit is not None and total > count_limit:
        return Page(items=items, total=count_limit, filter=flt, capped=True)
    return Page(items=items, total=total, filter=flt)


@dataclass(frozen=True)
class _Counted:
    total: int
    # False when counting was told to stop at a limit (whether or not it reached it).
    exact: bool


def _count(session: Session, values: dict[str, Any], count_limit: int | None) -> _Counted:
    run = session.connection().execute
    # SQLite takes -1 for no limit; PostgreSQL takes NULL.
    no_limit = -1 if session.get_bind().dialect.name == "sqlite" else None
    limit = no_limit if count_limit is None else count_limit + 1
    if values.keys() == {"phrase"}:
        # The index's own row ids are the matching assets (it is kept by triggers), so they
        # need not be looked up in the asset table one by one.
        counted = _statement(("fts count",), lambda: _FTS_COUNT)
        found = run(counted, {"phrase": values["phrase"], "limit": limit}).scalar_one()
        return _Counted(int(found), exact=count_limit is None)

    def build() -> Any:
        matching = select(Asset.id).where(*_terms(values, bound=False)).limit(bindparam("limit"))
        return sa_select(func.count()).select_from(matching.subquery())

    counted = _statement(("count", frozenset(values)), build)
    found = run(counted, {**values, "limit": limit}).scalar_one()
    return _Counted(int(found), exact=count_limit is None)


_FTS_COUNT = text(
    "SELECT count(*) FROM (SELECT rowid FROM asset_fts WHERE asset_fts MATCH :phrase LIMIT :limit)"
)


def _walk_in_order(total: int, register: int, rows_needed: int) -> bool:
    """Whether to walk the sort's index, skipping non-matching rows, rather than fetch every
    match and sort it (which SQLite would otherwise always do). Walking reads about
    rows_needed / share rows; sorting reads every match: walk when that is fewer."""
    share = total / register
    return rows_needed / share < total


def menu_key(session: Session, *, actor: User) -> tuple[object, int | None]:
    """What the filter menus depend on, for caching them: the reference data's version and
    the user's owner scope."""
    return reference_names(session).token, scope.scoped_owner(actor)


def filter_choices(session: Session, *, actor: User) -> dict[str, list[tuple[str, str]]]:
    """What the list's filter menus offer. Sites rather than rooms: a technician asks for
    "everything at Slottsskolan"; a single room is reached through the location parameter."""
    names = reference_names(session)
    return {
        "owner": [(o.slug, o.name) for o in names.owners_for(actor)],
        "category": [(c.slug, c.name) for c in names.categories],
        "status": [(s.value, s.label) for s in Status],
        "site": [(str(site.id), site.name) for site in names.sites_for(actor)],
        "unit": [(str(u.id), u.name) for u in names.units_for(actor)],
    }
