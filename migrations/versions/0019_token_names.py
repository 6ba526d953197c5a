"""API tokens get a name and an expiry

Revision ID: 0019
Revises: 0018

Issue 15: a token says what uses it (a name), and lasts a set time (at most a year when
made through the API or its page). Tokens made before keep no expiry and are named
"Token" until someone renames or replaces them.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place, never in a batch (the triggers of inventory/maintained.py).
    op.add_column(
        "api_token",
        sa.Column("name", sa.String(length=80), nullable=False, server_default="Token"),
    )
    op.add_column(
        "api_token", sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )


def downgrade() -> None:
    op.execute("ALTER TABLE api_token DROP COLUMN expires_at")
    op.execute("ALTER TABLE api_token DROP COLUMN name")
