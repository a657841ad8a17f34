"""feedback closes its loop: told in person, kept, nudged once, answered, asked for

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

Existing records start as they were: kept unless sent. A share made before the person
heard the feedback stays recorded, but the manager sees it only once they have.
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MOMENTS = ("told_at", "kept_at", "unsent_nudged_at", "responded_at", "discussed_at")


def upgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        for name in MOMENTS:
            batch_op.add_column(sa.Column(name, bot.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("response", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("response_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("ask_id", sa.Integer(), nullable=True))
    op.create_table(
        "feedback_asks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("asker_id", sa.String(length=32), nullable=False),
        sa.Column("asked_id", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", bot.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", bot.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback_asks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_feedback_asks_asked", ["team_id", "asked_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_asks_open", ["answered_at", "reminded_at", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_asks", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_asks_open")
        batch_op.drop_index("ix_feedback_asks_asked")
    op.drop_table("feedback_asks")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        for name in ("ask_id", "response_text", "response", *reversed(MOMENTS)):
            batch_op.drop_column(name)
