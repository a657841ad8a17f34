"""a record's place among its giver's records of its kind

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01

`feedback.nth`: how many records of this kind the giver saved before this one, which
picks the wording of the tip shown as it is saved. Stored when a record is saved, from
the giver's latest record of the kind (`ix_feedback_giver_kind`), where it was counted
over all their records on every save. Existing records are numbered here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.add_column(sa.Column("nth", sa.Integer(), nullable=True))
    op.create_index(
        "ix_feedback_giver_kind", "feedback", ["team_id", "giver_id", "kind", "id"], unique=False
    )
    op.execute(
        "UPDATE feedback SET nth = (SELECT count(*) FROM feedback AS earlier"
        " WHERE earlier.team_id = feedback.team_id AND earlier.giver_id = feedback.giver_id"
        " AND earlier.kind = feedback.kind AND earlier.id < feedback.id)"
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_giver_kind", table_name="feedback")
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.drop_column("nth")
