"""What the speed-ups of page rendering must not change: the language of every page, the
menu each role sees, escaping, links, times and numbers."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from babel.support import NullTranslations
from flask import Flask, render_template, url_for
from flask.testing import FlaskClient
from flask_babel import force_locale, format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup
from sqlmodel import Session

from inventory.domain.field_actions import FieldAction
from inventory.services import reference
from inventory.web.formatting import choosing, local_time, one_decimal
from inventory.web.helpers import AssetLinks
from inventory.web.i18n import template_functions

from ..conftest import login
from ..factories import Reference, make_asset


def test_each_language_gets_its_own_pages(
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


def test_translations_keep_jinja_semantics(app: Flask) -> None:
    """Our template gettext behaves as Jinja's own: method calls and indexing on a
    translation, "%%", a local `_`, escaped placeholders."""
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


@pytest.mark.parametrize("tag", ["IT-000001", "BH 12/ö", "a%b?c"])
def test_asset_links_are_what_url_for_builds(app: Flask, tag: str) -> None:
    with app.test_request_context("/"):
        links = AssetLinks(tag)
        assert links.page == url_for("assets.show", tag=tag)
        assert links.edit == url_for("assets.edit", tag=tag)
        assert links.transition == url_for("assets.transition", tag=tag)
        assert links.assess == url_for("reuse.assess", tag=tag)
        assert links.qr_svg == url_for("labels.qr_svg", tag=tag)
        assert links.files == url_for("attachments.attach", tag=tag)
        assert links.file(17) == url_for("attachments.download", tag=tag, file_id=17)
        for action in FieldAction:
            assert links.act(action.value) == url_for("field.act", tag=tag, action=action.value)


def test_times_are_shown_as_swedish_clocks_showed_them(app: Flask) -> None:
    with app.test_request_context("/"):
        assert local_time(dt.datetime(2026, 7, 1, 10, 5)) == "2026-07-01 12:05"  # CEST
        assert local_time(dt.datetime(2026, 1, 15, 23, 30)) == "2026-01-16 00:30"  # CET
        aware = dt.datetime(2026, 10, 25, 0, 59, tzinfo=dt.UTC)  # an hour before the change
        assert local_time(aware) == "2026-10-25 02:59"
        assert local_time(None) == ""


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.floats(min_value=-10_000_000, max_value=10_000_000, allow_nan=False),
    language=st.sampled_from(["sv", "en"]),
)
def test_one_decimal_shows_what_babel_shows(app: Flask, value: float, language: str) -> None:
    """Grouped by thousands as Babel groups them: kg of CO2e run to six figures."""
    with app.test_request_context("/"), force_locale(language):
        assert one_decimal(value) == format_decimal(value, "#,##0.0")


def test_the_cached_filter_menus_follow_changes_choices_and_scope(
    app: Flask, session: Session, ref: Reference
) -> None:
    admin, scoped = app.test_client(), app.test_client()
    login(admin, ref.admin.email)
    login(scoped, ref.viewer_morbylanga.email)
    assert "Ekbackeskolan" not in admin.get("/assets/").get_data(as_text=True)
    reference.save_site(
        session, actor=ref.admin, site=None, name="Ekbackeskolan", address="", owner_id=None
    )
    assert ">Ekbackeskolan</option>" in admin.get("/assets/").get_data(as_text=True)
    chosen = admin.get("/assets/?owner=morbylanga").get_data(as_text=True)
    assert '<option value="morbylanga" selected>' in chosen
    assert '<option value="borgholm" selected>' not in chosen
    # Same choices, another scope: not the admin's menus.
    scoped_page = scoped.get("/assets/?owner=morbylanga").get_data(as_text=True)
    assert '<option value="morbylanga" selected>' in scoped_page
    assert 'value="borgholm"' not in scoped_page and "Slottsskolan" not in scoped_page


def test_the_language_link_leads_back_to_the_same_page(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    page = client.get("/assets/?q=anna b&owner=borgholm").get_data(as_text=True)
    link = html.unescape(re.search(r'href="([^"]*/lang/en[^"]*)"', page).group(1))  # type: ignore[union-attr]
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/assets/?q=anna%20b&owner=borgholm"
    english = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'lang="en"' in english and 'href="/lang/sv?next=' in english


def test_a_plural_can_show_its_number_formatted() -> None:
    """As Jinja's own ngettext: the count picks the form, `num=` is what is shown."""
    ngettext = template_functions(NullTranslations())["ngettext"]
    assert str(ngettext("%(num)s asset", "%(num)s assets", 11079, num="11 079")) == "11 079 assets"
    assert str(ngettext("%(num)s asset", "%(num)s assets", 1)) == "1 asset"


def test_chosen_menu_values_are_marked_without_being_trusted() -> None:
    menus = Markup(
        '<select name="site" id="f-site"><option value="">All</option><option value="3">A'
        '</option><option value="33">B</option></select><select name="unit" id="f-unit">'
        '<option value="3">C</option></select><select name="sort"><option value="tag">T'
        "</option></select>"
    )
    marked = choosing(menus, {"site": "3"}, sort="tag")
    assert marked.count(" selected>") == 2
    assert '<option value="3" selected>A' in marked and '<option value="3">C' in marked
    assert '<option value="tag" selected>T' in marked
    assert choosing(menus, {"unit": "3", "sort": "-price"}).count(" selected>") == 1
    assert '<option value="3" selected>C' in choosing(menus, {"unit": "3"})
    hostile = '3">x</option><script>alert(1)</script><option value="'
    assert choosing(menus, {"site": hostile}) == menus  # matches nothing, inserts nothing
    assert choosing("<b>not markup</b>", {}) == "&lt;b&gt;not markup&lt;/b&gt;"
