"""outbox expiry and unknown outcomes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

`expires_at`: when a message stops being worth sending (retries go on until then).
Rows already sent, failed or cancelled get their `not_before`; queued ones three days
after it, the default for messages without an expiry of their own.
`unsure_since`: an attempt whose outcome is unknown (Slack may have posted it).
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

QUEUED = ("pending", "sending")
DEFAULT_EXPIRY = timedelta(days=3)  # bot.outbox.DEFAULT_EXPIRY when this was written


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", bot.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("unsure_since", bot.db.UTCDateTime(timezone=True), nullable=True)
        )
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("not_before", bot.db.UTCDateTime(timezone=True)),
        sa.column("expires_at", bot.db.UTCDateTime(timezone=True)),
    )
    bind = op.get_bind()
    bind.execute(
        outbox.update().where(outbox.c.status.not_in(QUEUED)).values(expires_at=outbox.c.not_before)
    )
    # Few rows are queued at any time: their expiry is computed here, the same on every backend.
    queued = bind.execute(
        sa.select(outbox.c.id, outbox.c.not_before).where(outbox.c.status.in_(QUEUED))
    ).all()
    for row_id, not_before in queued:
        bind.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(expires_at=not_before + DEFAULT_EXPIRY)
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=bot.db.UTCDateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("unsure_since")
        batch_op.drop_column("expires_at")
