from __future__ import annotations

import pytest

from bot.config import NEEDS_HTTP, NEEDS_RUN, ConfigError, load_settings


def test_defaults_need_nothing_but_give_sqlite_and_slack():
    settings = load_settings({})
    assert settings.database_url == "sqlite:///sprout.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000


def test_every_problem_is_reported_on_its_own_line():
    with pytest.raises(ConfigError) as caught:
        load_settings({"PORT": "eighty", "LOG_LEVEL": "chatty"}, require=NEEDS_HTTP)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("SLACK_BOT_TOKEN is not set") and "README" in problems[0]
    assert any("PORT" in p for p in problems) and any("LOG_LEVEL" in p for p in problems)


def test_run_accepts_either_an_app_token_or_a_signing_secret():
    base = {"SLACK_BOT_TOKEN": "xoxb-1"}
    assert load_settings({**base, "SLACK_APP_TOKEN": "xapp-1"}, require=NEEDS_RUN).socket_mode
    assert not load_settings({**base, "SLACK_SIGNING_SECRET": "s"}, require=NEEDS_RUN).socket_mode
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN or SLACK_SIGNING_SECRET"):
        load_settings(base, require=NEEDS_RUN)


def test_tokens_of_the_wrong_kind_are_caught_early():
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_APP_TOKEN": "xoxb-bot"})
    assert len(caught.value.problems) == 2


def test_the_api_url_gets_its_trailing_slash_and_must_be_http():
    assert load_settings({"SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url.endswith(
        "/api/"
    )
    with pytest.raises(ConfigError, match="SLACK_API_URL"):
        load_settings({"SLACK_API_URL": "ftp://x"})


def test_a_malformed_database_url_is_refused():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings({"DATABASE_URL": "not a url"})
