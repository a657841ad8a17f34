"""scheduler state (last pass, for /metrics) and pending erasures of deactivated people

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("at", bot.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "pending_erasures",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("due_at", bot.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", bot.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    with op.batch_alter_table("pending_erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_erasures_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_erasures_due_at"))
    op.drop_table("pending_erasures")
    op.drop_table("scheduler_state")
