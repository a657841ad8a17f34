"""The monthly upward pulse: managers' choices, monthly rounds, anonymous answers

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Answers carry no respondent and no time; who answered is kept on the round, without times.
"""

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pulse_choices",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("manager_id", sa.String(32), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "pulse_rounds",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("manager_id", sa.String(32), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("questions", sa.String(200), nullable=False),
        sa.Column("opens_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.JSON(), nullable=False),
        sa.Column("results_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_pulse_rounds_closes_at", "pulse_rounds", ["closes_at"])
    op.create_table(
        "pulse_answers",
        sa.Column("slot", sa.String(32), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("question", sa.String(24), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_pulse_answers_round", "pulse_answers", ["team_id", "manager_id", "month"])


def downgrade() -> None:
    op.drop_index("ix_pulse_answers_round", table_name="pulse_answers")
    op.drop_table("pulse_answers")
    op.drop_index("ix_pulse_rounds_closes_at", table_name="pulse_rounds")
    op.drop_table("pulse_rounds")
    op.drop_table("pulse_choices")
