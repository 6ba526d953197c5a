"""People who log in, and their API tokens (stored hashed)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from ..domain.roles import Role


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=256)
    role: str = Field(default=Role.VIEWER, max_length=20)
    # A scoped user sees and touches only this owner's assets.
    owner_id: int | None = Field(default=None, foreign_key="owner.id")
    active: bool = True
    locale: str | None = Field(default=None, max_length=5)
    # Part of the id a session and a remember-me cookie hold (get_id): bumped by logout, a
    # password change and deactivation, so that every session issued before is refused.
    session_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie; the user loader
        accepts it only while the version is the user's current one."""
        return f"{self.id}:{self.session_version}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    # What uses it ("Servicedesk", "Ekonomisystemet"), and when it stops working.
    name: str = Field(default="Token", max_length=80, sa_column_kwargs={"server_default": "Token"})
    expires_at: dt.datetime | None = None
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    revoked: bool = False
