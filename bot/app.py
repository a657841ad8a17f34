"""The Bolt app factory. Nothing is built at import time."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from sqlalchemy import update

from bot import acks, installs, prompts, repeats, workspaces
from bot.config import Settings
from bot.db import transaction
from bot.manifest import command_prefix_stripper, naming
from bot.models import Workspace
from bot.payloads import WellFormed
from bot.responses import PooledRespond
from bot.services import Services, build_services
from handlers import register_all
from handlers.common import NOW_KEY, PENDING_KEY, SERVICES_KEY

log = logging.getLogger("sprout")


def create_app(
    settings: Settings,
    services: Services | None = None,
    *,
    listener_executor: Executor | None = None,
) -> App:
    """Build the Bolt app with every handler registered."""
    services = services or build_services(settings)
    common: dict[str, Any] = {
        "name": "sprout",
        "client": services.client,  # SLACK_API_URL; in token mode also the bot token
        "signing_secret": settings.slack_signing_secret or None,
        # Socket Mode has no signatures; HTTP mode refuses to start without a secret.
        "request_verification_enabled": bool(settings.slack_signing_secret),
        "process_before_response": False,
        # The web process starts without auth.test, even when Slack can't be reached.
        "token_verification_enabled": settings.verify_token_on_start,
        # Answers a request the moment its listener acks (`bot.acks`).
        "listener_executor": listener_executor or acks.AckWaiting(),
        # Right after the signature check: a payload without Slack's shape gets a 400.
        "before_authorize": WellFormed(),
    }
    if settings.oauth and services.installation_store is not None:
        app = App(
            **common,
            installation_store=services.installation_store,
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=installs.SCOPES,
                installation_store=services.installation_store,
                state_store=installs.state_store(services.engine),
                install_path=installs.INSTALL_PATH,
                redirect_uri_path=installs.REDIRECT_PATH,
                redirect_uri=settings.slack_redirect_uri or None,
            ),
        )
    else:
        app = App(**common)
    # One middleware, not four: Bolt builds each one's arguments on every request.
    app.use(PerRequest(services, settings.command_prefix))
    app.error(_on_error)
    register_all(app)
    return app


LEAVING = ("app_uninstalled", "tokens_revoked")


class PerRequest(Middleware):
    """What every request gets before its listener, in this order: its services and its
    one clock reading in Bolt's context, a payload without control characters, the
    command without `SPROUT_COMMAND_PREFIX`, the repeat check (`_first_time`), and the
    ways its listener answers (ack, respond, the Web API client), each naming the commands
    as people type them under that prefix (`bot.manifest.as_typed_in`).

    A `Middleware`, not a function: Bolt calls it as it is, where a function middleware
    has its arguments built by inspection on every request.
    """

    def __init__(self, services: Services, command_prefix: str) -> None:
        self.services = services
        self.command_prefix = command_prefix
        self.strip_prefix = command_prefix_stripper(command_prefix) if command_prefix else None

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        services, context, body = self.services, req.context, req.body
        now = services.read_clock()
        context[SERVICES_KEY] = services
        context[NOW_KEY] = now
        team_id = context.get("team_id")
        leaving = (body.get("event") or {}).get("type") in LEAVING
        if team_id and team_id not in services.active_teams and not leaving:
            _ensure_workspace(services, team_id, context.get("enterprise_id"), now)
            services.active_teams.add(team_id)
        _scrub(body)
        if self.strip_prefix is not None:
            self.strip_prefix(body)
        if not _first_time(services, context, body, req, now):
            return BoltResponse(status=200, body="", headers={"X-Slack-No-Retry": "1"})
        # Every way a message or view leaves for Slack names the commands as people type
        # them: the ack, replies to the response URL, and the Web API (chat.update, views.*).
        prefix = self.command_prefix
        context["ack"] = acks.SignallingAck(prefix)
        if context.get("response_url"):  # replies over a kept-alive connection
            url = context["response_url"]
            context["respond"] = PooledRespond(
                response_url=url, pool=services.responses, command_prefix=prefix
            )
        if prefix and context.get("client") is not None:
            context["client"] = naming(context["client"], prefix)
        return next()


def _ensure_workspace(
    services: Services, team_id: str, enterprise_id: str | None, now: datetime
) -> None:
    """The workspace exists and is live: Slack sending us a request means the app is in it.

    Insert-or-ignore, so a new workspace's first requests arriving together don't race.
    """
    with transaction(services.sessions) as session:
        workspaces.ensure(
            session,
            team_id,
            now,
            team_consent=services.settings.team_consent,
            enterprise_id=enterprise_id,
        )
        session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_not(None))
            .values(uninstalled_at=None)
        )


# C0 controls but tab and newlines, and DEL: nothing a person means to type. PostgreSQL
# refuses NUL in text outright; SQLite would store it. Dropped the same for both.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _scrub(item)
    elif isinstance(value, list):
        value[:] = [_scrub(item) for item in value]
    return value


def _first_time(
    services: Services, context: Any, body: dict[str, Any], request: BoltRequest, now: datetime
) -> bool:
    """Whether to act on this request: once per request, not on Slack's retries of an
    event, nor on replays of a signed request (`bot.repeats`).

    The key is recorded before the work, so a crash mid-handler loses that request rather
    than repeating it; a slash command's key is recorded with its work instead, in its use
    case's transaction (`repeats.Pending`, left in the context for `handlers.common`). A
    repeat gets the empty 200 the first one was acked with, and writes nothing.
    """
    key = _request_key(body, request)
    if key is None:
        return True
    team_id = context.get("team_id") or body.get("team_id") or ""
    if body.get("command"):
        context[PENDING_KEY] = repeats.Pending(key, team_id, now)
        return True
    if not repeats.first(services.engine, key, team_id, now):
        log.info("dropping a repeated request (%s)", key[:12])
        return False
    return True


def _request_key(body: dict[str, Any], request: BoltRequest) -> str | None:
    """What makes a request the same request again; None when nothing does (Socket Mode)."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return str(body["event_id"])[:64]
    signature = (request.headers.get("x-slack-signature") or [""])[0]
    if not signature:
        return None
    return "sig:" + hashlib.sha256(signature.encode()).hexdigest()[:56]


def _on_error(error: Exception, body: dict[str, Any], request: BoltRequest, respond: Any) -> None:
    """The one place unexpected errors land: log with traceback, tell the user briefly."""
    log.error("unhandled error: %s", error, exc_info=error)
    if isinstance(body, dict) and body.get("response_url"):
        respond(text=prompts.render("common.error"), response_type="ephemeral")
