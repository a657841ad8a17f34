"""one-on-ones: a pair's schedule, agenda items, agreements and wrap-ups

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "one_on_ones",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("manager_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(32), primary_key=True),
        sa.Column("cadence", sa.String(8), nullable=False),
        sa.Column("days", sa.String(7), nullable=False),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("lead_minutes", sa.Integer(), nullable=False),
        _when("next_at"),
        _when("agenda_due_at"),
        sa.Column("updated_by", sa.String(32), nullable=False),
        _when("updated_at", nullable=False),
    )
    op.create_index("ix_one_on_ones_agenda_due_at", "one_on_ones", ["agenda_due_at"])
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_ref", sa.String(64), nullable=True),
        _when("created_at", nullable=False),
        _when("covered_at"),
        sa.UniqueConstraint(
            "team_id", "manager_id", "report_id", "source", "source_ref", name="uq_agenda_source"
        ),
    )
    op.create_index(
        "ix_agenda_items_pair",
        "agenda_items",
        ["team_id", "manager_id", "report_id", "covered_at"],
    )
    op.create_table(
        "oneonone_agreements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("occurrence", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(32), nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_index(
        "ix_oneonone_agreements_pair",
        "oneonone_agreements",
        ["team_id", "manager_id", "report_id", "occurrence"],
    )
    op.create_table(
        "oneonone_wrapups",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("manager_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(32), primary_key=True),
        sa.Column("occurrence", sa.String(20), primary_key=True),
        sa.Column("author_id", sa.String(32), primary_key=True),
        sa.Column("note", sa.Text(), nullable=False),
        _when("at", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("oneonone_wrapups")
    op.drop_index("ix_oneonone_agreements_pair", table_name="oneonone_agreements")
    op.drop_table("oneonone_agreements")
    op.drop_index("ix_agenda_items_pair", table_name="agenda_items")
    op.drop_table("agenda_items")
    op.drop_index("ix_one_on_ones_agenda_due_at", table_name="one_on_ones")
    op.drop_table("one_on_ones")
