"""The login service: the password check, the audit log and the session version."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from inventory.domain.errors import ValidationFailed
from inventory.domain.roles import Role
from inventory.models import AuditEvent, User
from inventory.services import audit, auth, passwords, users

from ..factories import PASSWORD, Reference, make_user


def events(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


def version_of(session: Session, user: User) -> int:
    session.expire_all()
    found = session.get(User, user.id)
    assert found is not None
    return found.session_version


def test_an_unknown_address_is_checked_against_a_hash_of_the_scheme_new_passwords_get() -> None:
    scheme = passwords.hash_password("anything").split("$", 2)[1]
    assert passwords.dummy_hash().split("$", 2)[1] == scheme == "argon2id"


def median_seconds(check: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check()
        times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2]


def test_an_unknown_address_takes_about_as_long_as_a_wrong_password(
    session: Session, ref: Reference
) -> None:
    # A user whose hash has the full strength new passwords get (the factories' is cheap).
    user = make_user(session, "karin@borgholm.se", Role.VIEWER)
    user.password_hash = passwords.hash_password(PASSWORD)
    session.add(user)
    session.commit()
    passwords.dummy_hash()  # made once per process, not on the first unknown address
    wrong = median_seconds(
        lambda: users.authenticate(session, email=user.email, password="wrong-password")
    )
    unknown = median_seconds(
        lambda: users.authenticate(session, email="nobody@borgholm.se", password="wrong-password")
    )
    # Without the dummy check an unknown address answers a hundred times faster.
    assert unknown > wrong / 3, (unknown, wrong)


def test_authenticate_refuses_unknown_wrong_and_deactivated_alike(
    session: Session, ref: Reference
) -> None:
    assert users.authenticate(session, email="nobody@example.se", password=PASSWORD) is None
    assert users.authenticate(session, email=ref.viewer.email, password="wrong-pass") is None
    ref.viewer.active = False
    session.add(ref.viewer)
    session.commit()
    assert users.authenticate(session, email=ref.viewer.email, password=PASSWORD) is None
    found = users.authenticate(session, email=f" {ref.admin.email.upper()} ", password=PASSWORD)
    assert found is not None and found.id == ref.admin.id


def test_log_in_audits_success_and_failure(session: Session, ref: Reference) -> None:
    assert auth.log_in(session, email=ref.admin.email, password="x", remote_addr="10.1.1.1") is None
    user = auth.log_in(session, email=ref.admin.email, password=PASSWORD, remote_addr="10.1.1.1")
    assert user is not None
    assert [(e.action, e.actor_id, e.subject, e.remote_addr) for e in events(session)] == [
        ("login.failed", None, ref.admin.email, "10.1.1.1"),
        ("login.success", ref.admin.id, ref.admin.email, "10.1.1.1"),
    ]


def test_log_out_moves_the_session_version_and_is_audited(session: Session, ref: Reference) -> None:
    before = version_of(session, ref.viewer)
    auth.log_out(session, user=ref.viewer, remote_addr=None)
    assert version_of(session, ref.viewer) == before + 1
    assert [(e.action, e.actor_id) for e in events(session)] == [("logout", ref.viewer.id)]
    assert ref.viewer.get_id() == f"{ref.viewer.id}:{before + 1}"


def update(session: Session, ref: Reference, user: User, **fields: object) -> None:
    values: dict[str, object] = {
        "role": user.role,
        "owner_id": user.owner_id,
        "active": user.active,
        "name": user.name,
        **fields,
    }
    users.update_user(session, actor=ref.admin, user=user, **values)  # type: ignore[arg-type]


def test_a_new_password_and_a_deactivation_move_the_session_version(
    session: Session, ref: Reference
) -> None:
    start = version_of(session, ref.viewer)
    update(session, ref, ref.viewer, password="another-long-password")
    assert version_of(session, ref.viewer) == start + 1
    update(session, ref, ref.viewer, active=False)
    assert version_of(session, ref.viewer) == start + 2
    # Already inactive, or back to active: no sessions to end.
    update(session, ref, ref.viewer, active=False, name="Vera")
    update(session, ref, ref.viewer, active=True)
    assert version_of(session, ref.viewer) == start + 2


def test_other_changes_leave_the_session_version(session: Session, ref: Reference) -> None:
    start = version_of(session, ref.viewer)
    update(session, ref, ref.viewer, name="Vera Viewer", role=Role.TECHNICIAN)
    assert version_of(session, ref.viewer) == start


def test_a_refused_update_leaves_the_session_version(session: Session, ref: Reference) -> None:
    start = version_of(session, ref.viewer)
    with pytest.raises(ValidationFailed) as refused:
        update(session, ref, ref.viewer, password="short")
    assert "password" in refused.value.errors
    session.rollback()
    assert version_of(session, ref.viewer) == start


def test_an_audit_event_is_written_in_the_callers_transaction(
    session: Session, ref: Reference
) -> None:
    audit.record(session, action="login.failed", subject="x" * 300, remote_addr="::1")
    session.rollback()
    assert events(session) == []
    audit.record(session, action="login.failed", subject="x" * 300, details={"n": 1})
    session.commit()
    (event,) = events(session)
    assert len(event.subject) == 254 and event.details == {"n": 1}
    assert event.at.tzinfo is not None
