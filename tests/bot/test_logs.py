from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter


def test_json_logs_are_one_object_per_line_with_extra_fields():
    record = logging.makeLogRecord(
        {"name": "sprout", "levelname": "INFO", "msg": "pass at %s", "args": ("now",), "sent": 3}
    )
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "pass at now" and data["sent"] == 3 and data["level"] == "INFO"


def test_start_up_is_quiet_library_chatter_is_debug_and_bolts_token_warning_is_gone():
    from bot.logs import Tidy

    tidy = Tidy()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    try:
        migration = logging.makeLogRecord(
            {"name": "alembic.runtime.migration", "levelno": logging.INFO, "msg": "Context impl"}
        )
        job = logging.makeLogRecord(
            {"name": "apscheduler.executors.default", "levelno": logging.INFO, "msg": "Running"}
        )
        unused = logging.makeLogRecord(
            {
                "name": "slack_bolt.App",
                "levelno": logging.WARNING,
                "msg": "As you gave `client` as well, `token` will be unused.",
            }
        )
        ours = logging.makeLogRecord({"name": "sprout", "levelno": logging.INFO, "msg": "hi"})
        assert [tidy.filter(r) for r in (migration, job, unused, ours)] == [
            False,
            False,
            False,
            True,
        ]
        root.setLevel(logging.DEBUG)
        assert tidy.filter(migration) and migration.levelname == "DEBUG"
    finally:
        root.setLevel(level)
