"""What the finance rules read: the prisbasbelopp of each year (fixed by the government,
REFERENCE.md §1.3), which sets the capitalisation threshold of most municipalities."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class Prisbasbelopp(SQLModel, table=True):
    year: int = Field(primary_key=True)
    amount_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
