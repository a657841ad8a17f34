from __future__ import annotations

from sqlalchemy import String, Text, select

from bot.models import Member, ProcessedEvent
from devtools.cast import ANA, MAYA
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack


def member(sprout: Sprout, user_id: str) -> Member | None:
    with sprout.services.sessions() as session:
        return session.get(Member, (sprout.team_id, user_id))


def test_a_user_change_event_refreshes_the_directory(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/team", f"add <@{ANA.user_id}>")
    assert member(sprout, ANA.user_id).tz == "Europe/Berlin"

    user = slack.update_user(ANA.user_id, tz="Asia/Tokyo", status_text="On vacation")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    refreshed = member(sprout, ANA.user_id)
    assert refreshed.tz == "Asia/Tokyo" and refreshed.away_until is not None


def test_a_retried_event_is_handled_once(sprout: Sprout, slack: LocalSlack):
    user = slack.update_user(ANA.user_id, tz="Asia/Tokyo")
    event = {"type": "user_change", "user": {**user, "team_id": sprout.team_id}}
    first = sprout.event(event, event_id="Ev1")
    slack.update_user(ANA.user_id, tz="America/Chicago")
    retry = sprout.event(
        {"type": "user_change", "user": {**user, "tz": "America/Chicago"}},
        event_id="Ev1",
        extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )

    assert first.status == 200 and retry.status == 200
    assert member(sprout, ANA.user_id).tz == "Asia/Tokyo"
    with sprout.services.sessions() as session:
        assert session.query(ProcessedEvent).count() == 1


def test_a_user_change_signed_for_one_workspace_never_writes_another_ones_directory(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add <@{ANA.user_id}>")
    user = slack.update_user(ANA.user_id, tz="Asia/Tokyo")
    other_workspace = "T0ELSEWHERE"

    sprout.event(
        {"type": "user_change", "user": {**user, "team_id": sprout.team_id, "is_admin": True}},
        team_id=other_workspace,
    )

    assert member(sprout, ANA.user_id).tz == "Europe/Berlin"
    assert not member(sprout, ANA.user_id).is_admin
    with sprout.services.sessions() as session:
        elsewhere = session.get(Member, (other_workspace, ANA.user_id))
    assert elsewhere is not None and elsewhere.tz == "Asia/Tokyo"


def test_a_user_change_that_is_not_a_person_is_ignored(sprout: Sprout):
    reply = sprout.event({"type": "user_change", "user": "not an object"})

    assert reply.status == 200


def test_a_status_is_kept_only_as_away_until_never_its_words(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/team", f"add <@{ANA.user_id}>")
    user = slack.update_user(
        ANA.user_id, status_text="Recovering from knee surgery, out of office", status_expiration=0
    )
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    assert member(sprout, ANA.user_id).away_until.year == 9999  # away, with no end date
    columns = [c for c in Member.__table__.c if isinstance(c.type, String | Text)]
    with sprout.services.engine.connect() as conn:
        words = " ".join(str(v) for row in conn.execute(select(*columns)) for v in row)
    assert "surgery" not in words

    back = slack.update_user(ANA.user_id, status_text="Back!")
    sprout.event({"type": "user_change", "user": {**back, "team_id": sprout.team_id}})
    assert member(sprout, ANA.user_id).away_until is None
