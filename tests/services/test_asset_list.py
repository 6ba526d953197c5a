"""The list's search and paging give the same answer whichever way the database is asked:
counted from the trigram index or the asset table, walked in the sort's order or
sorted afterwards; its menus follow changes to the reference data at once."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlmodel import Session, select

from inventory.domain.errors import ValidationFailed
from inventory.models import Asset, Category, Owner, User
from inventory.services import asset_list, reference
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
    assert _walk_in_order(2600, 100_000, rows_needed=25)
    # 300 matches: walking would read about 8 300 rows; sorting 300 is cheaper.
    assert not _walk_in_order(300, 100_000, rows_needed=25)
    # Deep pages need more rows walked: page 40 of a 2 600-match search is sorted.
    assert not _walk_in_order(2600, 100_000, rows_needed=40 * 25)


@pytest.mark.parametrize("sort", sorted(asset_list.SORTS))
def test_pages_read_from_the_end_are_the_same_pages(
    session: Session, ref: Reference, sort: str
) -> None:
    """Pages in the second half are read in the opposite order from the end: every page, in
    every sort, scoped or not, holds what reading from the start puts there, and "last" is
    the last page's number however many match, past the count limit too."""
    _fleet(session, ref)
    for actor in (ref.viewer, ref.viewer_morbylanga):
        everything = asset_list.list_assets(
            session, actor=actor, flt=AssetFilter(sort=sort, per_page=200)
        )
        expected = [row.tag for row in everything.items]
        assert len(expected) == everything.total > 7
        per_page = 7
        got: list[str] = []
        pages = -(-len(expected) // per_page)
        for page in range(1, pages + 2):
            flt = AssetFilter(sort=sort, per_page=per_page, page=page)
            result = asset_list.list_assets(session, actor=actor, flt=flt)
            got += [row.tag for row in result.items]
        assert got == expected, (actor.email, sort)
        last = asset_list.list_assets(
            session,
            actor=actor,
            flt=asset_list.parse_filter({"sort": sort, "per_page": "7", "page": "last"}),
            count_limit=5,
        )
        assert (last.filter.page, last.pages, last.capped) == (pages, pages, False)
        assert [row.tag for row in last.items] == expected[(pages - 1) * per_page :]


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


def test_counts_of_owner_category_and_status_are_right_and_scoped(
    session: Session, ref: Reference
) -> None:
    _fleet(session, ref)
    assets = session.exec(select(Asset)).all()
    slugs = {ref.borgholm.id: "borgholm", ref.morbylanga.id: "morbylanga"}
    categories = {ref.pc.id: "pc", ref.phone.id: "phone"}
    for actor in (ref.viewer, ref.viewer_morbylanga):
        for owner in (None, "borgholm", "morbylanga"):
            for category in (None, "pc", "phone"):
                for status in (None, "in_stock", "deployed"):
                    flt = AssetFilter(owner=owner, category=category, status=status, per_page=5)
                    exact = asset_list.list_assets(session, actor=actor, flt=flt)
                    page = asset_list.list_assets(session, actor=actor, flt=flt, count_limit=8)
                    expected = [
                        a
                        for a in assets
                        if actor.owner_id in (None, a.owner_id)
                        and owner in (None, slugs[a.owner_id])
                        and category in (None, categories[a.category_id])
                        and status in (None, a.status)
                    ]
                    assert (exact.total, exact.capped) == (len(expected), False)
                    # Counted up to the limit, and said to be more beyond it.
                    assert (page.total, page.capped) == (min(8, len(expected)), len(expected) > 8)
                    assert [r.tag for r in page.items] == sorted(a.tag for a in expected)[:5]


def test_menus_and_filters_see_new_reference_data_at_once(session: Session, ref: Reference) -> None:
    def sites() -> list[str]:
        return [name for _, name in asset_list.filter_choices(session, actor=ref.viewer)["site"]]

    assert "Ekbackeskolan" not in sites()
    reference.save_site(
        session, actor=ref.admin, site=None, name="Ekbackeskolan", address="", owner_id=None
    )
    assert "Ekbackeskolan" in sites()
    with pytest.raises(ValidationFailed):
        asset_list.list_assets(session, actor=ref.viewer, flt=AssetFilter(category="tablet"))
    session.add(
        Category(
            slug="tablet", name="Surfplattor", depreciation_months=36, target_lifespan_months=48
        )
    )
    session.add(Owner(slug="borgholm-energi", name="Borgholm Energi AB", kind="company"))
    session.flush()  # seen within the same transaction, before it commits
    page = asset_list.list_assets(session, actor=ref.viewer, flt=AssetFilter(category="tablet"))
    assert page.total == 0
    session.commit()
    owners = asset_list.filter_choices(session, actor=ref.viewer)["owner"]
    assert ("borgholm-energi", "Borgholm Energi AB") in owners


def test_names_changed_and_rolled_back_are_not_kept(session: Session, ref: Reference) -> None:
    """A transaction that changed reference data sees its own change, and nothing of it is
    kept once it rolls back, though the next change takes the same version number."""
    session.add(Owner(slug="phantom", name="Rolled back"))
    session.flush()
    owners = asset_list.filter_choices(session, actor=ref.viewer)["owner"]
    assert ("phantom", "Rolled back") in owners
    session.rollback()
    session.add(Owner(slug="kalmar", name="Kalmar kommun"))
    session.commit()
    slugs = [slug for slug, _ in asset_list.filter_choices(session, actor=ref.viewer)["owner"]]
    assert "kalmar" in slugs and "phantom" not in slugs
    with pytest.raises(ValidationFailed):
        asset_list.list_assets(session, actor=ref.viewer, flt=AssetFilter(owner="phantom"))


def test_names_written_by_a_statement_and_rolled_back_are_not_kept(
    session: Session, ref: Reference
) -> None:
    """The same, for a write that is not the ORM's flush."""
    session.execute(insert(Owner).values(slug="phantom", name="Rolled back", kind="company"))
    assert "phantom" in dict(asset_list.filter_choices(session, actor=ref.viewer)["owner"])
    session.rollback()
    session.add(Owner(slug="kalmar", name="Kalmar kommun"))
    session.commit()
    slugs = dict(asset_list.filter_choices(session, actor=ref.viewer)["owner"])
    assert "kalmar" in slugs and "phantom" not in slugs
