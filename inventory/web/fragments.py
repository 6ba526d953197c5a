"""`{% cache "name", key, ... %} ... {% endcache %}`: a template part rendered once and reused.

The layout's head and menu are the same on every page for everyone of one role and
language, yet building their links and translating their words cost as much as a page's
queries. A cached part is rendered once per name, key values, language and script root
(the URL prefix a reverse proxy may set) and kept for the life of the process.

Only cache what depends on nothing but those: a cached part must not show the user's
name, a CSRF token or the current URL, and what it shows from the database must be covered
by a key (the list's filter menus are keyed by the reference data's version).

Keys may hold values from the query string, so the cache is emptied when it grows past
MAX_FRAGMENTS: it then refills with what is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_request_context, request
from flask_babel import get_locale
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

MAX_FRAGMENTS = 2000


class FragmentCache(Extension):
    tags = {"cache"}  # noqa: RUF012 (Jinja reads it from the class)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        # The template's name keeps equal keys in two templates apart.
        call = self.call_method("_render_once", [nodes.Const(parser.name), nodes.List(key)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render_once(
        self, template: str | None, key: list[Any], caller: Callable[[], str]
    ) -> Markup:
        if not has_request_context() or self.environment.auto_reload:
            # Outside a request there is no language or prefix to key on; while templates
            # are being edited (debug), an edit must show at once.
            return Markup(caller())
        cache: dict[tuple[Any, ...], Markup] = self.environment.fragment_cache  # type: ignore[attr-defined]
        language = str(get_locale())
        full_key = (template, *key, language, request.script_root)
        fragment = cache.get(full_key)
        if fragment is None:
            if len(cache) >= MAX_FRAGMENTS:
                cache.clear()
            fragment = cache[full_key] = Markup(caller())
        return fragment
