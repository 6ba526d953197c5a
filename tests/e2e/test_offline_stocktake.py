"""Stocktakes without a network (issue 12), in Debian's chromium on a phone viewport: scans
kept on the phone while the browser is offline (Playwright's offline mode), the page reloaded
offline from the service worker's copy, and everything sent once, in order, when the
connection is back; two phones on one stocktake; a scan that arrives after the stocktake was
closed, shown with the reason; and the field empty and focused after every scan."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from itsdangerous import TimestampSigner
from sqlmodel import Session, col, select

from inventory.models import StocktakeScan
from inventory.services import auth, stocktakes

from ..factories import NOW, PASSWORD, TODAY, Reference, TickingClock, make_asset
from .test_phone import log_in

# The phones' clocks: a little after the server's (which starts at NOW in tests and ticks a
# second per reading), so that their times of the scans lie within the stocktake and are kept.
PHONE_CLOCK = NOW + dt.timedelta(minutes=2)
WORKER_READY = """async () => {
  if (!navigator.serviceWorker.controller) return false;
  const kept = await (await caches.open("stocktakes-v1")).keys();
  const paths = kept.map((request) => new URL(request.url).pathname);
  return ["/static/stocktake.js", "/static/app.css", location.pathname].every(
    (path) => paths.includes(path)) && paths.some((path) => path.endsWith("bootstrap.min.css"));
}"""
KEPT_COPY_STAMP = """async () => {
  const copy = await (await caches.open("stocktakes-v1")).match(location.href);
  const page = new DOMParser().parseFromString(await copy.text(), "text/html");
  return page.getElementById("on-this-device").dataset.renderedAt;
}"""
ALL_SENT = """() => {
  const root = document.getElementById("on-this-device");
  return root && !root.hidden && root.dataset.waiting === "0"
    && !document.querySelector('#device-scans [data-state="waiting"]');
}"""


def open_phone(new_phone: Callable[..., Any], email: str) -> Any:
    page = new_phone()
    page.context.clock.install(time=PHONE_CLOCK)
    log_in(page, email)
    return page


def start_stocktake(page: Any, location_id: int | None) -> int:
    page.goto("/stocktakes/")
    # The room menu is searchable: type the room's name and pick it.
    name = page.inner_text(f"select[name=location_id] option[value='{location_id}']")
    page.fill("#start-location_id", name)
    page.click(f"#start-location_id-options [role=option]:text-is('{name}')")
    page.click("form:has(select[name=location_id]) button")
    page.wait_for_url(re.compile(r"/stocktakes/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def open_stocktake(page: Any, stocktake_id: int) -> None:
    """The page, with its service worker in control and the page and its files kept."""
    page.goto(f"/stocktakes/{stocktake_id}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # A page that began to load before the worker was installed stays without it.
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    # Polled here: wait_for_function does not wait for a promise to settle.
    deadline = time.monotonic() + 10
    while not page.evaluate(WORKER_READY):
        assert time.monotonic() < deadline, "the service worker did not keep the page"
        page.wait_for_timeout(100)


def scan(page: Any, code: str) -> None:
    page.fill("#code", code)
    page.press("#code", "Enter")


def device_scans(page: Any) -> list[dict[str, str]]:
    """This phone's list of scans, oldest first: code, state and what it says."""
    rows = page.eval_on_selector_all(
        "#device-scans li",
        """items => items.map(li => ({
          code: li.querySelector(".device-scan-code").textContent,
          state: li.dataset.state,
          said: li.querySelector(".device-scan-state").textContent}))""",
    )
    return list(reversed(rows))


def wait_until_sent(page: Any, count: int = 0) -> None:
    """Until nothing waits to be sent; with `count`, once that many scans are listed (right
    after a scan its line may not be listed yet, and nothing would wait)."""
    if count:
        page.wait_for_function(
            f"() => document.querySelectorAll('#device-scans li').length >= {count}",
            timeout=30_000,
        )
    page.wait_for_function(ALL_SENT, timeout=30_000)


def saved_scans(session: Session, stocktake_id: int) -> list[StocktakeScan]:
    session.expire_all()
    return list(
        session.exec(
            select(StocktakeScan)
            .where(StocktakeScan.stocktake_id == stocktake_id)
            .order_by(col(StocktakeScan.id))
        )
    )


def field_is_ready(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => document.activeElement && document.activeElement.id === 'code'"
            " && document.activeElement.value === ''"
        )
    )


