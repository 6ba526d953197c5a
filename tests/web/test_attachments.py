"""Evidence files through the pages: the wipe tool's report saved with the assessment, the
recycler's certificate with it or weeks later, the files listed on the asset page and
downloaded by whoever may see the asset — and every refusal: a wrong type or an oversize
file refuses the whole form, which comes back with what was typed, and another owner's file
answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.domain.attachments import Kind
from inventory.models import Assessment, Asset, AssetEvent, Attachment

from ..conftest import login
from ..evidence import (
    SVG_IMAGE,
    WEB_PAGE,
    WINDOWS_PROGRAM,
    XML_BOMB,
    XML_REPORT,
    attach_later,
    image,
    pdf,
)
from ..factories import NOW, Reference, make_asset, record_wipe

WIPE = {
    "wiped": "y",
    "wipe_method": "Blancco Drive Eraser",
    "wiped_on": "2026-11-23",
    "wiped_by": "Tekniker Tina",
}
RECYCLE = {
    "decision": "recycle",
    "recycler": "Stena Recycling",
    "certificate": "SR-2026-114",
    "reason": "Moderkortet trasigt",
}


def upload(content: bytes, name: str, claimed: str = "application/octet-stream") -> Any:
    """A file as a browser sends it, with the type it claims (which the register ignores)."""
    return (io.BytesIO(content), name, claimed)


def assess(client: FlaskClient, asset: Asset, **data: Any) -> tuple[int, str]:
    response = client.post(
        f"/assets/{asset.tag}/assess",
        data={"version": str(asset.version), "grade": "C", **data},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def files_of(session: Session, asset: Asset) -> list[Attachment]:
    session.expire_all()
    return list(
        session.exec(
            select(Attachment).where(Attachment.asset_id == asset.id).order_by(Attachment.id)
        )
    )


def fresh(session: Session, asset: Asset) -> Asset:
    session.expire_all()
    found = session.get(Asset, asset.id)
    assert found is not None
    return found


@pytest.fixture
def old_pc(session: Session, ref: Reference) -> Asset:
    """Borgholm's PC in stock, past its five years: it may leave without a written reason."""
    return make_asset(session, ref, purchase_date=dt.date(2019, 3, 1))


# --- saved with the assessment ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "stored_type"),
    [
        (pdf(), "rapport.pdf", "application/pdf"),
        (XML_REPORT, "blancco-rapport.xml", "application/xml"),
        (image("PNG"), "skarmdump.png", "image/png"),
        (image("JPEG"), "foto.jpg", "image/jpeg"),
        (image("WEBP"), "foto.webp", "image/webp"),
    ],
    ids=["pdf", "xml", "png", "jpeg", "webp"],
)
def test_each_kept_type_is_saved_with_the_assessment(
    client: FlaskClient,
    session: Session,
    ref: Reference,
    old_pc: Asset,
    content: bytes,
    name: str,
    stored_type: str,
) -> None:
    login(client, ref.technician.email)
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE,
        wipe_report=upload(content, name, claimed="text/html"),
    )  # fmt: skip
    assert status == 302, page[:800]
    [kept] = files_of(session, old_pc)
    assessment = session.exec(select(Assessment).where(Assessment.asset_id == old_pc.id)).one()
    assert (kept.kind, kept.filename, kept.assessment_id) == ("wipe_report", name, assessment.id)
    # The type comes from the bytes, not from what the browser claimed (text/html).
    assert kept.content_type == stored_type
    assert kept.content == content and kept.size_bytes == len(content)
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    assert kept.uploaded_by == ref.technician.id
    shown = client.get(f"/assets/{old_pc.tag}").get_data(as_text=True)
    assert f"Raderingsrapport bifogad: {name}" in shown.split('id="history"')[1]


