"""Translation for views and templates, kept cheap.

Flask-Babel finds the catalogue anew (context, locale, cache) for every string, and Jinja's
"newstyle" gettext goes through three nested template calls per string. A page holds dozens
of strings, so both together cost more than the page's database queries. Here views and
templates translate through the request's catalogue, looked up once per request, one call
per string.

(Templates were once compiled per language with their constant strings translated in place;
measured at 100 000 assets it saved about 0.1 ms a page, and went, issue 16.)

The meaning stays Flask-Babel's and Jinja's: templates get markup-safe translations
whose placeholders are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context
from flask_babel import get_locale, get_translations
from markupsafe import Markup


def translations() -> Any:
    catalogue = g.get("_translations")
    if catalogue is None:
        catalogue = g._translations = get_translations()
    return catalogue


def gettext(string: str, /, **variables: Any) -> str:
    text: str = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    text: str = translations().ungettext(singular, plural, num)
    return text % variables


def template_functions(catalogue: Any) -> dict[str, Callable[..., Markup]]:
    """gettext and ngettext for templates, bound to one catalogue. They return Markup: the
    translation is trusted text, and `%` escapes the values put into it."""

    def template_gettext(string: str, /, **variables: Any) -> Markup:
        # Always formatted, as Jinja's own: "%%" stands for "%" even without placeholders.
        return Markup(catalogue.ugettext(string)) % variables

    def template_ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(catalogue.ungettext(singular, plural, num)) % variables

    return {"_": template_gettext, "gettext": template_gettext, "ngettext": template_ngettext}


class _RequestCatalogue:
    """Stands for the request's catalogue where a template renders without its context
    (an imported macro), so those strings are translated too."""

    def ugettext(self, string: str) -> str:
        return translations().ugettext(string)  # type: ignore[no-any-return]

    def ungettext(self, singular: str, plural: str, num: int) -> str:
        return translations().ungettext(singular, plural, num)  # type: ignore[no-any-return]


def init_i18n(app: Flask) -> None:
    """Replace the gettext functions Flask-Babel put into templates (call after Babel).

    Each render gets them bound to the request's catalogue through a context processor;
    the globals serve templates rendered without a context."""
    app.jinja_env.globals.update(template_functions(_RequestCatalogue()))
    app.context_processor(_request_functions)


def _request_functions() -> dict[str, Any]:
    if not has_request_context():
        return {}
    # The language as a plain value: the layout asks for it twice on every page.
    locale = get_locale()
    language = locale.language if locale is not None else ""
    return {**template_functions(translations()), "language": language}
