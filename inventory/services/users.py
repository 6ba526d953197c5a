"""Users, passwords and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..models import ApiToken, Owner, User
from . import audit, owners, passwords, scope
from .access import require_role

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Writing last_used on every API call would turn every read into a write.
TOKEN_TOUCH_INTERVAL = dt.timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None. An unknown address or a
    deactivated account costs the same password check as a wrong password, so that the
    time of the answer does not tell which addresses have accounts."""
    user = credentials_match(session, email=email, password=password)
    return user if user is not None and user.active else None


def credentials_match(session: Session, *, email: str, password: str) -> User | None:
    """The user with this e-mail and password, active or not, else None (at the cost of one
    password check either way)."""
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    matches = passwords.verify(user.password_hash if user else passwords.dummy_hash(), password)
    if user is None or not matches:
        return None
    if passwords.needs_rehash(user.password_hash):
        # An older scheme's hash, replaced now that the password is at hand; committed with
        # the login's audit event.
        user.password_hash = passwords.hash_password(password)
        session.add(user)
    return user


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    owner_slug: str | None = None,
    owner_id: int | None = None,
    name: str = "",
    actor: User | None = None,
) -> User:
    """Create a user. `actor` is None only for the command line, run by the server's operator."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = N_("Enter a valid e-mail address.")
    elif session.exec(select(User).where(User.email == email)).first() is not None:
        errors["email"] = N_("A user with that e-mail address already exists.")
    if role not in {r.value for r in Role}:
        errors["role"] = N_("Choose a role from the list.")
    if (weak := passwords.problem(password, email=email, name=name)) is not None:
        errors["password"] = weak
    if owner_slug:
        owner = session.exec(select(Owner).where(Owner.slug == owner_slug)).first()
        if owner is None:
            errors["owner"] = N_("Unknown owner code.")
        owner_id = owner.id if owner else None
    elif owner_id is not None and session.get(Owner, owner_id) is None:
        errors["owner_id"] = N_("Choose an owner from the list.")
    if actor is not None and not in_scope_of_admin(actor, owner_id):
        errors["owner"] = N_("You can only make changes for your own municipality.")
    if (
        "owner" not in errors
        and "owner_id" not in errors
        and owners.has_handed_over(session, owner_id)
    ):
        errors["owner" if owner_slug else "owner_id"] = HANDED_OVER_OWNER
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        role=role,
        owner_id=owner_id,
    )
    session.add(user)
    session.flush()
    audit.record(session, action="user.created", actor=actor, subject=email,
                 details={"after": _account(user)})  # fmt: skip
    session.commit()
    return user


def _account(user: User) -> dict[str, object]:
    """What the audit log keeps of an account's settings (never its password or hash)."""
    return {"role": user.role, "owner_id": user.owner_id, "active": user.active,
            "name": user.name}  # fmt: skip


# A user limited to an owner whose register was handed over has nothing left to see or do
# here: the handover closed them (services/handover.py), and they stay closed.
HANDED_OVER_OWNER = N_(
    "This owner's register has been handed over: a user limited to it cannot be active."
)


def in_scope_of_admin(actor: User, owner_id: int | None) -> bool:
    """A scoped admin manages only users limited to the same owner: never unscoped ones,
    who would see and change both municipalities' assets (services/scope.py)."""
    return scope.owns(actor, owner_id)


def list_users(session: Session, *, actor: User) -> list[User]:
    require_role(actor, Role.ADMIN)
    query = scope.restrict(select(User), actor, User).order_by(col(User.email))
    return list(session.exec(query))


def get_user(session: Session, *, actor: User, user_id: int) -> User:
    require_role(actor, Role.ADMIN)
    user = session.exec(scope.restrict(select(User).where(User.id == user_id), actor, User)).first()
    if user is None:
        raise NotFound()
    return user


