"""Lifecycle flags for the whole register, stored so that lists, counts and reports can
filter on them. The rules themselves live once, in domain.lifecycle."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Protocol

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ..domain.lifecycle import AssetTerms, LifecycleFacts, assess
from ..domain.statuses import Status
from ..models import Asset, AssetFlag, Category, Model
from .fleet import active
from .support import SUPPORT_END

# Rows per INSERT batch: keeps memory flat at 100 000 assets.
BATCH = 5000


class AssetDates(Protocol):
    purchase_date: dt.date
    in_service_date: dt.date | None
    price_ore: int
    depreciation_months: int
    status: str
    warranty_end: dt.date | None
    due_override: dt.date | None


def terms_for(
    asset: AssetDates,
    *,
    target_lifespan_months: int,
    horizon_months: int,
    end_of_support: dt.date | None,
) -> AssetTerms:
    """An asset with its category's periods and its model's end of support, for the rules."""
    return AssetTerms(
        purchase_date=asset.purchase_date,
        in_service_date=asset.in_service_date,
        price_ore=asset.price_ore,
        depreciation_months=asset.depreciation_months,
        target_lifespan_months=target_lifespan_months,
        horizon_months=horizon_months,
        status=Status(asset.status),
        end_of_support=end_of_support,
        due_override=asset.due_override,
        warranty_end=asset.warranty_end,
    )


# Core's insert of the table: the ORM's bulk insert of the same rows spent more time
# preparing each row than the database spent storing it.
_FLAGS = AssetFlag.__table__  # type: ignore[attr-defined]


def _upsert(dialect: str) -> Any:
    """An insert that, for a flag the asset has already, takes the new values: a save and
    the nightly job may write one asset's flags at the same moment (PostgreSQL), and the
    second to commit would otherwise fail the whole save, or the job, on the key."""
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = make(_FLAGS)
    kept = ("category_id", "owner_id", "due_date", "computed_on")
    return stmt.on_conflict_do_update(
        index_elements=["flag", "asset_id"], set_={name: stmt.excluded[name] for name in kept}
    )


_INSERT_FLAG = {name: _upsert(name) for name in ("postgresql", "sqlite")}


def _terms_query() -> Any:
    return (
        select(  # type: ignore[call-overload, misc]
            Asset.id,
            Asset.category_id,
            Asset.owner_id,
            Asset.purchase_date,
            Asset.in_service_date,
            Asset.price_ore,
            Asset.depreciation_months,
            Asset.status,
            Asset.warranty_end,
            Asset.due_override,
            Category.target_lifespan_months,
            Category.horizon_months,
            SUPPORT_END,
        )
        .join(Category, Category.id == Asset.category_id)
        .join(Model, Model.id == Asset.model_id)
        .where(active(Asset.status))
    )


def recompute(session: Session, *, today: dt.date) -> dict[str, int]:
    """Recompute every active asset's flags on `today`, replacing the stored ones in one
    transaction: one read of the register, batched writes, no query per asset."""
    session.execute(delete(AssetFlag))
    counts = _store(session, session.execute(_terms_query()).all(), today=today)
    session.commit()
    return counts


def refresh(session: Session, *, where: Any, today: dt.date) -> None:
    """Recompute the stored flags of the assets `where` selects, in the caller's transaction
    (which commits): called with every change to an asset or to what its flags depend on, so
    that the stored flags never wait for the nightly job."""
    ids = select(Asset.id).where(where)
    gone = delete(AssetFlag).where(col(AssetFlag.asset_id).in_(ids))
    session.execute(gone)
    # Again, as a statement of its own sees what was committed since: had this save waited
    # for the nightly job's rewrite of these flags, the first saw the rows the job deleted,
    # not those it wrote (PostgreSQL's READ COMMITTED); what the job wrote goes now.
    session.execute(gone)
    _store(session, session.execute(_terms_query().where(where)).all(), today=today)


def _store(session: Session, rows: Any, *, today: dt.date) -> dict[str, int]:
    dialect = session.get_bind().dialect.name
    counts: Counter[str] = Counter()
    batch: list[dict[str, object]] = []
    for row in rows:
        facts = assess(
            terms_for(
                row,
                target_lifespan_months=row.target_lifespan_months,
                horizon_months=row.horizon_months,
                end_of_support=row.end_of_support,
            ),
            today=today,
        )
        for flag in facts.flags:
            counts[flag.value] += 1
            batch.append(
                {
                    "flag": flag.value,
                    "asset_id": row.id,
                    "category_id": row.category_id,
                    "owner_id": row.owner_id,
                    "due_date": facts.due_date,
                    "computed_on": today,
                }
            )
        if len(batch) >= BATCH:
            session.execute(_INSERT_FLAG[dialect], batch)
            batch = []
    if batch:
        session.execute(_INSERT_FLAG[dialect], batch)
    return {"assets": len(rows), **counts}


def facts_for(
    asset: Asset,
    *,
    target_lifespan_months: int,
    horizon_months: int,
    end_of_support: dt.date | None,
    today: dt.date,
) -> LifecycleFacts:
    return assess(
        terms_for(
            asset,
            target_lifespan_months=target_lifespan_months,
            horizon_months=horizon_months,
            end_of_support=end_of_support,
        ),
        today=today,
    )