def test_the_certificate_is_saved_with_a_recycling_decision_and_both_are_listed(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    status, _ = assess(
        client, old_pc, **WIPE, **RECYCLE,
        wipe_report=upload(XML_REPORT, "radering.xml"),
        recycling_certificate=upload(pdf(), "Återvinningsintyg Stena.pdf"),
    )  # fmt: skip
    assert status == 302
    assert fresh(session, old_pc).disposal_kind == "recycled"
    kinds = [(f.kind, f.filename) for f in files_of(session, old_pc)]
    assert sorted(kinds) == [
        ("recycling_certificate", "Återvinningsintyg Stena.pdf"),
        ("wipe_report", "radering.xml"),
    ]
    page = client.get(f"/assets/{old_pc.tag}").get_data(as_text=True)
    listed = page.split('id="file-list"')[1].split("</ul>")[0]
    assert "Återvinnarens intyg:" in listed and "Raderingsrapport:" in listed
    assert "Återvinningsintyg Stena.pdf" in listed and ref.technician.email in listed
    assert "\u00a0kB" in listed  # sizes as people read them
    # One assessment event names both files; nothing is left to attach afterwards.
    events = session.exec(select(AssetEvent).where(AssetEvent.asset_id == old_pc.id)).all()
    [assessed] = [e for e in events if e.action == "assessment"]
    assert {"wipe_report", "recycling_certificate"} <= assessed.changes.keys()
    assert "data-offer" not in page


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (WINDOWS_PROGRAM, "rapport.exe", "Bara en PDF, en XML-rapport eller en bild"),
        (b"%%EOF not really a PDF", "rapport.pdf", "Bara en PDF, en XML-rapport eller en bild"),
        (WEB_PAGE, "rapport.html", "En webbsida (HTML eller SVG) kan inte bifogas"),
        (SVG_IMAGE, "intyg.svg", "En webbsida (HTML eller SVG) kan inte bifogas"),
        (XML_BOMB, "rapport.xml", "XML med DTD eller entitetsdeklarationer"),
        (image("PNG"), "rapport.pdf", "heter rapport.pdf men är en PNG-fil"),
        (b"", "tom.pdf", "Filen tom.pdf är tom"),
    ],
    ids=["exe", "fake-pdf", "html", "svg", "xml-bomb", "png-named-pdf", "empty"],
)
def test_a_refused_file_refuses_the_whole_assessment_and_keeps_what_was_typed(
    client: FlaskClient,
    session: Session,
    ref: Reference,
    old_pc: Asset,
    content: bytes,
    name: str,
    says: str,
) -> None:
    login(client, ref.technician.email)
    status, page = assess(
        client, old_pc, decision="reuse_pool", battery_health="87", **WIPE,
        wipe_report=upload(content, name, claimed="application/pdf"),
    )  # fmt: skip
    assert status == 422
    # Said under the file's own input, which is marked.
    assert says in page.split('id="wipe_report-error"')[1][:300]
    assert 'class="form-control is-invalid" type="file" id="wipe_report"' in page
    # The form comes back with what was typed, and says the file must be chosen again.
    assert 'value="Blancco Drive Eraser"' in page and 'value="87"' in page
    assert 'value="reuse_pool" selected' in page
    assert "välj dem igen" in page and name in page.split('id="files-dropped"')[1][:400]
    # Nothing was written: no assessment, no file, no event, the device where it was.
    assert files_of(session, old_pc) == []
    assert session.exec(select(Assessment).where(Assessment.asset_id == old_pc.id)).all() == []
    assert fresh(session, old_pc).status == "in_stock"
    events = session.exec(select(AssetEvent).where(AssetEvent.asset_id == old_pc.id)).all()
    assert [e.action for e in events] == ["create"]


def test_an_oversize_file_is_refused_with_a_clear_message(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    large = pdf() + b"\n" * (10 * 1024 * 1024 + 1 - len(pdf()))
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE, wipe_report=upload(large, "stor.pdf")
    )
    assert status == 422
    assert "Filen stor.pdf är större än 10 MB: välj en mindre." in page
    assert 'value="Blancco Drive Eraser"' in page
    assert files_of(session, old_pc) == [] and fresh(session, old_pc).status == "in_stock"


