"""feedback by when it was saved

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

`ix_feedback_created`: each scheduler pass reads the feedback saved in the last two
weeks that nobody has heard yet (the one reminder of what is unsaid); without it, that
read went through every record ever saved.
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_feedback_created", "feedback", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_feedback_created", table_name="feedback")
