"""Passwords as NIST SP 800-63B rev. 4 (2025, §3.1.1.2) asks of a password that is the only
factor: at least 15 characters (code points), no rules on which kinds of characters, long
ones accepted (NIST: at least 64; we take up to 200, so that hashing stays cheap), and a new
one checked against a list of common, guessable and context-specific passwords. Stored with
Argon2id (argon2-cffi's default parameters, RFC 9106); a hash of an older scheme (werkzeug's
pbkdf2 or scrypt) still verifies and is replaced at the next login."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

from ..domain.errors import ValidationFailed
from ..domain.text import N_

MIN_LENGTH = 15
MAX_LENGTH = 200
# zxcvbn's score, 0-4: 4 is at least 10^10 guesses ("very unguessable"); 3 let through a
# season twice around a year ("sommar2024sommar"), which tests/services/test_passwords.py
# names among others.
MIN_SCORE = 4

TOO_SHORT = N_(
    "A password has at least 15 characters: a few words make one that is easy to remember."
)
TOO_LONG = N_("A password has at most 200 characters.")
TOO_PERSONAL = N_("A password may not contain your e-mail address or your name.")
TOO_COMMON = N_(
    "This password is too common or too easy to guess: choose another, such as a few "
    "unrelated words."
)

# Words our users are likely to build a password from, which zxcvbn's English lists lack:
# the places, the organisation, the product, the seasons and the usual Swedish ones.
CONTEXT_WORDS = (
    "öland", "oland", "borgholm", "mörbylånga", "morbylanga", "kalmar", "kommun", "kommunen",
    "itnämnd", "itnamnd", "inventarie", "inventarier", "inventarieregister", "register",
    "lösenord", "losenord", "hemligt", "välkommen", "valkommen", "sommar", "vinter", "hösten",
    "våren", "januari", "december", "sverige", "qwertyuiop", "asdfghjkl", "dator", "skola",
)  # fmt: skip

_hasher = PasswordHasher()


def use_test_profile() -> None:
    """For the test suite alone: argon2-cffi's CHEAPEST parameters, so that a thousand logins
    do not take minutes. Hashes made with it still verify anywhere (a hash names its own
    parameters) and are replaced at the next login by a process with the default ones."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


def normal(password: str) -> str:
    """NFKC, as NIST advises, so that the same password typed on another keyboard matches."""
    return unicodedata.normalize("NFKC", password)


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` cannot be chosen (a message), or None."""
    password = normal(password)
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    personal = [part for part in re.split(r"[@.\s_+-]+", f"{email} {name}".lower()) if part]
    if _contains_own_name(password, email, name):
        return TOO_PERSONAL
    score = zxcvbn(password, user_inputs=[*CONTEXT_WORDS, *personal])["score"]
    if score < MIN_SCORE:
        return TOO_COMMON
    return None


def _contains_own_name(password: str, email: str, name: str) -> bool:
    """The e-mail address's name part or the user's name in it, punctuation aside: a
    derivative of the user name, which NIST lists among what a new password may not be."""
    letters = _letters(password)
    own = [_letters(email.split("@", 1)[0]), _letters(name)]
    return any(len(word) >= 4 and word in letters for word in own)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def check(password: str, *, email: str = "", name: str = "", field: str = "password") -> None:
    if (why := problem(password, email=email, name=name)) is not None:
        raise ValidationFailed({field: why})


def hash_password(password: str) -> str:
    return _hasher.hash(normal(password))


def verify(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from, of either scheme."""
    if stored.startswith("$argon2"):
        try:
            return _hasher.verify(stored, normal(password))
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:  # not a hash we know
        return False


def needs_rehash(stored: str) -> bool:
    """An older scheme, or Argon2 with other parameters than new hashes get."""
    return not stored.startswith("$argon2") or _hasher.check_needs_rehash(stored)


@cache
def dummy_hash() -> str:
    """A hash of the scheme new passwords get, made once per process: an unknown e-mail
    address is checked against it, so that it takes as long as a wrong password."""
    return _hasher.hash("not-a-password-of-anyone")
