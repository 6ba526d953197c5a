"""Earlier tags: when an asset's tag is corrected, its printed labels keep working.

The old tag becomes an alias (asset_tag_alias) in the same transaction as the rename, and
every place that looks an asset up by what someone typed or scanned — the asset page,
/a/<tag>, the scan page, stocktakes, the API — falls back to the aliases when no asset has
that tag. Current tags and aliases are one namespace: a tag is either one asset's tag or one
asset's alias. The checks here keep it so; the tables' unique constraints each cover their
own side, so two saves racing (one renaming X away, one registering X) could leave X as both
a tag and an alias: lookups then read the current tag first, so X still finds one asset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, literal, union_all
from sqlmodel import Session, col, select

from ..domain.assets import lookup_tag
from ..domain.text import N_
from ..models import Asset, AssetTagAlias, User
from . import batch
from .access import in_scope

TAKEN_BY_TAG = N_("Another asset already has this tag.")
TAKEN_BY_ALIAS = N_(
    "This tag was another asset's tag and its old labels still lead there: choose another."
)


# Built once: an import checks every row's tag, and building the union cost more than
# running it.
_CLASH: Any = union_all(
    select(literal("tag"), col(Asset.id)).where(Asset.tag == bindparam("tag")),
    select(literal("alias"), col(AssetTagAlias.asset_id)).where(
        AssetTagAlias.tag == bindparam("tag")
    ),
)


def tag_clash(session: Session, tag: str, *, asset_id: int | None) -> str | None:
    """Why `tag` cannot be given to the asset `asset_id` (None: a new asset), or None. An
    asset may take back one of its own earlier tags."""
    rows = batch.answer(
        session, ("tag", tag), lambda: [tuple(r) for r in session.execute(_CLASH, {"tag": tag})]
    )
    for kind, owner_id in rows:
        if owner_id != asset_id or asset_id is None:
            return TAKEN_BY_TAG if kind == "tag" else TAKEN_BY_ALIAS
    return None


def expect_tags(session: Session, tags: Collection[str]) -> None:
    """Inside a batch (an import): who holds each of `tags`, as tag or as earlier tag, read in
    a few queries for tag_clash to answer from, rather than one a row."""
    wanted = sorted(set(tags))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        held: dict[str, list[tuple[str, int]]] = {tag: [] for tag in chunk}
        rows = session.execute(
            union_all(
                select(literal("tag"), col(Asset.id), col(Asset.tag)).where(
                    col(Asset.tag).in_(chunk)
                ),
                select(literal("alias"), col(AssetTagAlias.asset_id), col(AssetTagAlias.tag)).where(
                    col(AssetTagAlias.tag).in_(chunk)
                ),
            )
        )
        for kind, asset_id, tag in rows:
            held[tag].append((kind, asset_id))
        for tag, holders in held.items():
            batch.tell(session, ("tag", tag), holders)


_CHUNK = 1000  # tags to an IN: well under every database's limit on bound parameters


def record_tag_change(session: Session, *, asset: Asset, old_tag: str, now: dt.datetime) -> None:
    """After `asset.tag` changed from `old_tag`: the old tag becomes an alias, and the new
    one, if it was one of the asset's own aliases, is one no longer. Adds to the caller's
    transaction; the caller commits."""
    if asset.tag == old_tag:
        return
    # Without flushing the asset: its UPDATE (and a lost race's StaleDataError) belongs to
    # the caller's commit, which turns that race into a clear conflict.
    with session.no_autoflush:
        session.execute(
            delete(AssetTagAlias).where(
                col(AssetTagAlias.tag) == asset.tag, col(AssetTagAlias.asset_id) == asset.id
            )
        )
    session.add(AssetTagAlias(tag=old_tag, asset_id=asset.id, created_at=now))  # type: ignore[arg-type]


def asset_by_alias(session: Session, tag: str, *where: Any) -> Asset | None:
    """The asset that had `tag` before (with the caller's further conditions, e.g. a
    stocktake's scope), or None."""
    return session.exec(
        select(Asset)
        .join(AssetTagAlias, col(AssetTagAlias.asset_id) == Asset.id)
        .where(AssetTagAlias.tag == tag, *where)
    ).first()


def tag_for_alias(session: Session, tag: str) -> str | None:
    """The current tag of the asset that had `tag` before, or None. Not scoped: callers
    load the asset by the tag returned and check the actor's scope on it."""
    return session.exec(
        select(Asset.tag)
        .join(AssetTagAlias, col(AssetTagAlias.asset_id) == Asset.id)
        .where(AssetTagAlias.tag == tag)
    ).first()


def current_tag(session: Session, *, actor: User, tag: str) -> str | None:
    """The current tag for an earlier one, if the actor may see that asset; None otherwise,
    so that another owner's alias answers exactly like a tag nobody has."""
    wanted = lookup_tag(tag)
    if wanted is None:
        return None
    row = session.exec(
        select(Asset.tag, Asset.owner_id)
        .join(AssetTagAlias, col(AssetTagAlias.asset_id) == Asset.id)
        .where(AssetTagAlias.tag == wanted)
    ).first()
    if row is None or not in_scope(actor, row[1]):
        return None
    return row[0]


def aliases_of(session: Session, asset_id: int) -> list[str]:
    """An asset's earlier tags, oldest first."""
    return list(
        session.exec(
            select(AssetTagAlias.tag)
            .where(AssetTagAlias.asset_id == asset_id)
            .order_by(col(AssetTagAlias.created_at), col(AssetTagAlias.id))
        ).all()
    )


def earlier_tags(session: Session, *, asset: Asset, history: Sequence[Any]) -> list[str]:
    """The asset page's "Earlier tags", read only when its history (already read, in the
    page's one query) shows a rename: no query at all for the assets never renamed."""
    if asset.id is None or not was_renamed(history):
        return []
    return aliases_of(session, asset.id)


def was_renamed(history: Sequence[Any]) -> bool:
    """Whether an asset's history (HistoryEntry list) shows a tag change. Aliases are made
    only by a rename, which the history always records: an asset whose history shows none
    has no aliases, and the asset page need not ask the database."""
    return any(entry.action != "create" and "tag" in entry.changes for entry in history)
