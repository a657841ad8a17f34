"""Structured log lines for production log pipelines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with any `extra=` fields kept as keys."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                data[key] = value
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def make_handler(log_format: str) -> logging.Handler:
    """A stderr handler writing text lines, or JSON objects when `log_format` is "json"."""
    handler = logging.StreamHandler()
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(Tidy())
    return handler


# Loggers whose INFO lines are routine: Alembic's "Context impl ... / Will assume ..." on
# every start, APScheduler's "Running job ... executed successfully" every minute.
CHATTY = ("alembic", "apscheduler")


class Tidy(logging.Filter):
    """A handler filter: routine library INFO lines become DEBUG (shown only at
    LOG_LEVEL=DEBUG), and Bolt's warning that SLACK_BOT_TOKEN "will be unused" goes:
    we hand Bolt a client built from that same token (to aim it at SLACK_API_URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name.startswith(CHATTY):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return not (
            record.name.startswith("slack_bolt") and "`token` will be unused" in record.getMessage()
        )
