"""Passwords as NIST SP 800-63B rev. 4 asks of a single factor: long enough, no rules on the
kinds of characters, not common, guessable or built from the user's own name; stored with
Argon2id, an older hash replaced at the next login; a deactivated account's tokens revoked
for good; each change to an account in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select
from werkzeug.security import generate_password_hash

from inventory.domain.errors import ValidationFailed
from inventory.domain.roles import Role
from inventory.models import ApiToken, AuditEvent, User
from inventory.services import passwords, users

from ..factories import NOW, PASSWORD, Reference


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort-lösen", passwords.TOO_SHORT),  # 10: the old minimum
        ("a" * 14, passwords.TOO_SHORT),
        ("lösenordlösenord", passwords.TOO_COMMON),  # the obvious one, twice
        ("sommar2024sommar", passwords.TOO_COMMON),
        ("Borgholm2026!!!!", passwords.TOO_COMMON),  # the "complexity" rules' symbols
        ("qwertyuiop123456", passwords.TOO_COMMON),
        ("123456789012345678", passwords.TOO_COMMON),
        ("karin.andersson1984", passwords.TOO_PERSONAL),  # karin.andersson@borgholm.se
        ("x" * 201, passwords.TOO_LONG),
    ],
)
def test_a_short_common_or_personal_password_is_refused_with_a_reason(
    password: str, reason: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        passwords.check(password, email="karin.andersson@borgholm.se")
    assert refused.value.errors["password"] == reason


@pytest.mark.parametrize(
    "password",
    [
        "tjugotre gröna ankor simmar",  # lower case and spaces only: no composition rules
        "correct-horse-battery",
        "Fyra rävar åt kanelbullar på Ölands norra udde",
        "åttiosju-blå-cyklar",
    ],
)
def test_a_long_uncommon_password_of_any_characters_is_taken(password: str) -> None:
    passwords.check(password, email="karin.andersson@borgholm.se")
    stored = passwords.hash_password(password)
    assert stored.startswith("$argon2id$") and password not in stored
    assert passwords.verify(stored, password) and not passwords.verify(stored, password + "x")


def test_the_same_password_typed_in_another_form_of_the_same_characters_matches() -> None:
    stored = passwords.hash_password("Ｋａｆｆｅ-på-Ölands-udde")  # full-width letters
    assert passwords.verify(stored, "Kaffe-på-Ölands-udde")


def test_an_older_hash_still_logs_in_and_is_replaced_by_argon2(
    session: Session, ref: Reference
) -> None:
    ref.viewer.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    session.add(ref.viewer)
    session.commit()
    assert users.authenticate(session, email=ref.viewer.email, password="wrong-password") is None
    session.commit()
    session.expire_all()
    assert session.get(User, ref.viewer.id).password_hash.startswith("pbkdf2:")  # type: ignore[union-attr]
    assert users.authenticate(session, email=ref.viewer.email, password=PASSWORD) is not None
    session.commit()
    session.expire_all()
    upgraded = session.get(User, ref.viewer.id)
    assert upgraded is not None and upgraded.password_hash.startswith("$argon2id$")
    assert users.authenticate(session, email=ref.viewer.email, password=PASSWORD) is not None


def test_creating_an_account_checks_its_password_and_is_audited(
    session: Session, ref: Reference
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(session, email="ny@borgholm.se", password="sommar2024sommar",
                          role="viewer", actor=ref.admin)  # fmt: skip
    assert refused.value.errors["password"] == passwords.TOO_COMMON
    made = users.create_user(session, email="ny@borgholm.se", password="tjugotre gröna ankor",
                             role="viewer", actor=ref.admin)  # fmt: skip
    assert made.password_hash.startswith("$argon2id$")
    logged = _audit(session, "user.created")
    assert [(e.subject, e.actor_id, e.details["after"]["role"]) for e in logged] == [
        ("ny@borgholm.se", ref.admin.id, "viewer")
    ]
    assert "tjugotre" not in str(logged[0].details)


def test_deactivating_an_account_revokes_its_tokens_for_good_and_is_audited(
    session: Session, ref: Reference
) -> None:
    secret = users.create_token(session, email=ref.technician.email, now=NOW, days=30)
    assert users.user_for_token(session, token=secret, now=NOW) is not None
    users.update_user(session, actor=ref.admin, user=ref.technician, role="admin",
                      owner_id=None, active=True, name="Tekla")  # fmt: skip
    users.update_user(session, actor=ref.admin, user=ref.technician, role="admin",
                      owner_id=None, active=False, name="Tekla")  # fmt: skip
    users.update_user(session, actor=ref.admin, user=ref.technician, role="admin",
                      owner_id=None, active=True, name="Tekla")  # fmt: skip
    later = NOW + dt.timedelta(minutes=5)
    assert users.user_for_token(session, token=secret, now=later) is None  # not revived
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == ref.technician.id)).all()
    assert tokens and all(t.revoked for t in tokens)
    changes = [(e.details["changes"], e.details.get("tokens_revoked"))
               for e in _audit(session, "user.changed")]  # fmt: skip
    assert changes == [
        ({"role": [Role.TECHNICIAN.value, "admin"], "name": ["", "Tekla"]}, None),
        ({"active": [True, False]}, 1),
        ({"active": [False, True]}, None),
    ]


def _audit(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        )
    )
