"""a manager's reflection journal

Revision ID: 0017
Revises: 0016 (days off and cadence)
Create Date: 2026-11-30

One row per manager and week: the week's reflection question, that week's figures, and
the manager's answer (a few lines and a 1-5 "how did I do"), or that they skipped it.
"""

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("asked_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("skipped_at", UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("team_id", "manager_id", "week", name="uq_reflection_week"),
    )
    op.create_index(
        "ix_reflections_journal", "reflections", ["team_id", "manager_id", "answered_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_reflections_journal", table_name="reflections")
    op.drop_table("reflections")
