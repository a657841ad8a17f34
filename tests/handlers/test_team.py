"""`/team` through signed requests against the local Slack."""

from __future__ import annotations

from devtools.cast import ANA, DEPLOYBOT, GONE, JULES, MAYA, OMAR, TOM
from devtools.harness import Sprout, buttons
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def test_adding_reports_links_them_and_sends_each_a_welcome_dm(sprout: Sprout, slack: LocalSlack):
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(JULES)} <@{ANA.user_id}>")

    assert reply.status == 200
    assert f"<@{JULES.user_id}>" in reply.text and f"<@{ANA.user_id}>" in reply.text
    for person in (JULES, ANA):
        [dm] = slack.dms_to(person.user_id)
        assert f"<@{MAYA.user_id}> added you to their team" in dm.text
        [(_, button)] = buttons(dm.blocks)
        assert (
            button["text"]["text"] == "That's not right" and button["action_id"] == "team_not_right"
        )
        assert not dm.missing_text_fallback

    listing = sprout.command(MAYA.user_id, "/team")
    assert "*Your team* (2)" in listing.text
    assert f"<@{JULES.user_id}>" in listing.text and "Europe/Paris" in listing.text


def test_one_person_added_reads_in_the_singular(sprout: Sprout):
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")
    assert f"<@{JULES.user_id}> now reports to you." in reply.text


def test_mixed_input_adds_the_valid_people_and_explains_the_rest(sprout: Sprout, slack: LocalSlack):
    reply = sprout.command(
        MAYA.user_id,
        "/team",
        f"add {m(JULES)} {m(DEPLOYBOT)} {m(GONE)} <@UNKNOWN99> {m(MAYA)} {m(ANA)}",
    )

    text = reply.text
    assert "is a bot" in text
    assert "deactivated" in text
    assert "couldn't find <@UNKNOWN99>" in text
    assert "can't be your own report" in text
    assert len(slack.dms_to(JULES.user_id)) == 1 and len(slack.dms_to(ANA.user_id)) == 1
    assert slack.dms_to(DEPLOYBOT.user_id) == [] and slack.dms_to(GONE.user_id) == []


def test_someone_who_already_has_a_manager_is_left_alone(sprout: Sprout, slack: LocalSlack):
    sprout.command(OMAR.user_id, "/team", f"add {m(TOM)}")
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(TOM)}")

    assert f"already reports to <@{OMAR.user_id}>" in reply.text
    assert "Nobody was added" in reply.text
    assert len(slack.dms_to(TOM.user_id)) == 1
    assert "Nobody reports to you" in sprout.command(MAYA.user_id, "/team").text


def test_adding_your_own_manager_is_refused_as_a_cycle(sprout: Sprout):
    sprout.command(MAYA.user_id, "/team", f"add {m(OMAR)}")
    sprout.command(OMAR.user_id, "/team", f"add {m(JULES)}")

    reply = sprout.command(JULES.user_id, "/team", f"add {m(MAYA)}")

    assert "above you in the reporting line" in reply.text


def test_adding_an_existing_report_again_says_so(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    assert "already on your team" in reply.text
    assert len(slack.dms_to(JULES.user_id)) == 1


def test_text_without_a_mention_gets_usage_help(sprout: Sprout):
    assert "Tell me who" in sprout.command(MAYA.user_id, "/team", "add").text
    assert "@ autocomplete" in sprout.command(MAYA.user_id, "/team", "add @ravi").text
    assert "`/team add @name" in sprout.command(MAYA.user_id, "/team", "help").text
    assert "`/team add @name" in sprout.command(MAYA.user_id, "/team", "frobnicate").text
    assert "group, not a person" in sprout.command(MAYA.user_id, "/team", "add <!here>").text


def test_that_is_not_right_removes_the_link_and_tells_the_manager(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")
    [welcome] = slack.dms_to(JULES.user_id)

    sprout.click(JULES.user_id, welcome, "team_not_right")

    [updated] = slack.dms_to(JULES.user_id)
    assert "taken you off" in updated.text and updated.updates == 1
    [note] = slack.dms_to(MAYA.user_id)
    assert f"<@{JULES.user_id}> says they don't report to you" in note.text
    assert "Nobody reports to you" in sprout.command(MAYA.user_id, "/team").text

    sprout.click(JULES.user_id, welcome, "team_not_right")  # a second press changes nothing
    assert len(slack.dms_to(MAYA.user_id)) == 1
    assert "nothing to undo" in slack.dms_to(JULES.user_id)[0].text


def test_removing_a_report_tells_them_and_refuses_people_not_on_your_team(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    assert (
        "no longer on your team" in sprout.command(MAYA.user_id, "/team", f"remove {m(JULES)}").text
    )
    assert "isn't on your team" in sprout.command(MAYA.user_id, "/team", f"remove {m(ANA)}").text
    assert "took you off their team" in slack.dms_to(JULES.user_id)[-1].text


def test_a_request_with_a_bad_signature_gets_401(sprout: Sprout):
    from devtools import slack_requests as sr

    body = sr.command_body(
        command="/team",
        text="",
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        channel_id="C1",
        response_url=sprout.slack.new_response_url(),
        trigger_id="t",
    )
    bad = sr.post(sprout.url, body, content_type="application/x-www-form-urlencoded", secret="nope")
    stale = sr.post(
        sprout.url,
        body,
        content_type="application/x-www-form-urlencoded",
        secret="sprout-local-signing-secret",
        timestamp=1_000_000_000,
    )
    assert bad.status == 401 and stale.status == 401


def test_adding_a_report_records_an_event_for_the_baseline_nudge(sprout: Sprout):
    from bot.models import CoachingEvent

    sprout.command(MAYA.user_id, "/team", f"add {m(JULES)} {m(DEPLOYBOT)}")

    with sprout.services.sessions() as session:
        [event] = session.query(CoachingEvent).all()
    assert (event.kind, event.user_id, event.actor_id) == (
        "report_added",
        JULES.user_id,
        MAYA.user_id,
    )


def test_a_group_mention_is_named_in_the_reply_without_pinging_anyone(sprout: Sprout):
    reply = sprout.command(MAYA.user_id, "/team", "add <!channel> <!subteam^S123|@devs>")

    assert "<!channel>" not in reply.text and "<!subteam" not in reply.text
    assert "@channel is a group" in reply.text
