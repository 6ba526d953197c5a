"""What the finance rules read: the prisbasbelopp of each year (fixed by the government,
REFERENCE.md §1.3), which sets the capitalisation threshold of most municipalities; and the
service objects the business units are invoiced for."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class Prisbasbelopp(SQLModel, table=True):
    year: int = Field(primary_key=True)
    amount_ore: int = Field(sa_column=Column(BigInteger, nullable=False))


class ServiceObject(SQLModel, table=True):
    """What the committee invoices its business units for each quarter, from 2026: the
    service objects (DOMAIN.md), each device belonging to one. Admin-edited; each category
    names the one its devices belong to unless told otherwise."""

    __tablename__ = "service_object"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    # Where it stands in lists and on the invoicing basis.
    position: int = 0
