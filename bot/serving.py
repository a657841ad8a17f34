"""What gunicorn.conf.py does for the web process: metrics across workers, JSON logs,
warnings, and /metrics on METRICS_PORT from the master process."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Not imported from bot.metrics: prometheus_client must not be imported before this is
# set, or the process (and every worker forked from it) counts on its own.
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
Log = Callable[..., None]


def gunicorn_logging() -> dict[str, Any]:
    """gunicorn's logconfig_dict: its lines in JSON when LOG_FORMAT=json, else its own style."""
    json_lines = os.environ.get("LOG_FORMAT", "").strip().lower() == "json"
    formatter = (
        {"()": "bot.logs.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "sprout",
        "stream": "ext://sys.stderr",
    }
    logger = {"level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"sprout": formatter},
        "handlers": {"console": handler, "error_console": handler},
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {**logger, "handlers": ["error_console"]},
            "gunicorn.access": {**logger, "handlers": ["console"]},
        },
    }


def prepare_metrics_dir() -> str:
    """A fresh folder for the workers' metric files (prometheus_client multiprocess mode).

    Set before any worker starts, so every worker counts into it; an operator's own
    PROMETHEUS_MULTIPROC_DIR is emptied first, as the client's docs ask.
    """
    given = os.environ.get(MULTIPROCESS_ENV, "").strip()
    if given:
        path = Path(given)
        if path.exists():
            for child in path.glob("*.db"):
                child.unlink()
        path.mkdir(parents=True, exist_ok=True)
        return given
    made = tempfile.mkdtemp(prefix="sprout-metrics-")
    os.environ[MULTIPROCESS_ENV] = made
    return made


def worker_gone(pid: int) -> None:
    from prometheus_client import multiprocess

    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.mark_process_dead(pid)


def warn_about_sqlite(warn: Log, workers: int) -> None:
    from bot.config import ConfigError, load_dotenv_file, load_settings
    from bot.startup import sqlite_warning

    load_dotenv_file()
    try:
        settings = load_settings()
    except ConfigError:
        return  # each worker reports configuration problems, one per line
    warning = sqlite_warning(settings.database_url, "web", workers)
    if warning:
        warn(warning)


def serve_metrics_port(info: Log) -> None:
    """METRICS_PORT under gunicorn: the master serves /metrics for all workers."""
    from bot.config import ConfigError, load_settings
    from bot.services import build_services
    from bot.web import SproutWSGI, serve_in_thread

    try:
        settings = load_settings()
    except ConfigError:
        return
    if not settings.metrics_port:
        return
    services = build_services(settings, migrate=False)
    serve_in_thread(SproutWSGI(None, services, metrics_only=True), "0.0.0.0", settings.metrics_port)
    info(f"metrics on http://0.0.0.0:{settings.metrics_port}/metrics")
