"""Marking user-facing strings for translation without depending on Flask.

`N_` only marks a string for `pybabel extract`; the web layer translates it when
it renders (gettext(message) % params), so the domain stays pure.
"""


def N_(message: str) -> str:
    return message