def test_a_dozen_scans_offline_survive_a_reload_and_arrive_once_in_order(
    new_phone: Callable[..., Any],
    live_app: Flask,
    session: Session,
    ref: Reference,
    monkeypatch: Any,
) -> None:
    here = [make_asset(session, ref, location_id=ref.school.id) for _ in range(8)]
    strays = [make_asset(session, ref, location_id=ref.server_hall.id) for _ in range(2)]
    phone = open_phone(new_phone, ref.technician.email)
    stocktake_id = start_stocktake(phone, ref.school.id)
    open_stocktake(phone, stocktake_id)

    phone.context.set_offline(True)
    codes = [
        here[0].tag,
        here[1].tag.lower(),
        strays[0].tag,
        "IT-424242",
        here[2].tag,
        here[0].tag,  # again: a repeat
        f"http://127.0.0.1:8000/a/{here[3].tag}",
        here[4].tag,
        strays[1].tag,
        f"http://127.0.0.1:8000/a/{strays[0].tag}",  # again, by its label: a repeat
        "IT-434343",
        here[5].tag,
    ]
    for number, code in enumerate(codes, start=1):
        scan(phone, code)
        phone.wait_for_function(
            f"() => document.querySelectorAll('#device-scans li').length === {number}"
        )
        assert field_is_ready(phone)
    assert phone.is_visible("#offline-banner")
    banner = phone.inner_text("#offline-banner")
    assert "Ingen anslutning – skanningarna sparas i telefonen" in banner
    assert "12 skanningar väntar på att skickas" in banner
    assert [s["state"] for s in device_scans(phone)] == ["waiting"] * 12
    assert saved_scans(session, stocktake_id) == []

    # Reloaded without a network: the service worker's copy, with the scans still waiting.
    # (Each page the server renders is stamped with its clock, which only moves on.)
    server_clock = live_app.config["INVENTORY"].extra["now"]
    kept_copy, server_time = phone.evaluate(KEPT_COPY_STAMP), server_clock.moment
    phone.reload()
    phone.wait_for_function("() => document.querySelectorAll('#device-scans li').length === 12")
    assert phone.get_attribute("#on-this-device", "data-rendered-at") == kept_copy
    assert server_clock.moment == server_time  # the server rendered nothing meanwhile
    assert [s["code"] for s in device_scans(phone)] == codes
    assert {s["said"] for s in device_scans(phone)} == {"Väntar på att skickas"}
    assert "12 skanningar väntar på att skickas" in phone.inner_text("#offline-banner")
    assert phone.is_visible("#code") and "0 skannade" in phone.inner_text("#progress")

    # An hour in the cellar: the phone's and the server's clocks move on, and the kept page's
    # CSRF token has expired (Flask-WTF signs tokens for an hour): the phone renews it.
    phone.context.clock.fast_forward("01:00:00")
    live_app.config["INVENTORY"].extra["now"] = TickingClock(NOW + dt.timedelta(hours=1, minutes=5))
    later = int(time.time()) + 7200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    phone.context.set_offline(False)
    wait_until_sent(phone)
    assert phone.is_hidden("#offline-banner")

    saved = saved_scans(session, stocktake_id)
    repeats = {5, 9}
    assert [s.code for s in saved] == [
        tag.removeprefix("http://127.0.0.1:8000/a/").upper()
        for i, tag in enumerate(codes)
        if i not in repeats
    ]
    assert len({s.client_id for s in saved}) == 10 and None not in {s.client_id for s in saved}
    # The phone's times of the scans, kept: in the order made, within the stocktake, an hour
    # before they arrived.
    made = [s.scanned_at for s in saved]
    assert made == sorted(made) and len(set(made)) == 10
    assert all(PHONE_CLOCK <= m < PHONE_CLOCK + dt.timedelta(minutes=5) for m in made)
    assert all(s.received_at >= NOW + dt.timedelta(hours=1) for s in saved)

    said = [s["said"] for s in device_scans(phone)]
    assert [s["state"] for s in device_scans(phone)] == ["sent"] * 12
    assert "hittad" in said[0] and "felplacerad" in said[2] and "okänd kod" in said[3]
    assert "räknas en gång" in said[5] and "räknas en gång" in said[9]
    assert phone.inner_text("#progress") == "10 skannade · 8 registrerade här"

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("#close-stocktake")
    phone.wait_for_selector("#summary")
    counts = {
        outcome: phone.inner_text(f'[data-outcome="{outcome}"]')
        for outcome in ("found", "missing", "misplaced", "unknown")
    }
    assert counts == {"found": "6", "missing": "2", "misplaced": "2", "unknown": "2"}