def test_a_file_the_assessment_does_not_record_is_a_question_not_dropped(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    status, page = assess(client, old_pc, decision="spare", wipe_report=upload(pdf(), "r.pdf"))
    assert status == 422 and "bifogat en raderingsrapport men inte kryssat i" in page
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE,
        recycling_certificate=upload(pdf(), "intyg.pdf"),
    )  # fmt: skip
    assert status == 422 and "hör till ett beslut att återvinna" in page
    assert files_of(session, old_pc) == [] and fresh(session, old_pc).status == "in_stock"


def test_every_reason_is_given_at_once(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    status, page = assess(
        client, old_pc, decision="recycle", **WIPE,  # no recycler or certificate number
        wipe_report=upload(WINDOWS_PROGRAM, "r.exe"),
    )  # fmt: skip
    assert status == 422
    assert "Bara en PDF" in page and "Återvinning kräver återvinnaren" in page


def test_the_refusal_speaks_english_to_an_english_user(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    client.get("/lang/en")
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE, wipe_report=upload(WEB_PAGE, "r.html")
    )
    assert status == 422
    assert "A web page (HTML or SVG) cannot be attached" in page
    assert "choose them again" in page


def test_a_request_over_the_limit_gets_a_clear_page_and_nothing_is_saved(
    make_app: Callable[..., Flask], session: Session, ref: Reference, old_pc: Asset
) -> None:
    client = make_app(attachment_max_mb=1).test_client()
    login(client, ref.technician.email)
    huge = pdf() + b"\n" * (4 * 1024 * 1024)  # over the request's limit: 2 × 1 MB + 1 MB
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE, wipe_report=upload(huge, "stor.pdf")
    )
    assert status == 413
    assert "Filen är för stor" in page and "högst 1 MB per fil" in page
    assert "Inget sparades" in page
    assert files_of(session, old_pc) == [] and fresh(session, old_pc).status == "in_stock"
    # Under the request's limit but over the file's, the form itself answers.
    between = pdf() + b"\n" * (1024 * 1024 + 10)
    status, page = assess(
        client, old_pc, decision="reuse_pool", **WIPE, wipe_report=upload(between, "stor.pdf")
    )
    assert status == 422 and "större än 1 MB" in page and 'value="Blancco Drive Eraser"' in page


