"""Team requests: a reporting line waits for the person's yes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

Existing reporting lines stay as they are: they count as accepted.
"""

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(16), nullable=True),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_team_requests_open", "team_requests", ["answer", "expires_at"])
    op.create_index("ix_team_requests_manager", "team_requests", ["team_id", "manager_id"])


def downgrade() -> None:
    op.drop_index("ix_team_requests_manager", table_name="team_requests")
    op.drop_index("ix_team_requests_open", table_name="team_requests")
    op.drop_table("team_requests")
