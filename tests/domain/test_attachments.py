"""What an evidence file is, decided from its bytes; what its name becomes; where it fits."""

from __future__ import annotations

import pytest

from inventory.domain import attachments as rules
from inventory.domain.attachments import Kind, LatestAssessment, Upload
from inventory.domain.errors import ValidationFailed
from inventory.domain.reuse import Decision

from .. import evidence

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (evidence.pdf(), rules.PDF),
        (evidence.image("PNG"), rules.PNG),
        (evidence.image("JPEG"), rules.JPEG),
        (evidence.image("WEBP"), rules.WEBP),
        (evidence.XML_REPORT, rules.XML),
        (b"\xef\xbb\xbf" + evidence.XML_REPORT, rules.XML),
        ('<?xml version="1.0" encoding="UTF-16"?><r>å</r>'.encode("utf-16"), rules.XML),
    ],
    ids=["pdf", "png", "jpeg", "webp", "xml", "xml-bom", "xml-utf16"],
)
def test_each_kept_type_is_known_by_its_bytes(content: bytes, expected: rules.FileType) -> None:
    assert rules.detect(content) == expected


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (evidence.WINDOWS_PROGRAM, "none of them"),
        (b"Just some text, not a PDF", "none of them"),
        (b"<report><unclosed></report>", "none of them"),
        (evidence.WEB_PAGE, "web page"),
        (b"<html><body><p>Hej<br></p></body></html>", "web page"),
        (evidence.XHTML_PAGE, "web page"),
        (evidence.SVG_IMAGE, "web page"),
        (evidence.XML_BOMB, "DTD"),
        (evidence.XML_LOCAL_FILE, "DTD"),
        (b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "r.dtd"><r/>', "DTD"),
    ],
    ids=["exe", "text", "broken-xml", "html", "html-tags", "xhtml", "svg", "bomb", "xxe", "dtd"],
)
def test_anything_else_is_refused_saying_why(content: bytes, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.detect(content)
    assert says in refused.value.errors["file"]


def test_the_xml_bomb_is_refused_before_anything_is_expanded() -> None:
    # Were the entities expanded, this would take a gigabyte and minutes, not a moment.
    with pytest.raises(ValidationFailed):
        rules.check_file(Upload("bomb.xml", evidence.XML_BOMB), max_bytes=MB, field="wipe_report")


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("Rapport.PDF", "Rapport.pdf"),
        ("C:\\Users\\tina\\Skrivbord\\radering 2026-11-23.pdf", "radering 2026-11-23.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("intyg<Stena>:|?*.pdf", "intyg_Stena_____.pdf"),
        ("Återvinningsintyg Mörbylånga.pdf", "Återvinningsintyg Mörbylånga.pdf"),
        ("rapport", "rapport.pdf"),
        (".pdf", "fil.pdf"),
        ("   ", "fil.pdf"),
        ("=HYPERLINK(1).pdf", "HYPERLINK(1).pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ("rad\x00bryt\n.pdf", "rad_bryt_.pdf"),
    ],
)
def test_the_name_kept_is_safe_everywhere_and_ends_as_its_type(raw: str, kept: str) -> None:
    assert rules.clean_filename(raw, rules.PDF) == kept


def test_a_jpeg_may_end_in_jpeg_or_jpg() -> None:
    assert rules.clean_filename("foto.jpeg", rules.JPEG) == "foto.jpeg"
    assert rules.clean_filename("foto", rules.JPEG) == "foto.jpg"


@pytest.mark.parametrize("name", ["intyg.pdf", "intyg.exe", "intyg.html"])
def test_a_name_of_another_type_is_pointed_out(name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.check_file(Upload(name, evidence.image("PNG")), max_bytes=MB, field="x")
    assert "holds a %(type)s file" in refused.value.errors["x"]
    assert refused.value.field_params["x"]["type"] == "PNG"


def test_a_file_of_the_largest_size_is_kept_and_one_byte_more_is_not() -> None:
    content = evidence.pdf() + b"\n" * (MB - len(evidence.pdf()))
    assert rules.check_file(Upload("r.pdf", content), max_bytes=MB, field="x").size_bytes == MB
    with pytest.raises(ValidationFailed) as refused:
        rules.check_file(Upload("r.pdf", content + b"\n"), max_bytes=MB, field="x")
    assert "larger than %(max)s MB" in refused.value.errors["x"]
    assert refused.value.field_params["x"] == {"name": "r.pdf", "max": 1}


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.check_file(Upload("tom.pdf", b""), max_bytes=MB, field="x")
    assert "is empty" in refused.value.errors["x"]


def test_a_kept_file_has_its_digest_and_the_type_of_its_bytes() -> None:
    kept = rules.check_file(Upload("rapport.xml", evidence.XML_REPORT), max_bytes=MB, field="x")
    assert kept.content_type == "application/xml" and kept.size_bytes == len(evidence.XML_REPORT)
    assert (
        len(kept.sha256) == 64
        and kept.sha256 == __import__("hashlib").sha256(evidence.XML_REPORT).hexdigest()
    )


def test_a_wipe_report_needs_a_recorded_wipe_and_a_certificate_a_recycling() -> None:
    assert rules.misfit_in_assessment(Kind.WIPE_REPORT, wiped=False, decision=Decision.SPARE)
    assert rules.misfit_in_assessment(Kind.WIPE_REPORT, wiped=True, decision=Decision.SPARE) is None
    assert rules.misfit_in_assessment(
        Kind.RECYCLING_CERTIFICATE, wiped=True, decision=Decision.SELL
    )
    assert (
        rules.misfit_in_assessment(
            Kind.RECYCLING_CERTIFICATE, wiped=True, decision=Decision.RECYCLE
        )
        is None
    )


def test_what_may_be_attached_afterwards() -> None:
    recycled = LatestAssessment(wiped=True, decision="recycle", attached=frozenset())
    assert rules.offered_later(recycled, disposal_kind="recycled") == [
        Kind.WIPE_REPORT,
        Kind.RECYCLING_CERTIFICATE,
    ]
    # The certificate only for a device that has been recycled; nothing without an assessment.
    assert rules.offered_later(recycled, disposal_kind=None) == [Kind.WIPE_REPORT]
    assert rules.offered_later(None, disposal_kind="recycled") == []
    unwiped = LatestAssessment(wiped=False, decision="spare", attached=frozenset())
    assert rules.offered_later(unwiped, disposal_kind=None) == []
    done = LatestAssessment(wiped=True, decision="recycle", attached=frozenset(Kind))
    assert rules.offered_later(done, disposal_kind="recycled") == []
    assert rules.misfit_later(Kind.WIPE_REPORT, latest=done, disposal_kind=None) == (
        rules.already_attached(Kind.WIPE_REPORT)
    )


def test_the_history_tells_what_the_latest_assessment_has() -> None:
    newest_first = [
        ("attachment", {"recycling_certificate": [None, "intyg.pdf"]}),
        ("note", {}),
        ("assessment", {"decision": [None, "recycle"], "wiped_on": [None, "2026-11-23"],
                        "wipe_report": [None, "r.pdf"]}),
        ("attachment", {"wipe_report": [None, "old.pdf"]}),
        ("assessment", {"decision": [None, "spare"]}),
    ]  # fmt: skip
    latest = rules.latest_from_history(newest_first)
    assert latest == LatestAssessment(wiped=True, decision="recycle", attached=frozenset(Kind))
    assert rules.latest_from_history([("create", {})]) is None
