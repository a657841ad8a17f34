"""members keep only until when a Slack status says they are away, not the status itself

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

Existing rows start as "not away"; the directory refreshes each person from Slack within
a day, and at once on their next status change.
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("away_until", bot.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("status_text")
        batch_op.drop_column("status_emoji")
        batch_op.drop_column("status_expiration")


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status_expiration", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("status_emoji", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("status_text", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.drop_column("away_until")
