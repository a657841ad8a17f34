"""action plans on the third rung of the redirect ladder

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30

A plan a manager drafts and the report agrees to (`action_plans`), with up to five dated
steps (`action_plan_steps`).
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WHEN = bot.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("manager_id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("check_in_on", sa.Date(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("agreed_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("check_in_nudged_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "token", name="uq_action_plans_token"),
    )
    op.create_index("ix_action_plans_manager", "action_plans", ["team_id", "manager_id", "status"])
    op.create_index("ix_action_plans_report", "action_plans", ["team_id", "report_id", "status"])
    op.create_table(
        "action_plan_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", WHEN, nullable=True),
        sa.Column("nudged_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_plan_steps_plan", "action_plan_steps", ["plan_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_action_plan_steps_plan", table_name="action_plan_steps")
    op.drop_table("action_plan_steps")
    op.drop_index("ix_action_plans_report", table_name="action_plans")
    op.drop_index("ix_action_plans_manager", table_name="action_plans")
    op.drop_table("action_plans")