def update_user(
    session: Session,
    *,
    actor: User,
    user: User,
    role: str,
    owner_id: int | None,
    active: bool,
    name: str,
    password: str = "",
) -> User:
    require_role(actor, Role.ADMIN)
    if not in_scope_of_admin(actor, user.owner_id):
        raise NotFound()
    errors: dict[str, str] = {}
    if not in_scope_of_admin(actor, owner_id):
        errors["owner_id"] = N_("You can only make changes for your own municipality.")
    if role not in {r.value for r in Role}:
        errors["role"] = N_("Choose a role from the list.")
    if password and (weak := passwords.problem(password, email=user.email, name=name)):
        errors["password"] = weak
    if user.id == actor.id and (not active or role != Role.ADMIN):
        errors["role"] = N_("You cannot demote or deactivate yourself.")
    if owner_id is not None and session.get(Owner, owner_id) is None:
        errors["owner_id"] = N_("Choose an owner from the list.")
    elif active and owners.has_handed_over(session, owner_id):
        errors["owner_id"] = HANDED_OVER_OWNER
    if errors:
        raise ValidationFailed(errors)
    before = _account(user)
    deactivated = user.active and not active
    # A new password or a deactivation ends the user's sessions (see User.session_version).
    if password or deactivated:
        user.session_version += 1
    user.role, user.owner_id, user.active, user.name = role, owner_id, active, name.strip()
    if password:
        user.password_hash = passwords.hash_password(password)
    session.add(user)
    revoked = 0
    if deactivated:
        # And its API tokens, for good: reactivating the account does not bring them back.
        revoked = revoke_tokens(session, [user.id])
    after = _account(user)
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed or password:
        details: dict[str, object] = {"changes": changed}
        if password:
            details["password_changed"] = True
        if revoked:
            details["tokens_revoked"] = revoked
        audit.record(session, action="user.changed", actor=actor, subject=user.email,
                     details=details)  # fmt: skip
    session.commit()
    return user


def create_token(
    session: Session,
    *,
    email: str,
    now: dt.datetime,
    name: str = "Token",
    days: int | None = None,
) -> str:
    """A new API token (the operator's command; services/tokens.py for users); only its hash
    is kept, so it is shown once. Without `days` it does not expire."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise ValidationFailed({"email": N_("No user has that e-mail address.")})
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(days=days) if days else None
    session.add(
        ApiToken(
            user_id=user.id, token_hash=hash_token(token), created_at=now, name=name[:80],
            expires_at=expires,
        )
    )  # fmt: skip
    session.commit()
    return token


# Every API call asks this (bench/over_http.py): the token and its user in one query, built
# once, read through Core into a plain copy of the user as the session's user is
# (extensions.load_user). Through the ORM the two objects cost more than the lookup itself.
_TOKEN_USER: Any = (
    sa_select(  # type: ignore[call-overload]
        col(ApiToken.id).label("token_id"),
        col(ApiToken.expires_at).label("token_expires_at"),
        col(ApiToken.last_used_at).label("token_last_used_at"),
        *User.__table__.c,  # type: ignore[attr-defined]
    )
    .join(User, col(User.id) == ApiToken.user_id)
    .where(col(ApiToken.token_hash) == bindparam("token_hash"), col(ApiToken.revoked).is_(False))
)
_TOUCH_TOKEN = (
    update(ApiToken)
    .where(col(ApiToken.id) == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def user_for_token(session: Session, *, token: str, now: dt.datetime) -> User | None:
    if not token or len(token) > 200:
        return None
    conn = session.connection()
    found = conn.execute(_TOKEN_USER, {"token_hash": hash_token(token)}).first()
    if found is None:
        return None
    row = dict(found._mapping)
    token_id, expires_at = row.pop("token_id"), row.pop("token_expires_at")
    last_used_at = row.pop("token_last_used_at")
    if (expires_at is not None and expires_at <= now) or not row["active"]:
        return None
    if last_used_at is None or now - last_used_at > TOKEN_TOUCH_INTERVAL:
        conn.execute(_TOUCH_TOKEN, {"token_id": token_id, "now": now})
        session.commit()
    return User.model_construct(**row)


def revoke_tokens(session: Session, user_ids: Any) -> int:
    """Revoke every live token of these users (ids, or a select of them), for good; how many
    were revoked. In the caller's transaction."""
    revoked = session.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id).in_(user_ids), col(ApiToken.revoked).is_(False))
        .values(revoked=True)
    )
    return int(revoked.rowcount or 0)  # type: ignore[attr-defined]