def test_the_form_offers_the_file_inputs_with_the_limit_for_the_browser(
    client: FlaskClient, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    page = client.get(f"/assets/{old_pc.tag}/assess").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    for name in ("wipe_report", "recycling_certificate"):
        assert f'type="file" id="{name}" name="{name}"' in page
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in page
    assert 'accept=".pdf,.png,.jpg,.jpeg,.webp,.xml,' in page


# --- attached afterwards ---------------------------------------------------------------------


def recycled_without_certificate(client: FlaskClient, asset: Asset) -> None:
    status, page = assess(client, asset, **WIPE, **RECYCLE)
    assert status == 302, page[:500]


def attach(client: FlaskClient, tag: str, **files: Any) -> Any:
    return client.post(
        f"/assets/{tag}/files", data=files, content_type="multipart/form-data",
        follow_redirects=True,
    )  # fmt: skip


def test_the_certificate_that_comes_weeks_later_is_attached_on_the_asset_page(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    recycled_without_certificate(client, old_pc)
    page = client.get(f"/assets/{old_pc.tag}").get_data(as_text=True)
    assert 'data-offer="recycling_certificate"' in page and 'data-offer="wipe_report"' in page
    version = fresh(session, old_pc).version

    shown = attach(client, old_pc.tag, recycling_certificate=upload(image("JPEG"), "intyg.jpg"))
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Återvinnarens intyg bifogat: intyg.jpg" in body
    [kept] = files_of(session, old_pc)
    assessment = session.exec(select(Assessment).where(Assessment.asset_id == old_pc.id)).one()
    assert (kept.kind, kept.assessment_id, kept.content_type) == (
        "recycling_certificate",
        assessment.id,
        "image/jpeg",
    )
    assert 'data-offer="recycling_certificate"' not in body and 'data-offer="wipe_report"' in body
    history = body.split('id="history"')[1]
    assert "Fil bifogad" in history and "Återvinnarens intyg bifogat: intyg.jpg" in history
    assert fresh(session, old_pc).version == version + 1  # written through the one write point

    # A second certificate for the same assessment is refused, and nothing is added.
    again = attach(client, old_pc.tag, recycling_certificate=upload(pdf(), "intyg2.pdf"))
    assert "har redan återvinnarens intyg" in again.get_data(as_text=True)
    assert len(files_of(session, old_pc)) == 1


def test_attaching_afterwards_is_refused_with_a_reason_and_writes_nothing(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    login(client, ref.technician.email)
    never_assessed = attach(client, old_pc.tag, wipe_report=upload(pdf(), "r.pdf"))
    assert "bedöm enheten först" in never_assessed.get_data(as_text=True)
    status, _ = assess(client, old_pc, decision="spare")  # no wipe, not recycled
    assert status == 302
    for kind, says in (
        ("wipe_report", "registrerar ingen dataradering"),
        ("recycling_certificate", "hör till en enhet som har återvunnits"),
    ):
        refused = attach(client, old_pc.tag, **{kind: upload(pdf(), "r.pdf")})
        assert says in refused.get_data(as_text=True), kind
    nothing = attach(client, old_pc.tag)
    assert "Välj en fil att bifoga" in nothing.get_data(as_text=True)
    # A wiped assessment after it, for which a wipe report is the right kind of file.
    record_wipe(session, ref, fresh(session, old_pc), at=NOW + dt.timedelta(hours=1))
    wrong_type = attach(client, old_pc.tag, wipe_report=upload(WINDOWS_PROGRAM, "r.pdf"))
    assert "Bara en PDF" in wrong_type.get_data(as_text=True)
    assert files_of(session, old_pc) == []
    events = session.exec(select(AssetEvent).where(AssetEvent.asset_id == old_pc.id)).all()
    assert "attachment" not in [e.action for e in events]


def test_a_viewer_may_not_attach(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    record_wipe(session, ref, old_pc)
    login(client, ref.viewer.email)
    response = client.post(
        f"/assets/{old_pc.tag}/files", data={"wipe_report": upload(pdf(), "r.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 403
    assert files_of(session, old_pc) == []
    assert "data-offer" not in client.get(f"/assets/{old_pc.tag}").get_data(as_text=True)


# --- downloads -------------------------------------------------------------------------------


@pytest.fixture
def theirs(session: Session, ref: Reference) -> tuple[Asset, Attachment]:
    """Mörbylånga's wiped PC with its wipe report."""
    asset = make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=None)
    record_wipe(session, ref, asset)
    return asset, attach_later(session, ref, asset, name="MB-hemlig-rapport.pdf")


@pytest.fixture
def mine(session: Session, ref: Reference) -> tuple[Asset, Attachment]:
    asset = make_asset(session, ref, owner_id=ref.borgholm.id)
    record_wipe(session, ref, asset)
    return asset, attach_later(session, ref, asset, name="Rapport Borgholm.pdf")


def test_a_file_is_sent_as_a_download_with_its_stored_type_sandboxed(
    client: FlaskClient, ref: Reference, mine: tuple[Asset, Attachment]
) -> None:
    asset, kept = mine
    login(client, ref.viewer.email)
    response = client.get(f"/assets/{asset.tag}/files/{kept.id}")
    assert response.status_code == 200
    assert response.data == pdf()
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="Rapport Borgholm.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policies = response.headers.getlist("Content-Security-Policy")
    assert "sandbox; default-src 'none'" in policies and len(policies) == 2
    assert response.headers["Cache-Control"] == "no-store"


def test_a_viewer_of_the_same_owner_may_download(
    client: FlaskClient, session: Session, ref: Reference, theirs: tuple[Asset, Attachment]
) -> None:
    asset, kept = theirs
    login(client, ref.viewer_morbylanga.email)
    response = client.get(f"/assets/{asset.tag}/files/{kept.id}")
    assert response.status_code == 200 and response.data == pdf()
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert f'href="/assets/{asset.tag}/files/{kept.id}"' in page
    assert "MB-hemlig-rapport.pdf" in page


@pytest.mark.parametrize("who", ["tech_borgholm", "admin_borgholm"])
def test_another_owners_file_answers_404_like_a_missing_one(
    client: FlaskClient,
    ref: Reference,
    theirs: tuple[Asset, Attachment],
    mine: tuple[Asset, Attachment],
    who: str,
) -> None:
    (their_asset, their_file), (my_asset, my_file) = theirs, mine
    login(client, getattr(ref, who).email)
    assert client.get(f"/assets/{my_asset.tag}/files/{my_file.id}").status_code == 200
    missing = client.get(f"/assets/{my_asset.tag}/files/2147483000")
    assert missing.status_code == 404
    for url in (
        f"/assets/{their_asset.tag}/files/{their_file.id}",
        # Their file under my asset's tag, and my file under another asset's tag.
        f"/assets/{my_asset.tag}/files/{their_file.id}",
        f"/assets/{their_asset.tag}/files/{my_file.id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.get_data(as_text=True).replace(
            url, f"/assets/{my_asset.tag}/files/2147483000"
        )
        assert body == missing.get_data(as_text=True), url
        assert "MB-hemlig" not in body


def test_a_file_is_found_by_the_assets_earlier_tag_too(
    client: FlaskClient, session: Session, ref: Reference, mine: tuple[Asset, Attachment]
) -> None:
    from ..services.test_tag_aliases import rename

    asset, kept = mine
    old_tag = asset.tag
    rename(session, ref, asset, "IT-RENAMED-1")
    login(client, ref.viewer.email)
    assert client.get(f"/assets/IT-RENAMED-1/files/{kept.id}").status_code == 200
    assert client.get(f"/assets/{old_tag}/files/{kept.id}").status_code == 200


# --- the API ---------------------------------------------------------------------------------


def test_the_api_lists_the_latest_assessments_files_without_their_bytes(
    client: FlaskClient, ref: Reference, mine: tuple[Asset, Attachment], old_pc: Asset
) -> None:
    asset, kept = mine
    login(client, ref.viewer.email)
    body = client.get(f"/api/v1/assets/{asset.tag}").get_json()
    [listed] = body["assessment"]["attachments"]
    assert listed == {
        "id": kept.id,
        "kind": "wipe_report",
        "filename": "Rapport Borgholm.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(pdf()),
        "sha256": hashlib.sha256(pdf()).hexdigest(),
        "uploaded_at": "2026-11-23T09:30:00Z",
        "uploaded_by": ref.admin.email,
        "url": f"/assets/{asset.tag}/files/{kept.id}",
    }
    assert client.get(listed["url"]).data == pdf()
    assert client.get(f"/api/v1/assets/{old_pc.tag}").get_json()["assessment"] is None


def test_the_api_lists_no_files_of_an_assessment_without_any(
    client: FlaskClient, session: Session, ref: Reference, old_pc: Asset
) -> None:
    record_wipe(session, ref, old_pc)
    login(client, ref.viewer.email)
    assessment = client.get(f"/api/v1/assets/{old_pc.tag}").get_json()["assessment"]
    assert assessment["certificate"] == "SR-2026-001" and assessment["attachments"] == []


def test_files_of_an_earlier_assessment_stay_listed_on_the_page_but_not_in_the_api(
    client: FlaskClient, session: Session, ref: Reference, mine: tuple[Asset, Attachment]
) -> None:
    asset, kept = mine
    record_wipe(
        session, ref, fresh(session, asset), at=dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
    )
    login(client, ref.viewer.email)
    assert client.get(f"/api/v1/assets/{asset.tag}").get_json()["assessment"]["attachments"] == []
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert f"/files/{kept.id}" in page.split('id="file-list"')[1]


def test_the_kinds_are_named_in_english_too(
    client: FlaskClient, ref: Reference, mine: tuple[Asset, Attachment]
) -> None:
    asset, _ = mine
    login(client, ref.viewer.email)
    client.get("/lang/en")
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert "Wipe report:" in page and "Wipe report attached: Rapport Borgholm.pdf" in page
    assert Kind.WIPE_REPORT.label == "Wipe report"
