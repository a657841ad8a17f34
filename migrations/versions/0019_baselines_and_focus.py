"""baselines and a focus to practise

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30

`baselines`: what a manager and a report agreed to expect, one per pair, with the text
last sent and the text last agreed. `focuses`: the one thing a report practises, and
`focus_practice` the days they practised it.
"""

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "baselines",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("manager_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(32), primary_key=True),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("agreed", sa.JSON(), nullable=True),
        _when("agreed_at"),
        _when("review_at"),
        _when("updated_at", nullable=False),
    )
    op.create_index("ix_baselines_review_at", "baselines", ["review_at"])
    op.create_table(
        "focuses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("proposed_by", sa.String(32), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        _when("created_at", nullable=False),
        _when("accepted_at"),
        _when("ended_at"),
    )
    op.create_index("ix_focuses_pair", "focuses", ["team_id", "manager_id", "report_id", "state"])
    op.create_table(
        "focus_practice",
        sa.Column("focus_id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        _when("at", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("focus_practice")
    op.drop_index("ix_focuses_pair", table_name="focuses")
    op.drop_table("focuses")
    op.drop_index("ix_baselines_review_at", table_name="baselines")
    op.drop_table("baselines")
