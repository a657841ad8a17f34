"""gunicorn's settings for Sprout. gunicorn reads this file from the working directory, so
the Procfile's `web:` line (and the Dockerfile's CMD) pick it up without a flag.

- HTTP metrics add up across workers (prometheus_client's multiprocess mode);
- LOG_FORMAT=json makes gunicorn's own lines JSON too;
- SQLite under several workers gets a warning; METRICS_PORT serves /metrics apart.
"""

from bot import serving

serving.prepare_metrics_dir()  # first: before anything imports prometheus_client
logconfig_dict = serving.gunicorn_logging()


def on_starting(server):  # type: ignore[no-untyped-def]
    serving.warn_about_sqlite(server.log.warning, server.cfg.workers)


def when_ready(server):  # type: ignore[no-untyped-def]
    serving.serve_metrics_port(server.log.info)


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    serving.worker_gone(worker.pid)
