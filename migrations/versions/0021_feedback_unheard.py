"""feedback nobody has heard yet, by when it was saved

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

`ix_feedback_unheard`: each scheduler pass reads the feedback saved in the last two weeks
that nobody has heard yet and nobody was reminded of (the one reminder of what is
unsaid). A partial index holds just those records: without it the read went through
every record ever saved, and with a plain index on `created_at` through two weeks of
them (89 ms a pass at 100k members on SQLite).
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

UNHEARD = (
    "unsent_nudged_at IS NULL AND kept_at IS NULL AND send_requested_at IS NULL"
    " AND delivered_at IS NULL AND told_at IS NULL"
)


def upgrade() -> None:
    op.create_index(
        "ix_feedback_unheard",
        "feedback",
        ["created_at"],
        unique=False,
        sqlite_where=sa.text(UNHEARD),
        postgresql_where=sa.text(UNHEARD),
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_unheard", table_name="feedback")
