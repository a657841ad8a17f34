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
