"""The Swedish catalogue is complete and its compiled form is current."""

from __future__ import annotations

from io import BytesIO

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from inventory.config import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "inventory" / "translations" / "sv" / "LC_MESSAGES"


def test_every_message_has_a_swedish_translation() -> None:
    with open(CATALOG / "messages.po", "rb") as f:
        catalog = read_po(f)
    missing = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert missing == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with open(CATALOG / "messages.po", "rb") as f:
        source = read_po(f)
    compiled = BytesIO()
    write_mo(compiled, source)
    compiled.seek(0)
    with open(CATALOG / "messages.mo", "rb") as f:
        shipped = read_mo(f)
    fresh = read_mo(compiled)

    def messages(catalog):  # type: ignore[no-untyped-def]
        return {str(m.id): str(m.string) for m in catalog if m.id}

    assert messages(shipped) == messages(fresh)
