"""What the speed-ups of page rendering must not change: the language of every page, the
menu each role sees, and escaping."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, render_template
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader
from sqlmodel import Session

from inventory.web.i18n import template_functions

from ..conftest import login
from ..factories import Reference, make_asset


def test_each_language_gets_its_own_compiled_pages(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref)
    login(client, ref.viewer.email)
    swedish = client.get("/assets/").get_data(as_text=True)
    assert "<th>Inventarienummer</th>" in swedish and "<th>Tag</th>" not in swedish
    client.get("/lang/en")
    english = client.get("/assets/").get_data(as_text=True)
    assert "<th>Tag</th>" in english and "Inventarienummer" not in english
    assert 'lang="en"' in english
    client.get("/lang/sv")
    assert "<th>Inventarienummer</th>" in client.get("/assets/").get_data(as_text=True)


def test_the_cached_menu_follows_the_role_and_the_language(app: Flask, ref: Reference) -> None:
    admin, viewer, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(admin, ref.admin.email)
    login(viewer, ref.viewer.email)
    assert 'href="/admin/"' in admin.get("/").get_data(as_text=True)
    viewer_page = viewer.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in viewer_page and 'href="/assets/new"' not in viewer_page
    assert 'href="/scan"' in viewer_page
    login_page = anonymous.get("/login").get_data(as_text=True)
    assert 'href="/scan"' not in login_page
    viewer.get("/lang/en")
    assert ">Assets</a>" in viewer.get("/").get_data(as_text=True)
    assert ">Tillgångar</a>" in admin.get("/").get_data(as_text=True)


def test_the_menu_follows_a_url_prefix(app: Flask, ref: Reference) -> None:
    client = app.test_client()
    login(client, ref.viewer.email)
    assert 'href="/scan"' in client.get("/").get_data(as_text=True)
    prefixed = client.get("/", base_url="http://localhost/inventarie/")
    assert 'href="/inventarie/scan"' in prefixed.get_data(as_text=True)
    # And back: the prefixed menu was cached under its own key.
    assert 'href="/scan"' in client.get("/").get_data(as_text=True)


def test_values_put_into_a_translation_are_escaped() -> None:
    gettext = template_functions(NullTranslations())["_"]
    assert str(gettext("Closed %(when)s", when="<b>x</b>")) == "Closed &lt;b&gt;x&lt;/b&gt;"
    ngettext = template_functions(NullTranslations())["ngettext"]
    assert str(ngettext("%(num)s day", "%(num)s days", 2)) == "2 days"


def test_what_a_user_typed_is_escaped_on_the_asset_page(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder="<script>alert(1)</script>", notes="<i>x</i>")
    login(client, ref.viewer.email)
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;i&gt;x&lt;/i&gt;" in page


def test_compiled_translations_keep_jinja_semantics(app: Flask) -> None:
    """Templates compiled for a language behave as the same template rendered with
    runtime gettext: method calls and indexing on a translation, "%%", a local `_`."""
    sources = {
        "method": '{{ _("Tag").upper() }}|{{ _("Tag")[0] }}',
        "percent": '{{ _("100%% done") }}',
        "local": '{% for _ in ["x"] %}{{ _ }}{% endfor %}{% set gettext = "y" %}{{ gettext }}',
        "placeholder": '{{ _("Closed %(when)s", when="<b>") }}',
    }
    app.jinja_env.loader = ChoiceLoader([DictLoader(sources), app.jinja_env.loader])
    with app.test_request_context("/"):
        rendered = {name: render_template(name) for name in sources}
    assert rendered["method"] == "INVENTARIENUMMER|I"
    assert rendered["percent"] == "100% done"
    assert rendered["local"] == "xy"
    assert rendered["placeholder"] == "Stängd &lt;b&gt;"
