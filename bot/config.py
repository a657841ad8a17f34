"""Typed settings read from the environment (and `.env`), validated once at start.

Every problem is reported on its own line so an operator fixes them all in one go,
instead of meeting them one traceback at a time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///sprout.db"
README_HINT = "see README.md, 'Connect a real workspace'"

# What each mode needs: the CLI asks for the names that matter to the verb it runs.
NEEDS_HTTP = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
NEEDS_SOCKET = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
NEEDS_BOT = ("SLACK_BOT_TOKEN",)
NEEDS_RUN = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN|SLACK_SIGNING_SECRET")

_DESCRIPTIONS = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-...) from your app's 'OAuth & Permissions' page",
    "SLACK_SIGNING_SECRET": "the signing secret from your app's 'Basic Information' page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write, for Socket Mode",
    "SLACK_APP_TOKEN|SLACK_SIGNING_SECRET": (
        "set SLACK_APP_TOKEN for Socket Mode (easiest for development)"
        " or SLACK_SIGNING_SECRET for HTTP mode"
    ),
}
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


# How reporting lines are made: the person confirms (ask), an admin's word is enough
# (admins_confirm), or the manager's word is (trust, for org charts managed elsewhere).
TEAM_CONSENT_MODES = ("ask", "admins_confirm", "trust")


class ConfigError(Exception):
    """Raised with every configuration problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Retention:
    """How long Sprout keeps what it no longer needs, in days (see docs/OPERATIONS.md)."""

    outbox_days: int = 30  # delivered messages' content; the row stays for idempotency
    events_days: int = 7  # Slack event ids seen (Slack retries within minutes)
    checkins_days: int = 400  # check-in rows (summaries look back weeks, not years)
    uninstalled_days: int = 30  # an uninstalled workspace's data, unless it reinstalls
    deleted_user_days: int = 30  # a deactivated person's data (workspace setting wins)


RETENTION_VARIABLES = {
    "RETAIN_OUTBOX_DAYS": "outbox_days",
    "RETAIN_EVENTS_DAYS": "events_days",
    "RETAIN_CHECKINS_DAYS": "checkins_days",
    "ERASE_UNINSTALLED_AFTER_DAYS": "uninstalled_days",
    "ERASE_DELETED_USERS_AFTER_DAYS": "deleted_user_days",
}


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_redirect_uri: str = ""
    # How a new workspace makes reporting lines (`team_consent`): ask | admins_confirm | trust.
    team_consent: str = "ask"
    metrics_token: str = ""
    metrics_port: int = 0  # 0: /metrics on $PORT (loopback only unless METRICS_TOKEN is set)
    command_prefix: str = ""
    retention: Retention = field(default_factory=Retention)
    # Bolt's auth.test when the app is built; the web process turns it off (bot.web.wsgi)
    verify_token_on_start: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        """Installable into many workspaces ("Add to Slack"); else one workspace's bot token."""
        return bool(self.slack_client_id and self.slack_client_secret)


def load_dotenv_file(path: str | os.PathLike[str] = ".env") -> None:
    """Load `.env` if present; real environment variables win over the file."""
    from dotenv import load_dotenv

    if Path(path).exists():
        load_dotenv(path, override=False)


def load_settings(
    environ: Mapping[str, str] | None = None, require: tuple[str, ...] = ()
) -> Settings:
    """Build Settings from `environ`, raising ConfigError listing every problem."""
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def get(name: str, default: str = "") -> str:
        return env.get(name, default).strip()

    oauth = bool(get("SLACK_CLIENT_ID") and get("SLACK_CLIENT_SECRET"))
    if bool(get("SLACK_CLIENT_ID")) != bool(get("SLACK_CLIENT_SECRET")):
        problems.append(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (OAuth installs):"
            " set both, or neither."
        )
    for name in require:
        if name == "SLACK_BOT_TOKEN" and oauth:
            continue  # with OAuth each workspace's token comes from its installation
        if not any(get(option) for option in name.split("|")):
            label = " or ".join(name.split("|"))
            problems.append(f"{label} is not set: {_DESCRIPTIONS[name]} ({README_HINT}).")

    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append(
            "SLACK_BOT_TOKEN should start with 'xoxb-' (the bot token, not a user token)."
        )
    app_token = get("SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN should start with 'xapp-' (an app-level token).")

    api_url = get("SLACK_API_URL", DEFAULT_SLACK_API_URL) or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        problems.append(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}.")
    elif not api_url.endswith("/"):
        api_url += "/"

    database_url = get("DATABASE_URL", DEFAULT_DATABASE_URL) or DEFAULT_DATABASE_URL
    try:
        database_url = normalize_database_url(database_url)
    except ArgumentError:
        problems.append(f"DATABASE_URL is not a database URL: {database_url!r}.")

    def port_of(name: str, default: str) -> int:
        text = get(name, default) or default
        if text.isdigit() and 0 <= int(text) < 65536 and (int(text) or name != "PORT"):
            return int(text)
        problems.append(f"{name} must be a number from 1 to 65535, got {text!r}.")
        return 0

    port = port_of("PORT", "3000")
    metrics_port = port_of("METRICS_PORT", "0")

    retention: dict[str, int] = {}
    for name, key in RETENTION_VARIABLES.items():
        text = get(name)
        if not text:
            continue
        if text.isdigit() and int(text) > 0:
            retention[key] = int(text)
        else:
            problems.append(f"{name} must be a whole number of days (1 or more), got {text!r}.")

    prefix = get("SPROUT_COMMAND_PREFIX").lstrip("/")
    if prefix and not all(c.isalnum() or c in "-_" for c in prefix):
        problems.append(
            f"SPROUT_COMMAND_PREFIX may hold letters, digits, '-' and '_', got {prefix!r}."
        )

    log_level = (get("LOG_LEVEL", "INFO") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {log_level!r}.")
    log_format = (get("LOG_FORMAT", "text") or "text").lower()
    if log_format not in ("text", "json"):
        problems.append(f"LOG_FORMAT must be 'text' or 'json', got {log_format!r}.")
    team_consent = get("TEAM_CONSENT", "ask").lower()
    if team_consent not in TEAM_CONSENT_MODES:
        problems.append(
            f"TEAM_CONSENT must be one of {', '.join(TEAM_CONSENT_MODES)}, got {team_consent!r}."
        )

    if problems:
        raise ConfigError(problems)
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=app_token,
        slack_api_url=api_url,
        database_url=database_url,
        port=port,
        log_level=log_level,
        log_format=log_format,
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_redirect_uri=get("SLACK_REDIRECT_URI"),
        team_consent=team_consent,
        metrics_token=get("METRICS_TOKEN"),
        metrics_port=metrics_port,
        command_prefix=prefix.lower(),
        retention=Retention(**retention),
    )


def normalize_database_url(url: str) -> str:
    """The URL SQLAlchemy needs for what platforms set: `postgres://` (Heroku, Render, ...)
    and a bare `postgresql://` both mean PostgreSQL through psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def database_label(url: str) -> str:
    """The database for a log line: backend, user, host and name, never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        where = database if database == ":memory:" else str(Path(database).resolve())
        return f"sqlite:///{where}"
    shown = URL.create(
        parsed.get_backend_name(),
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )
    return shown.render_as_string(hide_password=True)


def configure_logging(settings: Settings) -> None:
    """One logging setup for every verb; JSON lines when LOG_FORMAT=json."""
    from bot.logs import make_handler

    root = logging.getLogger()
    root.handlers[:] = [make_handler(settings.log_format)]
    root.setLevel(settings.log_level)
