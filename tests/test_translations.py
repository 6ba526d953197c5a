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


def test_every_message_the_code_and_templates_mark_has_a_swedish_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A marked string missing from the catalogue would show in English on a Swedish page:
    extracted as the README's `pybabel extract` does, every one is in messages.po."""
    from babel.messages.frontend import CommandLineInterface

    template = tmp_path / "messages.pot"
    # babel.cfg's patterns are relative to the project (a dot folder such as .venv is skipped).
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), "-k", "_l",
         "-k", "N_", "-o", str(template), str(PROJECT_ROOT)]
    )  # fmt: skip
    with open(template, "rb") as f:
        marked = read_po(f)
    with open(CATALOG / "messages.po", "rb") as f:
        catalog = read_po(f)
    assert len(marked) > 500  # the patterns found the code and the templates
    missing = [m.id for m in marked if m.id and m.id not in catalog]
    assert missing == []
    # A message marked with a plural has its plural forms in the catalogue too.
    singular_only = [
        m.id
        for m in marked
        if isinstance(m.id, tuple) and not isinstance(catalog[m.id[0]].id, tuple)
    ]
    assert singular_only == []