def test_two_phones_scanning_one_stocktake_at_once_count_every_code_once(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    assets = [make_asset(session, ref, location_id=ref.school.id) for _ in range(7)]
    shared = assets[0]
    first = open_phone(new_phone, ref.technician.email)
    second = open_phone(new_phone, ref.admin.email)
    stocktake_id = start_stocktake(first, ref.school.id)
    open_stocktake(first, stocktake_id)
    open_stocktake(second, stocktake_id)

    # The second phone is in the cellar for a while; the first keeps its signal.
    second.context.set_offline(True)
    for code in (assets[4].tag, shared.tag):
        scan(second, code)
    # Then both at once, the same code among them, neither waiting for an answer.
    second.context.set_offline(False)
    mine = [assets[1].tag, shared.tag, assets[2].tag]
    theirs = [assets[3].tag, shared.tag, assets[5].tag]
    for my_code, their_code in zip(mine, theirs, strict=True):
        scan(first, my_code)
        scan(second, their_code)
    wait_until_sent(first)
    wait_until_sent(second)

    saved = saved_scans(session, stocktake_id)
    assert sorted(s.code for s in saved) == sorted(a.tag for a in assets[:6])
    answered = device_scans(first) + device_scans(second)
    assert len(answered) == 8 and {s["state"] for s in answered} == {"sent"}
    # The shared code, three times from two phones: counted once, whichever came first.
    shared_answers = [s["said"] for s in answered if s["code"] == shared.tag]
    assert len(shared_answers) == 3
    assert sum("hittad" in said for said in shared_answers) == 1
    assert sum("räknas en gång" in said for said in shared_answers) == 2
    second.reload()
    assert second.inner_text("#progress") == "6 skannade · 7 registrerade här"


def test_a_scan_that_arrives_after_the_stocktake_closed_is_kept_with_the_reason(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    counted, late = (make_asset(session, ref, location_id=ref.school.id) for _ in range(2))
    phone = open_phone(new_phone, ref.technician.email)
    stocktake_id = start_stocktake(phone, ref.school.id)
    open_stocktake(phone, stocktake_id)
    scan(phone, counted.tag)
    wait_until_sent(phone, count=1)

    phone.context.set_offline(True)
    scan(phone, late.tag)
    phone.wait_for_selector('#device-scans [data-state="waiting"]')
    # Meanwhile, someone else closes the stocktake.
    stocktake = stocktakes.get(session, actor=ref.admin, stocktake_id=stocktake_id)
    stocktakes.close(session, actor=ref.admin, stocktake=stocktake, today=TODAY, now=NOW)
    phone.context.set_offline(False)
    phone.wait_for_selector('#device-scans [data-state="refused"]')

    reason = "Inventeringen är stängd; starta en ny för att skanna."
    refused = [s for s in device_scans(phone) if s["state"] == "refused"]
    assert refused == [{"code": late.tag, "state": "refused", "said": f"Inte sparad: {reason}"}]
    assert reason in phone.inner_text("#scan-status")
    assert [s.code for s in saved_scans(session, stocktake_id)] == [counted.tag]

    # Opened again it is the result page, and the refused scan is still there.
    phone.reload()
    phone.wait_for_selector("#summary")
    phone.wait_for_selector('#device-scans [data-state="refused"]')
    assert late.tag in phone.inner_text("#on-this-device")
    assert phone.inner_text('[data-outcome="missing"]') == "1"
    # Until it is removed by hand.
    phone.click(".device-scan-remove")
    phone.wait_for_function(
        "() => !document.querySelector('#device-scans [data-state=\"refused\"]')"
    )
    assert field_is_ready(phone) is False  # the result page has no field to return to
    phone.reload()
    phone.wait_for_selector("#on-this-device[data-shown]", state="attached")
    assert late.tag not in phone.inner_text("#on-this-device")
    assert phone.locator("#device-scans li").count() == 0


def test_after_every_scan_the_field_is_empty_and_focused_for_the_next(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    mine = make_asset(session, ref, owner_id=ref.borgholm.id, location_id=ref.school.id)
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=ref.school.id)
    phone = open_phone(new_phone, ref.tech_borgholm.email)
    stocktake_id = start_stocktake(phone, ref.school.id)
    open_stocktake(phone, stocktake_id)
    cases = [
        (mine.tag, "hittad", "sent"),
        ("IT-424242", "okänd kod", "sent"),
        (theirs.tag, "okänd kod", "sent"),  # another owner's: not this stocktake's to count
        (mine.tag, "räknas en gång", "sent"),
        ("WIFI:S:skolan;;", "varken", "refused"),
    ]
    for number, (code, said, state) in enumerate(cases, start=1):
        scan(phone, code)
        phone.wait_for_function(
            f"() => document.querySelectorAll('#device-scans li').length === {number}"
            f" && document.querySelector('#scan-status').dataset.state === '{state}'"
        )
        assert said in phone.inner_text("#scan-status"), code
        assert field_is_ready(phone), code
    # The button, tapped instead of a scanner's Enter, gives the field back too.
    phone.fill("#code", "IT-454545")
    phone.click("#stocktake-scan button[type=submit]")
    phone.wait_for_function("() => document.querySelectorAll('#device-scans li').length === 6")
    assert field_is_ready(phone)
    # And offline, where there is no answer yet.
    phone.context.set_offline(True)
    scan(phone, "IT-464646")
    phone.wait_for_function("() => document.querySelectorAll('#device-scans li').length === 7")
    assert field_is_ready(phone)
    assert "Väntar på att skickas" in phone.inner_text("#scan-status")


def test_a_short_stocktake_to_its_result_with_the_script(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    """tests/e2e/test_phone.py's stocktake without a script; here the same with it."""
    here = [make_asset(session, ref, location_id=ref.school.id) for _ in range(3)]
    stray = make_asset(session, ref, location_id=ref.server_hall.id)
    phone = open_phone(new_phone, ref.technician.email)
    start_stocktake(phone, ref.school.id)
    said = []
    codes = (here[0].tag, here[1].tag, here[1].tag, f"http://127.0.0.1:8000/a/{stray.tag}")
    for number, code in enumerate(codes, start=1):
        scan(phone, code)
        phone.wait_for_function(
            f"() => document.querySelectorAll('#device-scans li').length === {number}"
            " && document.querySelector('#scan-status').dataset.state === 'sent'"
        )
        said.append(phone.inner_text("#scan-status"))
    assert "hittad" in said[0] and "räknas en gång" in said[2] and "felplacerad" in said[3]
    assert "3 skannade" in phone.inner_text("#progress")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("#close-stocktake")
    phone.wait_for_selector("#summary")
    counts = {
        outcome: phone.inner_text(f'[data-outcome="{outcome}"]')
        for outcome in ("found", "missing", "misplaced", "unknown")
    }
    assert counts == {"found": "2", "missing": "1", "misplaced": "1", "unknown": "0"}


def test_logging_out_forgets_the_kept_pages_but_not_the_waiting_scans(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    phone = open_phone(new_phone, ref.technician.email)
    stocktake_id = start_stocktake(phone, ref.school.id)
    open_stocktake(phone, stocktake_id)
    # The scan cannot get through (the server is out of reach); the phone is logged out.
    phone.context.route("**/scans", lambda route: route.abort("internetdisconnected"))
    scan(phone, "IT-424242")
    phone.wait_for_selector('#device-scans [data-state="waiting"]')
    phone.evaluate("document.querySelector('form[data-forget-offline]').requestSubmit()")
    phone.wait_for_url(re.compile(r"/login"))
    kept = phone.evaluate("caches.has('stocktakes-v1')")
    waiting = phone.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("inventory-stocktakes");
          open.onsuccess = () => {
            const all = open.result.transaction("scans").objectStore("scans").getAll();
            all.onsuccess = () => resolve(all.result.map((scan) => [scan.code, scan.state]));
          };
        })"""
    )
    assert kept is False
    assert waiting == [["IT-424242", "waiting"]]


def test_scans_waiting_when_the_session_ends_are_sent_after_logging_in_again(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    phone = open_phone(new_phone, ref.technician.email)
    stocktake_id = start_stocktake(phone, ref.school.id)
    open_stocktake(phone, stocktake_id)
    phone.context.set_offline(True)
    scan(phone, asset.tag)
    phone.wait_for_selector('#device-scans [data-state="waiting"]')
    # Meanwhile the technician logs out on another device, which ends every session.
    auth.log_out(session, user=ref.technician, remote_addr=None)
    phone.context.set_offline(False)
    phone.wait_for_selector("#send-problem:not([hidden])")
    assert "Du är utloggad" in phone.inner_text("#send-problem")
    assert [s["state"] for s in device_scans(phone)] == ["waiting"]
    assert saved_scans(session, stocktake_id) == []

    phone.click("#send-problem a")
    phone.fill("#email", ref.technician.email)
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit], input[type=submit]")
    phone.wait_for_url(re.compile(rf"/stocktakes/{stocktake_id}$"))
    wait_until_sent(phone)
    assert [s.code for s in saved_scans(session, stocktake_id)] == [asset.tag]
    assert "hittad" in device_scans(phone)[0]["said"]
