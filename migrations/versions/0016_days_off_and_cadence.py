"""a person's public holidays and check-in cadence

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30

`holiday_country`: whose public holidays a person keeps (None: their time zone's country,
"none": no public holidays off). `checkin_cadence`: daily, weekly or paused, as they chose
after check-ins went unanswered (None: daily, unless Sprout eased to weekly);
`cadence_asked_at`: when Sprout asked them which they want (once).
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holiday_country", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("checkin_cadence", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("cadence_asked_at", bot.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("person_settings", schema=None) as batch_op:
        batch_op.drop_column("cadence_asked_at")
        batch_op.drop_column("checkin_cadence")
        batch_op.drop_column("holiday_country")
