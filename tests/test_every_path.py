"""One device driven through random sequences of every way a change reaches it — the field
actions (hand out, take back, report fault, seen, move), the status form, the assessment, the
reuse pool's hand-out, the edit form, the API's reads, changes and moves, an import of its
row from the list's export and an Intune export reporting it, the nightly job, the §20 split of the joint
property and the handover of a departing owner's register — with the register's promises
checked after every step, against the history rather than the code under test:

- no device is in the reuse pool, or has been sold, donated or recycled, without a data wipe
  dated and recorded after its latest return and not before its purchase (recycled: with a
  recycler and a certificate; young: with a written reason);
- only a device that is out (deployed, or in repair on its user's behalf) has a holder;
- search by the current holder finds the device, by a former holder it does not;
- the dashboard's counts and the stored flags equal a fresh computation;
- its spans (owner, status, unit and service object: reports of past days) retell its
  history, dated changes (a disposal's, the split's) included;
- a disposed device has its disposal date, a sold one its proceeds;
- every change an import made names an import that finished (a refused one wrote nothing).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inventory.domain.dates import add_months, local_date
from inventory.domain.statuses import DisposalKind, Status
from inventory.exports import asset_files
from inventory.jobs import run_job
from inventory.models import (
    Assessment,
    Asset,
    AssetEvent,
    AssetFlag,
    AssetSpan,
    Category,
    ImportRun,
    Model,
    Owner,
    ServiceObject,
)
from inventory.services import cost_keys, imports
from inventory.services.asset_list import AssetFilter
from inventory.services.dashboard import dashboard
from inventory.services.flags import facts_for

from .conftest import login
from .factories import TODAY, Reference, make_asset

HOLDERS = ("Anna Ekström", "Bosse Lindqvist", "Cilla Dahlgren", "Elev 4B Slottsskolan")
WIPE_DAYS = ("today", "yesterday", "before purchase", "")
ZONE = "Europe/Stockholm"
CARRIES_USER_DATA = {DisposalKind.SOLD.value, DisposalKind.DONATED.value, "recycled"}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def build_machine(app: Flask, engine: Engine, ref: Reference) -> type[RuleBasedStateMachine]:
    client = app.test_client()
    login(client, ref.technician.email)
    admin = app.test_client()
    login(admin, ref.admin.email)
    # One database for every example: each split needs a date of its own (a split is decided
    # once), and each handover an owner of its own (an owner leaves once).
    split_days = iter(TODAY + dt.timedelta(days=n) for n in range(1, 10_000))
    with Session(engine) as s:
        for year in (2026, 2027, 2028):
            cost_keys.set_users(
                s, actor=ref.admin, year=year, users={"morbylanga": 2002, "borgholm": 1658},
                now=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )  # fmt: skip
    # The app's own clock (tests/conftest.py: one second a reading), for the services the
    # machine calls directly: their events fall in order with the pages'.
    app_now: Callable[[], dt.datetime] = app.config["INVENTORY"].extra["now"]
    run_the_job: Callable[[], Any] = lambda: run_job(
        engine, "flag-replacements", slot=f"x{dt.datetime.now().timestamp()}", today=TODAY
    )

    class OneDevice(RuleBasedStateMachine):
        @initialize(
            bought=st.sampled_from([dt.date(2019, 3, 1), dt.date(2024, 8, 15), TODAY]),
            holder=st.sampled_from([None, *HOLDERS]),
            joint=st.booleans(),
        )
        def register(self, bought: dt.date, holder: str | None, joint: bool) -> None:
            with Session(engine) as s:
                owner = ref.joint if joint else ref.borgholm
                asset = make_asset(s, ref, purchase_date=bought, holder=holder, owner_id=owner.id)
                self.tag, self.asset_id = asset.tag, asset.id

        @precondition(lambda self: self.status() == Status.DISPOSED.value)
        @rule(
            bought=st.sampled_from([dt.date(2019, 3, 1), dt.date(2024, 8, 15), TODAY]),
            holder=st.sampled_from([None, *HOLDERS]),
            joint=st.booleans(),
        )
        def register_the_next(self, bought: dt.date, holder: str | None, joint: bool) -> None:
            """A disposed device takes no more changes: go on with a new one."""
            self.register(bought, holder, joint)

        # --- reading ----------------------------------------------------------------------

        def status(self) -> str:
            with Session(engine) as s:
                return self.asset(s).status

        def asset(self, s: Session) -> Asset:
            found = s.get(Asset, self.asset_id)
            assert found is not None
            return found

        def events(self, s: Session, a: Asset) -> list[AssetEvent]:
            """Its history, oldest first."""
            return list(
                s.exec(
                    select(AssetEvent)
                    .where(AssetEvent.asset_id == a.id)
                    .order_by(col(AssetEvent.at), col(AssetEvent.id))
                ).all()
            )

        def version(self) -> str:
            with Session(engine) as s:
                return str(self.asset(s).version)

        def post(self, path: str, **data: Any) -> None:
            response = client.post(
                f"/assets/{self.tag}{path}", data={"version": self.version(), **data}
            )
            assert response.status_code in (200, 302, 409, 422), (path, response.status_code)

        # --- every way in ---------------------------------------------------------------

        @rule(holder=st.sampled_from(HOLDERS), from_pool_page=st.booleans())
        def hand_out(self, holder: str, from_pool_page: bool) -> None:
            if from_pool_page:
                # The reuse pool's one-tap hand-out is the same action, reached from the pool.
                client.get("/reuse")
            self.post("/do/hand_out", holder=holder)

        @rule(where=st.sampled_from(["", "hall"]))
        def take_back(self, where: str) -> None:
            # The form asks where the device is now; other paths may leave it where it was.
            place = {"location_id": str(ref.server_hall.id)} if where else {}
            self.post("/do/take_back", **place)

        @rule(comment=st.sampled_from(["", "Skärmen trasig"]))
        def report_fault(self, comment: str) -> None:
            self.post("/do/report_fault", comment=comment)

        @rule(action=st.sampled_from(["seen", "move"]))
        def seen_or_moved(self, action: str) -> None:
            self.post(f"/do/{action}", location_id=str(ref.server_hall.id))

        @rule(
            to=st.sampled_from([s.value for s in Status if s is not Status.DISPOSED]),
            kind=st.sampled_from(["", "sold"]),  # a kind with another status is refused
        )
        def status_form(self, to: str, kind: str) -> None:
            self.post("/status", target=to, disposal_kind=kind, confirmed="1")

        @rule(to=st.sampled_from([s.value for s in Status]))
        def status_form_unconfirmed(self, to: str) -> None:
            """The confirm step only shows the change: nothing is written until confirmed."""
            before = self.version()
            self.post("/status", target=to)
            assert self.version() == before

        @rule(
            kind=st.sampled_from(["", *[k.value for k in DisposalKind]]),
            comment=st.sampled_from(["", "Ersatt av ny modell"]),
            on=st.sampled_from(["", "yesterday", "last month", "tomorrow", "2019-01-01", "x"]),
            proceeds=st.sampled_from(["", "0", "450", "1 200,50", "-5", "12.500"]),
        )
        def status_form_disposal(self, kind: str, comment: str, on: str, proceeds: str) -> None:
            """Dated today unless told, possibly before today; sold needs its proceeds."""
            days = {"yesterday": -1, "last month": -30, "tomorrow": 1}
            typed = (TODAY + dt.timedelta(days=days[on])).isoformat() if on in days else on
            self.post(
                "/status",
                target=Status.DISPOSED.value,
                disposal_kind=kind,
                comment=comment,
                disposed_on=typed,
                proceeds=proceeds,
                confirmed="1",
            )

        @rule(
            grade=st.sampled_from(["A", "B", "C", ""]),
            decision=st.sampled_from(["reuse_pool", "spare", "sell", "donate", "recycle", ""]),
            ticked=st.booleans(),
            wiped_on=st.sampled_from(WIPE_DAYS),
            recycler=st.sampled_from(["", "Stena Recycling"]),
            certificate=st.sampled_from(["", "SR-2026-114"]),
            reason=st.sampled_from(["", "Moderkortet trasigt"]),
            battery=st.sampled_from(["", "87", "140"]),
            proceeds=st.sampled_from(["", "350", "abc"]),
        )
        def assess(
            self,
            grade: str,
            decision: str,
            ticked: bool,
            wiped_on: str,
            recycler: str,
            certificate: str,
            reason: str,
            battery: str,
            proceeds: str,
        ) -> None:
            with Session(engine) as s:
                bought = self.asset(s).purchase_date
            day = {
                "today": TODAY.isoformat(),
                "yesterday": (TODAY - dt.timedelta(days=1)).isoformat(),
                "before purchase": (bought - dt.timedelta(days=1)).isoformat(),
                "": "",
            }[wiped_on]
            wipe = {"wipe_method": "Blancco", "wiped_on": day, "wiped_by": "Tekniker Tina"}
            self.post(
                "/assess",
                grade=grade,
                decision=decision,
                battery_health=battery,
                recycler=recycler,
                certificate=certificate,
                reason=reason,
                proceeds=proceeds,
                **({"wiped": "y", **wipe} if ticked else (wipe if day else {})),
            )

        @rule(decision=st.sampled_from(["reuse_pool", "spare", "sell", "donate", "recycle"]))
        def assess_as_the_routine_says(self, decision: str) -> None:
            """A complete assessment (grade, battery, today's wipe, recycler and certificate,
            a reason): it reaches the pool and the ways out, which random forms rarely do."""
            self.post(
                "/assess", grade="B", decision=decision, battery_health="80", wiped="y",
                wipe_method="Blancco", wiped_on=TODAY.isoformat(), wiped_by="Tekniker Tina",
                recycler="Stena Recycling", certificate="SR-2026-115",
                reason="Moderkortet trasigt", proceeds="500" if decision == "sell" else "",
            )  # fmt: skip

        @rule(name=st.sampled_from(["Mobila enheter", "Utskrifter", "Datorarbetsplats pedagogisk"]))
        def service_object_for_the_list_s_selection(self, name: str) -> None:
            """The asset list's selection (here: a search for its tag) gets a service object:
            the device changes unless disposed of, with its history and a span of its own."""
            with Session(engine) as s:
                chosen = s.exec(select(ServiceObject.id).where(ServiceObject.name == name)).one()
                was = self.asset(s)
                disposed, before = was.status == Status.DISPOSED.value, was.service_object_id
            response = client.post(f"/assets/service-object?q={self.tag}",
                                   data={"service_object_id": str(chosen)})  # fmt: skip
            assert response.status_code == 302, response.status_code
            with Session(engine) as s:
                assert self.asset(s).service_object_id == (before if disposed else chosen)

        @rule(holder=st.sampled_from(["", *HOLDERS]))
        def edit_form(self, holder: str, owner_id: int | None = None) -> None:
            with Session(engine) as s:
                a = self.asset(s)
                if a.status == Status.DISPOSED.value:
                    return
                fields = {
                    "tag": a.tag,
                    "serial": a.serial or "",
                    "model_id": str(a.model_id),
                    "owner_id": str(owner_id or a.owner_id),
                    "purchase_date": a.purchase_date.isoformat(),
                    "in_service_date": a.in_service_date.isoformat() if a.in_service_date else "",
                    "price": "12 490,00",
                    "location_id": str(a.location_id or ""),
                    "holder": holder,
                }
            self.post("/edit", **fields)

        @rule()
        def api_read(self) -> None:
            assert client.get(f"/api/v1/assets/{self.tag}").status_code == 200

        @rule(holder=st.sampled_from([None, *HOLDERS]), notes=st.sampled_from(["", "Ny laddare"]))
        def api_change(self, holder: str | None, notes: str) -> None:
            """Another system changes its fields through the API, with the version read."""
            url = f"/api/v1/assets/{self.tag}"
            etag = client.get(url).headers["ETag"]
            changed = client.patch(
                url, json={"holder": holder, "notes": notes}, headers={"If-Match": etag}
            )
            assert changed.status_code in (200, 412, 422), changed.get_json()

        @rule(
            to=st.sampled_from(["in_repair", "returned", "reuse_pool", "disposed", "in_stock"]),
            kind=st.sampled_from([None, "recycled", "lost", "sold"]),
        )
        def api_transition(self, to: str, kind: str | None) -> None:
            url = f"/api/v1/assets/{self.tag}"
            etag = client.get(url).headers["ETag"]
            body: dict[str, Any] = {"target": to, "comment": "Via servicedesken"}
            if to == "disposed":
                body |= {
                    "disposal_kind": kind or "lost",
                    "proceeds_sek": "100" if kind == "sold" else None,
                }
            moved = client.post(f"{url}/transitions", json=body, headers={"If-Match": etag})
            assert moved.status_code in (200, 412, 422), moved.get_json()

        @rule(holder=st.sampled_from(["", *HOLDERS]), where=st.sampled_from(["", "hall"]))
        def import_of_its_row(self, holder: str, where: str) -> None:
            """Its row in the list's export, changed in a spreadsheet and imported again."""
            with Session(engine) as s:
                body, _ = asset_files.render(
                    s, actor=ref.technician, flt=AssetFilter(q=self.tag), layout="native",
                    locale="sv", xlsx=False,
                )  # fmt: skip
            text = body.decode("utf-8-sig")
            header, *rows = [r for r in text.split("\r\n") if r]
            names = header.split(";")
            row = next(r for r in rows if r.startswith(self.tag + ";")).split(";")
            row[names.index("Innehavare")] = holder
            if where:
                row[names.index("Anläggning")] = "Serverhall Borgholm"
                row[names.index("Byggnad")] = "Kommunhuset"
                row[names.index("Rum")] = "Serverhall"
            data = (header + "\r\n" + ";".join(row) + "\r\n").encode("utf-8")
            with Session(engine, expire_on_commit=False) as s:
                result = imports.run_import(
                    s, actor=ref.technician, data=data, filename="rad.csv", options=imports.Options(),
                    dry_run=False, now=app_now(),
                )  # fmt: skip
            assert result.counts["created"] == 0 and len(result.rows) == 1

        @rule(days_ago=st.sampled_from([1, 90]))
        def intune_reports_it(self, days_ago: int) -> None:
            """The monthly device management export: its OS version and last check-in; a
            disposed device that checked in lately is a conflict, and nothing is written."""
            with Session(engine) as s:
                serial = self.asset(s).serial
            seen = (TODAY - dt.timedelta(days=days_ago)).isoformat()
            data = (f"Device name,Serial number,OS version,Last check-in,Primary user UPN\r\n"
                    f"PC1,{serial},10.0.{days_ago},{seen} 08:00:00,anna@borgholm.se\r\n").encode()  # fmt: skip
            with Session(engine, expire_on_commit=False) as s:
                result = imports.run_import(
                    s, actor=ref.technician, data=data, filename="intune.csv",
                    options=imports.Options(), dry_run=False,
                    now=app_now(),
                )  # fmt: skip
            disposed = self.status() == Status.DISPOSED.value
            outcome = result.rows[0].outcome.value
            assert outcome in (("conflict",) if disposed and days_ago == 1 else
                               ("unchanged",) if disposed else ("updated", "unchanged")), outcome  # fmt: skip

        @rule()
        def nightly_job(self) -> None:
            run_the_job()

        @rule()
        def split_the_joint_property(self) -> None:
            """The committee's split (agreement §20), computed and applied from its page: a
            joint device gets a municipality, like every joint asset not disposed by then."""
            on = next(split_days).isoformat()
            admin.post("/partnership/split/compute", data={"on": on})
            decided = admin.post(
                "/partnership/split/decide",
                data={"on": on, "decided_on": TODAY.isoformat(), "decision_ref": "ITN § 45/2026",
                      "comment": "", "confirmed": "yes"},
            )  # fmt: skip
            assert decided.status_code in (302, 422), decided.status_code

        @rule(months=st.sampled_from([36, 60, 72, 120]))
        def lifespan_made_the_rule_from_the_refresh_plan(self, months: int) -> None:
            """An admin makes a refresh plan's what-if the rule for the device's category:
            its flags must follow at once (the invariant below recomputes them)."""
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                category = s.get(Category, self.asset(s).category_id)
                assert category is not None
                slug, current = category.slug, category.target_lifespan_months
            adopted = admin.post(
                "/reports/refresh-plan/adopt",
                data={f"lifespan.{slug}": str(months), "confirm": "1"},
            )
            assert adopted.status_code == 302, adopted.status_code
            with Session(engine) as s:
                category = s.get(Category, self.asset(s).category_id)
                assert category is not None
                assert category.target_lifespan_months == months or months == current

        @rule(now=st.integers(0, 3))
        def owner_leaves_with_the_device(self, now: int) -> None:
            """Its owner leaves and hands its register over: the device, whatever it is doing,
            leaves as handed over, and nothing more can be registered for that owner. (One
            draw in four: it ends the device, and the other paths need devices to walk.)"""
            if now:
                return
            with Session(engine) as s:
                if self.asset(s).status == Status.DISPOSED.value:
                    return
                leaving = Owner(slug=f"kommun-{self.asset_id}", name=f"Kommun {self.asset_id}",
                                leaves_on=TODAY)  # fmt: skip
                s.add(leaving)
                s.commit()
                owner_id = leaving.id
            with Session(engine) as s:
                holder = self.asset(s).holder or ""
            self.edit_form(holder, owner_id=owner_id)  # the device becomes theirs, by the form
            with Session(engine) as s:
                assert self.asset(s).owner_id == owner_id
            handed = admin.post(f"/admin/owners/{owner_id}/handover", data={"confirm": "yes"})
            assert handed.status_code == 302, handed.status_code
            assert self.status() == Status.DISPOSED.value

        # --- the promises -----------------------------------------------------------------

        @invariant()
        def nothing_reused_or_handed_over_without_a_wipe_after_its_return(self) -> None:
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                a = self.asset(s)
                events = self.events(s, a)
                returns = [
                    _aware(e.at)
                    for e in events
                    if (e.changes.get("status") or [None])[0] == Status.DEPLOYED.value
                ]
                last_return = returns[-1] if returns else None
                needs_wipe = a.status == Status.REUSE_POOL.value or (
                    a.status == Status.DISPOSED.value and a.disposal_kind in CARRIES_USER_DATA
                )
                if not needs_wipe:
                    return
                wipes = [
                    w
                    for w in s.exec(
                        select(Assessment).where(Assessment.asset_id == a.id, col(Assessment.wiped))
                    ).all()
                    if w.wiped_on is not None
                    and w.wiped_on >= a.purchase_date
                    and (
                        last_return is None
                        or (
                            _aware(w.assessed_at) >= last_return
                            and w.wiped_on >= local_date(last_return, ZONE)
                        )
                    )
                ]
                assert wipes, f"{a.status}/{a.disposal_kind} without a wipe after {last_return}"
                if a.disposal_kind == DisposalKind.RECYCLED.value:
                    latest = max(wipes, key=lambda w: _aware(w.assessed_at))
                    assert latest.recycler and latest.certificate
                # Judged once, right after the step that disposed of it, by the lifespan of
                # then: a lifespan made the rule later (the refresh plan's what-if) does not
                # make an old device's disposal young afterwards.
                judged: set[int] = self.__dict__.setdefault("judged_disposals", set())
                if a.status == Status.DISPOSED.value and events[-1].id not in judged:
                    judged.add(events[-1].id)  # type: ignore[arg-type]
                    lifespan = s.exec(
                        select(Category.target_lifespan_months).where(Category.id == a.category_id)
                    ).one()
                    start = a.in_service_date or a.purchase_date
                    if TODAY < add_months(start, lifespan):
                        assert events[-1].comment.strip(), "a young device left without a reason"

        @invariant()
        def its_spans_retell_its_history(self) -> None:
            """asset_span (what reports of past days read) says what the events say: one span
            per registration and per change of owner, status, business unit or service
            object, in order, each from the local day of its event (a disposal's or a split's
            own date, never before the span before) to the next one's, its status's first day
            kept over changes of the rest, the last one open and what the asset is now."""
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                a = self.asset(s)
                events = self.events(s, a)
                spans = s.exec(
                    select(AssetSpan)
                    .where(AssetSpan.asset_id == a.id)
                    .order_by(col(AssetSpan.started_on), col(AssetSpan.id))
                ).all()
            keys = ("owner_id", "status", "business_unit_id", "service_object_id")
            expected: list[tuple[Any, ...]] = []
            now: dict[str, Any] = dict.fromkeys(keys)
            since: dt.date | None = None
            for e in events:
                if e.action != "create" and not set(keys) & e.changes.keys():
                    continue
                was = dict(now)
                now.update({k: e.changes[k][1] for k in keys if k in e.changes})
                dated = (e.changes.get("disposed_on") or e.changes.get("split_on") or [0, None])[1]
                day = local_date(_aware(e.at), ZONE)
                day = min(day, dt.date.fromisoformat(dated)) if dated else day
                day = max(day, expected[-1][-2]) if expected else day
                if not expected:
                    since = None  # the status registered: reports reach back to the purchase
                elif now["status"] != was["status"]:
                    since = day
                expected.append((*now.values(), was["status"], was["owner_id"], day, since))
            got = [(x.owner_id, x.status, x.business_unit_id, x.service_object_id, x.from_status,
                    x.from_owner_id, x.started_on, x.status_since) for x in spans]  # fmt: skip
            assert got == expected
            assert [x.ended_on for x in spans] == [x.started_on for x in spans[1:]] + [None]
            assert (spans[-1].owner_id, spans[-1].status) == (a.owner_id, a.status)

        @invariant()
        def a_disposal_is_dated_and_a_sale_has_its_proceeds(self) -> None:
            """For the asset ledger: a disposed device left on a day between its purchase and
            the day it was recorded, after its last change before; a sold one has what it
            fetched; proceeds only for a sale or recycling, never negative."""
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                a = self.asset(s)
                events = self.events(s, a)
            if a.status != Status.DISPOSED.value:
                assert a.disposed_on is None and a.proceeds_ore is None
                return
            recorded = local_date(_aware(events[-1].at), ZONE)
            assert a.disposed_on is not None and a.purchase_date <= a.disposed_on <= recorded
            earlier = [e for e in events[:-1] if e.action == "create" or
                       {"owner_id", "status"} & e.changes.keys()]  # fmt: skip
            assert a.disposed_on >= local_date(_aware(earlier[-1].at), ZONE)
            assert events[-1].changes["disposed_on"] == [None, a.disposed_on.isoformat()]
            if a.disposal_kind == DisposalKind.SOLD.value:
                assert a.proceeds_ore is not None
            if a.proceeds_ore is not None:
                assert a.proceeds_ore >= 0
                assert a.disposal_kind in (DisposalKind.SOLD.value, DisposalKind.RECYCLED.value)

        @invariant()
        def every_imported_change_names_a_finished_import(self) -> None:
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                for e in self.events(s, self.asset(s)):
                    if e.action == "import" or e.import_id is not None:
                        run = s.get(ImportRun, e.import_id)
                        assert run is not None and run.outcome == "done", (e.action, e.import_id)

        @invariant()
        def only_a_device_out_has_a_holder(self) -> None:
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                a = self.asset(s)
                if a.status not in (Status.DEPLOYED.value, Status.IN_REPAIR.value):
                    assert a.holder is None, (a.status, a.holder)

        @invariant()
        def search_finds_the_current_holder_and_not_the_former(self) -> None:
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                holder = self.asset(s).holder
                held = s.exec(
                    select(AssetEvent.changes).where(AssetEvent.asset_id == self.asset_id)
                ).all()
            names = {name for changes in held for name in changes.get("holder", []) if name} | (
                {holder} if holder else set()
            )
            for name in names:
                found = client.get("/api/v1/assets", query_string={"q": name, "per_page": 100})
                tags = {item["tag"] for item in found.get_json()["items"]}
                assert (self.tag in tags) == (name == holder), (name, holder)

        @invariant()
        def the_dashboard_and_the_stored_flags_equal_a_fresh_computation(self) -> None:
            if not hasattr(self, "asset_id"):
                return
            with Session(engine) as s:
                everyone = s.exec(select(Asset)).all()
                figures = dashboard(s, actor=ref.viewer, today=TODAY)
                assert figures.by_status == Counter(Status(a.status) for a in everyone)
                assert figures.by_category_owner == Counter(
                    (a.category_id, a.owner_id) for a in everyone if Status(a.status).is_active
                )
                a = self.asset(s)
                category = s.get(Category, a.category_id)
                model = s.get(Model, a.model_id)
                assert category is not None and model is not None
                fresh = facts_for(
                    a,
                    target_lifespan_months=category.target_lifespan_months,
                    horizon_months=category.horizon_months,
                    end_of_support=model.end_of_support,
                    today=TODAY,
                )
                stored = s.exec(select(AssetFlag.flag).where(AssetFlag.asset_id == a.id)).all()
                assert sorted(stored) == sorted(f.value for f in fresh.flags)

    return OneDevice


def test_every_rule_holds_on_every_path(app: Flask, engine: Engine, ref: Reference) -> None:
    machine = build_machine(app, engine, ref)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=60,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
