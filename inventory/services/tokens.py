"""API tokens: named, with an expiry, revocable, stored hashed (shown once when made), each
carrying its user's role and owner scope. A user makes and revokes their own; an
administrator for all owners may make one for another user and revoke any."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..domain.errors import NotFound, PermissionDenied, ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..models import ApiToken, User
from . import audit, scope
from .access import require_role
from .users import find_by_email, hash_token

MAX_DAYS = 366
MAX_NAME = 80


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    user: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked: bool


def manages_all(actor: User) -> bool:
    return actor.role_enum.at_least(Role.ADMIN) and scope.scoped_owner(actor) is None


def list_tokens(session: Session, *, actor: User) -> list[TokenRow]:
    """The actor's own tokens; an administrator for all owners sees everyone's."""
    require_role(actor, Role.VIEWER)
    stmt = select(ApiToken, User.email).join(User, col(User.id) == ApiToken.user_id)
    if not manages_all(actor):
        stmt = stmt.where(ApiToken.user_id == actor.id)
    rows = session.exec(stmt.order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc()))
    return [
        TokenRow(t.id, t.name, email, t.created_at, t.expires_at, t.last_used_at, t.revoked)  # type: ignore[arg-type]
        for t, email in rows
    ]


def create(
    session: Session,
    *,
    actor: User,
    name: str,
    days: int,
    now: dt.datetime,
    for_email: str | None = None,
) -> tuple[TokenRow, str]:
    """A new token and its secret, which is not kept: only its hash is."""
    require_role(actor, Role.VIEWER)
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = N_("Give the token a name that says what uses it.")
    elif len(name) > MAX_NAME:
        errors["name"] = N_("The text is too long.")
    if not 1 <= days <= MAX_DAYS:
        errors["expires_in_days"] = N_("A token lasts from 1 to 366 days.")
    owner = actor
    if for_email and for_email.strip().lower() != actor.email:
        if not manages_all(actor):
            raise PermissionDenied(
                N_("Only an administrator for all owners makes tokens for others.")
            )
        found = find_by_email(session, for_email)
        if found is None or not found.active:
            errors["user"] = N_("No active user has that e-mail address.")
        else:
            owner = found
    if errors:
        raise ValidationFailed(errors)
    assert owner.id is not None
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id, token_hash=hash_token(secret), created_at=now, name=name,
        expires_at=now + dt.timedelta(days=days),
    )  # fmt: skip
    session.add(token)
    session.flush()
    assert token.id is not None
    # Who gave whom access, and when: kept when the token itself is long revoked.
    audit.record(
        session, action="token.created", actor=actor, subject=owner.email, at=now,
        details={"token_id": token.id, "name": name, "days": days},
    )  # fmt: skip
    session.commit()
    row = TokenRow(token.id, name, owner.email, now, token.expires_at, None, False)
    return row, secret


def revoke(session: Session, *, actor: User, token_id: int) -> None:
    require_role(actor, Role.VIEWER)
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not manages_all(actor)):
        raise NotFound()
    if not token.revoked:
        token.revoked = True
        session.add(token)
        owner = session.get(User, token.user_id)
        audit.record(
            session, action="token.revoked", actor=actor, subject=owner.email if owner else "",
            details={"token_id": token.id, "name": token.name},
        )  # fmt: skip
    session.commit()
