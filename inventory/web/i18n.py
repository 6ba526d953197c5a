"""Translation for views and templates, kept cheap.

Flask-Babel finds the catalogue anew (context, locale, cache) for every string, and Jinja's
"newstyle" gettext goes through three nested template calls per string. A page holds dozens
of strings, so both together cost more than the page's database queries. Here:

- views translate through the request's catalogue, looked up once per request;
- templates are compiled once per language (`LocalisedEnvironment`), with every
  `_("constant text")` replaced by its translation at compile time, so it costs nothing
  when the page renders;
- what remains to translate while rendering (`_(variable)`, text with placeholders,
  plurals) takes one call per string.

The meaning stays Flask-Babel's and Jinja's: templates get markup-safe translations
whose placeholders are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context
from flask.templating import Environment as FlaskEnvironment
from flask_babel import get_locale, get_translations
from jinja2 import Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
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


class LocalisedEnvironment(FlaskEnvironment):
    """Flask's template environment, with one overlay per language.

    Templates asked for during a request come from the overlay of the request's language
    and are compiled with their constant strings translated (see ConstantTranslations).
    Outside a request, and for `render_template_string`, the strings are translated while
    rendering, as usual.
    """

    # Set on the overlays only: the catalogue their templates are compiled with, and its
    # language.
    catalogue: Any = None
    language: str | None = None

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Template:
        if self.catalogue is None and has_request_context():
            return self._for_language().get_template(name, parent, globals)
        return super().get_template(name, parent, globals)

    def _for_language(self) -> LocalisedEnvironment:
        language = str(get_locale())
        overlays: dict[str, LocalisedEnvironment] = self.__dict__.setdefault("_overlays", {})
        overlay = overlays.get(language)
        if overlay is None:
            # A fresh cache: the base environment's templates were compiled untranslated.
            overlay = self.overlay(cache_size=400)  # type: ignore[assignment]
            assert overlay is not None
            overlay.catalogue = get_translations()
            overlay.language = language
            overlays[language] = overlay
        return overlay


class ConstantTranslations(Extension):
    """Rewrites `_("text")` and `gettext("text")` with one constant argument into
    `("översatt text"|safe)` when compiling for a language; Jinja then folds it to a
    constant. Calls with placeholders or a variable argument are left to run while
    rendering, and so is every call in a template that uses `_` or `gettext` as a name of
    its own (a loop variable, a macro argument, `{% set %}`)."""

    def filter_stream(self, stream: TokenStream) -> Any:
        catalogue = getattr(self.environment, "catalogue", None)
        if catalogue is None:
            return stream
        tokens = list(stream)
        if _rebinds_gettext(tokens):
            return iter(tokens)
        return _rewrite(tokens, catalogue)


_NAMES = ("_", "gettext")


def _rebinds_gettext(tokens: list[Token]) -> bool:
    return any(
        token.type == "name"
        and token.value in _NAMES
        and (i + 1 == len(tokens) or tokens[i + 1].type != "lparen")
        for i, token in enumerate(tokens)
    )


def _rewrite(tokens: list[Token], catalogue: Any) -> Any:
    i = 0
    while i < len(tokens):
        token = tokens[i]
        window = tokens[i : i + 4]
        constant = (
            token.type == "name"
            and token.value in _NAMES
            and (i == 0 or tokens[i - 1].type != "dot")
            and [t.type for t in window] == ["name", "lparen", "string", "rparen"]
        )
        translated = _formatted(catalogue, window[2].value) if constant else None
        if translated is None:
            yield token
            i += 1
            continue
        line = token.lineno
        yield Token(line, "lparen", "(")
        yield Token(line, "string", translated)
        yield Token(line, "pipe", "|")
        yield Token(line, "name", "safe")
        yield Token(line, "rparen", ")")
        i += 4


def _formatted(catalogue: Any, string: str) -> str | None:
    """The translation as the template would show it, or None when it needs values."""
    try:
        return catalogue.ugettext(string) % {}  # type: ignore[no-any-return]
    except (KeyError, ValueError, TypeError):
        return None
