"""Housekeeping: old content goes, deactivated people and uninstalled workspaces are erased
after their grace period, and the scheduler's last pass is on /metrics."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot import outbox, retention
from bot.db import transaction
from bot.models import Feedback, OutboxMessage, PendingErasure, ProcessedEvent, Workspace
from devtools.cast import ANA, JULES, MAYA, RAVI
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def payloads(sprout: Sprout) -> list[dict]:
    with sprout.services.sessions() as session:
        return [
            r.payload for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def feedback_texts(sprout: Sprout) -> list[str]:
    with sprout.services.sessions() as session:
        return list(session.scalars(select(Feedback.text).order_by(Feedback.id)))


def test_delivered_content_is_emptied_after_30_days_and_the_row_kept(sprout: Sprout):
    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")  # a welcome DM to Jules, sent
    now = sprout.now()
    with transaction(sprout.services.sessions) as session:
        later = outbox.note(sprout.team_id, ANA.user_id, "later", "s", "hi", now + timedelta(40))
        outbox.enqueue(session, later, now)

    assert retention.run(sprout.services, now + timedelta(days=29)).emptied == 0
    done = retention.run(sprout.services, now + timedelta(days=31))

    assert done.emptied == 1
    assert [bool(p) for p in payloads(sprout)] == [False, True]  # the pending one keeps its words
    assert retention.run(sprout.services, now + timedelta(days=32)).emptied == 0


def test_old_event_ids_are_pruned(sprout: Sprout, slack: LocalSlack):
    user = slack.update_user(ANA.user_id, tz="Asia/Tokyo")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    assert retention.run(sprout.services, sprout.now() + timedelta(days=6)).events == 0
    assert retention.run(sprout.services, sprout.now() + timedelta(days=8)).events == 1
    with sprout.services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def deactivate(sprout: Sprout, slack: LocalSlack, person, deleted: bool = True) -> None:
    user = slack.update_user(person.user_id, deleted=deleted)
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})


def test_a_deactivated_person_is_erased_after_the_grace_period(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise steady hands on call")
    deactivate(sprout, slack, RAVI)
    now = sprout.now()

    assert retention.run(sprout.services, now).scheduled == 1
    assert retention.run(sprout.services, now + timedelta(days=29)).people == 0
    assert feedback_texts(sprout) == ["steady hands on call"]
    assert retention.run(sprout.services, now + timedelta(days=30)).people == 1
    assert feedback_texts(sprout) == [""]


def test_someone_reactivated_in_time_keeps_everything(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise steady hands on call")
    deactivate(sprout, slack, RAVI)
    retention.run(sprout.services, sprout.now())
    deactivate(sprout, slack, RAVI, deleted=False)

    assert retention.run(sprout.services, sprout.now() + timedelta(days=31)).people == 0
    assert feedback_texts(sprout) == ["steady hands on call"]
    with sprout.services.sessions() as session:
        assert session.scalars(select(PendingErasure)).all() == []


def test_the_workspace_setting_sets_the_grace_period(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise steady hands on call")
    with transaction(sprout.services.sessions) as session:
        session.get(Workspace, sprout.team_id).settings = {"erase_deleted_after_days": 7}
    deactivate(sprout, slack, RAVI)
    retention.run(sprout.services, sprout.now())

    assert retention.run(sprout.services, sprout.now() + timedelta(days=7)).people == 1


def test_an_uninstalled_workspace_is_erased_after_30_days_unless_it_comes_back(sprout: Sprout):
    sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise steady hands on call")
    sprout.event({"type": "app_uninstalled"})
    now = sprout.now()

    assert retention.run(sprout.services, now + timedelta(days=29)).workspaces == 0
    sprout.command(MAYA.user_id, "/coach")  # back: Slack sends requests again
    assert retention.run(sprout.services, now + timedelta(days=31)).workspaces == 0
    assert feedback_texts(sprout) == ["steady hands on call"]

    sprout.services.active_teams.clear()
    sprout.event({"type": "app_uninstalled"})
    assert retention.run(sprout.services, now + timedelta(days=31)).workspaces == 1
    assert feedback_texts(sprout) == []


def test_metrics_say_when_the_scheduler_last_passed_and_count_cancelled(sprout: Sprout):
    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")
    last_pass = sprout.now() + timedelta(minutes=1)
    retention.record_pass(sprout.services, sprout.now())
    retention.record_pass(sprout.services, last_pass)
    sprout.event({"type": "app_uninstalled"})

    with urllib.request.urlopen(f"{sprout.base}/metrics", timeout=5) as response:
        text = response.read().decode()

    stamp = last_pass.timestamp()
    values = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert values[("sprout_scheduler_last_pass_timestamp_seconds", ())] == stamp
    assert values[("sprout_outbox_messages", (("status", "cancelled"),))] == 0
