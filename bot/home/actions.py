"""What people do with the Home tab itself: open it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.home.publish import mark_opened
from bot.usecase import Actor, Outcome


def open_home(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """The actor opened Home: from now on it is kept up to date for them.

    Perform it `at_home`, which publishes their Home as it stands.
    """
    mark_opened(session, actor.team_id, actor.user_id, now)
    return Outcome()
