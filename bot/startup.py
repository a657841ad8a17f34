"""Starting up in any weather: what Slack and the database say, told in one line each.

A foreground verb (`run`, `socket`, `scheduler`, `serve`) checks Slack and the database
before it starts, and ends with one "can't start: ..." line when either does not answer.
The web process under gunicorn must boot regardless (a load balancer is waiting for
`/healthz`), so it checks Slack in the background instead and keeps retrying.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from bot.config import Settings, database_label

log = logging.getLogger("sprout")

RETRY_SECONDS = (5, 10, 30, 60)  # then every minute


# slack-sdk logs every failed try at ERROR; the checks here say it once, in their own words.
_QUIET = logging.getLogger("sprout.slack_check")
_QUIET.propagate = False
_QUIET.addHandler(logging.NullHandler())


def quiet(client: WebClient) -> WebClient:
    """The same client (token, URL, timeout) that logs nothing and does not retry by itself."""
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, logger=_QUIET
    )


class CantStart(Exception):
    """Something outside Sprout is not ready; the message says what, in one line."""


@dataclass(frozen=True)
class Identity:
    """Who Sprout is in Slack, from auth.test (token mode)."""

    user: str
    team: str
    team_id: str

    def describe(self) -> str:
        return f"@{self.user} to {self.team} ({self.team_id})"


def slack_problem(error: SlackClientError | OSError, api_url: str) -> str:
    """A Slack failure in words an operator can act on."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error", "unknown error")
        if code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
            return (
                f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token"
                " from your app's OAuth & Permissions page"
            )
        return f"Slack answered {code}"
    return f"Slack can't be reached at {api_url} ({error})"


def check_slack(client: WebClient, settings: Settings) -> Identity | None:
    """auth.test with the bot token; in OAuth mode (no single token) only that Slack answers.

    Raises CantStart with the reason.
    """
    client = quiet(client)
    try:
        if settings.oauth and not settings.slack_bot_token:
            client.api_call("api.test")
            return None
        answer = client.auth_test()
    except SlackApiError as error:
        if settings.oauth and not settings.slack_bot_token:
            return None  # Slack answered: it is reachable, which is all we asked
        raise CantStart(slack_problem(error, settings.slack_api_url)) from error
    except (SlackClientError, OSError) as error:
        raise CantStart(slack_problem(error, settings.slack_api_url)) from error
    return Identity(
        user=str(answer.get("user") or "sprout"),
        team=str(answer.get("team") or ""),
        team_id=str(answer.get("team_id") or ""),
    )


def open_socket_url(client: WebClient, settings: Settings) -> str:
    """apps.connections.open with the app token: a bad `xapp-` token fails here, in one line."""
    client = quiet(client)
    try:
        return str(client.apps_connections_open(app_token=settings.slack_app_token)["url"])
    except SlackApiError as error:
        code = error.response.get("error", "unknown error")
        raise CantStart(
            f"Slack refused SLACK_APP_TOKEN ({code}): create an app-level token with"
            " connections:write under Basic Information"
        ) from error
    except (SlackClientError, OSError) as error:
        raise CantStart(slack_problem(error, settings.slack_api_url)) from error


def database_problem(error: DBAPIError, url: str) -> str:
    said = str(error.orig or error).strip().splitlines()
    reason = f" ({said[0]})" if said else ""
    return f"the database {database_label(url)} does not answer{reason}"


def sqlite_warning(url: str, role: str, workers: int = 1) -> str:
    """Where SQLite can't share state: several gunicorn workers, or a separate scheduler."""
    if not url.startswith("sqlite"):
        return ""
    if role == "scheduler":
        return (
            "SQLite with a separate scheduler process: the web process must open this very file,"
            " which hosting platforms don't allow across processes; each process needs"
            " PostgreSQL (DATABASE_URL) to share state"
        )
    if workers > 1:
        return (
            f"SQLite under {workers} gunicorn workers: each process needs PostgreSQL"
            " (DATABASE_URL) to share state safely; run one worker, or use PostgreSQL"
        )
    return ""


def workspaces_installed(engine: Engine) -> int:
    from bot.models import Workspace

    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(Workspace)
                .where(Workspace.uninstalled_at.is_(None))
            )
            or 0
        )


def ready_line(identity: Identity | None, settings: Settings, workspaces: int | None = None) -> str:
    """The one line a good start prints."""
    database = database_label(settings.database_url)
    if identity is None:
        count = "" if workspaces is None else f" ({workspaces} workspaces installed)"
        who = f"Sprout is connected to Slack{count}"
        hint = "add it to a workspace at /slack/install"
    else:
        who = f"Sprout is connected as {identity.describe()}"
        hint = "try /team add in Slack"
    return f"{who}, database {database}; {hint}"


class SlackWatch:
    """Knows whether Slack answers; for the web process, which must start without it.

    `start()` checks on a daemon thread, retrying with backoff until Slack answers; it
    logs one line when the first check fails and one when Slack answers, not one per try.
    """

    def __init__(
        self,
        client: WebClient,
        settings: Settings,
        *,
        wait: Callable[[float], Any] | None = None,
        retry_seconds: tuple[float, ...] = RETRY_SECONDS,
    ) -> None:
        self.client = client
        self.settings = settings
        self.identity: Identity | None = None
        self.connected = False
        self.problem = ""
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._retry = retry_seconds

    def check(self) -> bool:
        try:
            self.identity = check_slack(self.client, self.settings)
        except CantStart as reason:
            self.connected, self.problem = False, str(reason)
            return False
        self.connected, self.problem = True, ""
        return True

    def run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            if self.check():
                log.info("%s", ready_line(self.identity, self.settings), extra={"slack": True})
                return
            if attempt == 0:
                log.warning("%s; retrying in the background", self.problem, extra={"slack": False})
            delay = self._retry[min(attempt, len(self._retry) - 1)]
            attempt += 1
            self._wait(delay)

    def start(self) -> SlackWatch:
        threading.Thread(target=self.run, name="sprout-slack-check", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
