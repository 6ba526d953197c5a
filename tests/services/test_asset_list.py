"""The list's search and paging give the same answer whichever way the database is asked:
counted from the trigram index or from the asset table, walked in the sort's order or
sorted afterwards."""

from __future__ import annotations

from sqlmodel import Session, select

from inventory.models import Asset, User
from inventory.services import asset_list
from inventory.services.asset_list import AssetFilter, _walk_in_order

from ..factories import Reference, make_asset

HOLDERS = ["Anna Andersson", "Annika Berg", "Erik Olsson", "Hanna Nilsson", "Bo Ek", None]


def _fleet(session: Session, ref: Reference) -> None:
    for n in range(36):
        make_asset(
            session,
            ref,
            holder=HOLDERS[n % len(HOLDERS)],
            owner_id=ref.borgholm.id if n % 3 else ref.morbylanga.id,
            model_id=ref.latitude.id if n % 4 else ref.iphone.id,
            hostname=f"bh-sw-{n:02d}" if n % 5 == 0 else None,
        )


def _all_pages(session: Session, actor: User, q: str, per_page: int) -> tuple[int, list[str]]:
    tags: list[str] = []
    page = 1
    while True:
        result = asset_list.list_assets(
            session, actor=actor, flt=AssetFilter(q=q, per_page=per_page, page=page)
        )
        tags += [row.tag for row in result.items]
        if page >= result.pages:
            return result.total, tags
        page += 1


def test_search_totals_and_pages_agree_with_plain_matching(
    session: Session, ref: Reference
) -> None:
    _fleet(session, ref)
    models = {ref.latitude.id: "dell latitude 5440", ref.iphone.id: "apple iphone 15"}
    assets = session.exec(select(Asset).order_by(Asset.tag)).all()
    for actor in (ref.viewer, ref.viewer_morbylanga):
        for q in ["anna", "olsson", "bh-sw", "latitude", "iphone", "nna", "zzz", "IT-0"]:
            needle = q.lower()
            expected = [
                a.tag
                for a in assets
                if (actor.owner_id is None or a.owner_id == actor.owner_id)
                and any(
                    needle in (text or "").lower()
                    for text in (a.tag, a.serial, a.holder, a.hostname, models[a.model_id])
                )
            ]
            # per_page 2 walks the tag index; 50 sorts the matches (see _walk_in_order).
            for per_page in (2, 50):
                total, tags = _all_pages(session, actor, q, per_page)
                assert (total, tags) == (len(expected), expected), (actor.email, q, per_page)
        # Two letters are too few for trigrams: tags and serials that start with them.
        expected = [
            a.tag
            for a in assets
            if (actor.owner_id is None or a.owner_id == actor.owner_id)
            and (a.tag.lower().startswith("sn") or (a.serial or "").lower().startswith("sn"))
        ]
        assert expected and _all_pages(session, actor, "sn", 2) == (len(expected), expected)


def test_the_plan_is_chosen_by_expected_rows_read() -> None:
    # 2 600 matches of 100 000: walking reads about 960 rows, sorting all 2 600 matches.
    assert _walk_in_order(2600, 100_000, AssetFilter(per_page=25))
    # 300 matches: walking would read about 8 300 rows; sorting 300 is cheaper.
    assert not _walk_in_order(300, 100_000, AssetFilter(per_page=25))
    # Deep pages need more rows walked: page 40 of a 2 600-match search is sorted.
    assert not _walk_in_order(2600, 100_000, AssetFilter(per_page=25, page=40))


def test_the_filter_menus_offer_only_what_the_user_may_see(
    session: Session, ref: Reference
) -> None:
    everything = asset_list.filter_choices(session, actor=ref.viewer)
    assert {name for _, name in everything["site"]} == {"Slottsskolan", "Serverhall Borgholm"}
    scoped = asset_list.filter_choices(session, actor=ref.viewer_morbylanga)
    # Mörbylånga's users see the joint server hall, not Borgholm's school.
    assert [name for _, name in scoped["site"]] == ["Serverhall Borgholm"]
    assert [slug for slug, _ in scoped["owner"]] == ["morbylanga"]
    assert [name for _, name in scoped["unit"]] == ["Vård och omsorg"]
