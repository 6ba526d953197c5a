"""Labels: every QR code on every layout decodes, with a real decoder, to the asset's URL."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlmodel import Session

from inventory.labels import pdf

from ..conftest import login
from ..factories import Reference, make_asset

BASE = "http://127.0.0.1:8000"


def decoded_pages(document: bytes, dpi: int = 200) -> list[list[str]]:
    """Rasterise each PDF page as a printer would and read every QR code on it."""
    pages = []
    for page in pypdfium2.PdfDocument(document):
        image = page.render(scale=dpi / 72).to_pil()
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        pages.append(sorted(code.text for code in found))
    return pages


@pytest.mark.parametrize(
    ("layout", "count", "per_page"), [("a4-3x8", 26, 24), ("roll-62x29", 3, 1)]
)
def test_every_label_on_every_layout_decodes_to_its_asset_url(
    client: FlaskClient, session: Session, ref: Reference, layout: str, count: int, per_page: int
) -> None:
    tags = [make_asset(session, ref).tag for _ in range(count)]
    login(client, ref.technician.email)
    response = client.get(f"/labels.pdf?layout={layout}&" + "&".join(f"tag={t}" for t in tags))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = decoded_pages(response.data)
    assert len(pages) == -(-count // per_page)
    urls = [url for page in pages for url in page]
    assert urls == sorted(f"{BASE}/a/{t}" for t in tags)
    # Each decoded URL answers: logged in, it leads to the asset.
    for url in urls[:3]:
        answer = client.get(url.removeprefix(BASE))
        assert answer.status_code == 302 and answer.headers["Location"].endswith(
            url.rsplit("/", 1)[1]
        )


def test_the_a4_sheet_keeps_labels_inside_70_by_37_mm(session: Session, ref: Reference) -> None:
    layout = pdf.LAYOUTS["a4-3x8"]
    assert round(layout.label_width / pdf.mm) == 70 and round(layout.label_height / pdf.mm) == 37
    assert layout.columns * layout.label_width <= layout.page_width + 0.01
    assert layout.top + layout.rows * layout.label_height <= layout.page_height


def test_the_qr_code_is_large_enough_for_an_arms_length(session: Session, ref: Reference) -> None:
    # 0.5 mm modules are the usual lower limit for phone cameras at 30–50 cm.
    from inventory.labels import qr

    modules = len(qr.matrix(f"{BASE}/a/IT-000001"))
    for layout in pdf.LAYOUTS.values():
        side = layout.label_height - 2 * pdf.PADDING
        assert side / modules >= 0.5 * pdf.mm, layout.slug


def test_qr_images_decode_to_the_short_url(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    png = client.get(f"/assets/{asset.tag}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert code.text == f"{BASE}/a/{asset.tag}"
    svg = client.get(f"/assets/{asset.tag}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_labels_for_the_lists_current_filters(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    mine = [make_asset(session, ref, owner_id=ref.morbylanga.id).tag for _ in range(2)]
    make_asset(session, ref, owner_id=ref.borgholm.id)
    login(client, ref.technician.email)
    response = client.get("/labels.pdf?selection=list&owner=morbylanga&layout=a4-3x8")
    assert decoded_pages(response.data) == [sorted(f"{BASE}/a/{t}" for t in mine)]


def test_labels_for_a_location(client: FlaskClient, session: Session, ref: Reference) -> None:
    here = make_asset(session, ref, location_id=ref.server_hall.id).tag
    make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    response = client.get(f"/labels.pdf?location={ref.server_hall.id}")
    assert decoded_pages(response.data) == [[f"{BASE}/a/{here}"]]


def test_a_scoped_technician_cannot_print_the_other_owners_labels(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id).tag
    login(client, ref.tech_borgholm.email)
    response = client.get(f"/labels.pdf?tag={theirs}", follow_redirects=True)
    assert response.mimetype == "text/html"
    assert theirs in response.get_data(as_text=True)  # named in the "no such tag" message


def test_bad_label_requests_get_a_clear_message(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref)
    login(client, ref.technician.email)
    for query, text in [("tag=IT-999999", "IT-999999"), ("layout=a5", "etikettformat"),
                        ("", "Välj"), ("location=4711", "placering"), ("owner=kalmar", "ägare")]:  # fmt: skip
        response = client.get(f"/labels.pdf?{query}", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert response.mimetype == "text/html", query
        assert "alert-danger" in html and text in html, query


def test_the_public_page_of_a_scanned_label_reveals_only_tag_and_owner(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(
        session,
        ref,
        holder="Greta Hemlig",
        serial="SN-HEMLIG-42",
        location_id=ref.school.id,
        hostname="bh-secret-pc",
    )
    # Scan the printed label as a finder's phone would: decode it, open the URL, logged out.
    sheet = pdf.render(
        pdf.labels_from([(asset.tag, "Borgholms kommun")], BASE),
        pdf.LAYOUTS["roll-62x29"],
        footer="IT-supporten 0485-880 00",
    )
    [[url]] = decoded_pages(sheet)
    response = client.get(url.removeprefix(BASE))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert asset.tag in html and "Borgholms kommun" in html
    for secret in ("Greta", "HEMLIG", "Slottsskolan", "A12", "bh-secret", "Latitude", "Dell"):
        assert secret not in html, secret
    assert f"/login?next=/a/{asset.tag}" in html


def test_an_unknown_label_reveals_nothing(client: FlaskClient, ref: Reference) -> None:
    # A NUL byte is refused as a bad request before it reaches the database.
    for code, status in [("IT-999999", 404), ("x" * 300, 404), ("%00", 400), ("<script>", 404)]:
        response = client.get(f"/a/{code}")
        assert response.status_code == status, code
        assert "Borgholm" not in response.get_data(as_text=True)


def test_the_command_line_writes_a_label_pdf(
    app: Flask, session: Session, ref: Reference, tmp_path: Path
) -> None:
    tags = [make_asset(session, ref).tag for _ in range(2)]
    out = tmp_path / "labels.pdf"
    args = [
        "labels",
        *(part for t in tags for part in ("--tag", t)),
        "--layout",
        "roll-62x29",
        "-o",
        str(out),
    ]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert decoded_pages(out.read_bytes()) == [[f"{BASE}/a/{tags[0]}"], [f"{BASE}/a/{tags[1]}"]]
    bad = app.test_cli_runner().invoke(args=["labels", "--tag", "NOPE-1", "-o", str(out)])
    assert bad.exit_code == 2 and "NOPE-1" in bad.output
