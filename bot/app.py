"""The Bolt app factory. Nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot import prompts
from bot.config import Settings
from bot.db import insert_ignoring_duplicates, transaction
from bot.models import ProcessedEvent, Workspace
from bot.services import Services, build_services

log = logging.getLogger("sprout")

SERVICES_KEY = "sprout"


def services_of(context: Any) -> Services:
    """The Services a handler works with (put into every request's context)."""
    return context[SERVICES_KEY]


def know_actor(services: Services, team_id: str, user_id: str) -> None:
    """Make sure whoever acts is in the directory (their time zone matters), after the ack.

    Not a middleware: it may call users.info, and a handler opening a modal must do that
    first, before its trigger_id expires.
    """
    from bot import directory

    directory.lookup_many(
        services.sessions, services.client_for(team_id), team_id, [user_id], services.now()
    )


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
        "listener_executor": listener_executor,
    }
    if settings.oauth and services.installation_store is not None:
        from slack_bolt.oauth.oauth_settings import OAuthSettings

        from bot import installs

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
    app.use(_inject(services))
    if settings.command_prefix:  # SPROUT_COMMAND_PREFIX: /sprout-feedback means /feedback
        from bot.manifest import unprefix

        app.use(unprefix(settings.command_prefix))
    app.use(_drop_event_retries(services))
    app.error(_on_error)

    from handlers import register_all

    register_all(app)
    return app


LEAVING = ("app_uninstalled", "tokens_revoked")


def _inject(services: Services) -> Callable[..., Any]:
    def inject_services(context: Any, body: dict[str, Any], next: Callable[[], Any]) -> Any:
        context[SERVICES_KEY] = services
        team_id = context.get("team_id")
        leaving = (body.get("event") or {}).get("type") in LEAVING
        if team_id and team_id not in services.active_teams and not leaving:
            _ensure_workspace(services, team_id, context.get("enterprise_id"))
            services.active_teams.add(team_id)
        return next()

    return inject_services


def _ensure_workspace(services: Services, team_id: str, enterprise_id: str | None) -> None:
    """The workspace exists and is live: Slack sending us a request means the app is in it.

    Insert-or-ignore, so a new workspace's first requests arriving together don't race.
    """
    with transaction(services.sessions) as session:
        insert_ignoring_duplicates(
            session,
            Workspace,
            {
                "team_id": team_id,
                "enterprise_id": enterprise_id,
                "name": "",
                "settings": {},
                "created_at": services.now(),
            },
            ["team_id"],
            Workspace.team_id,
        )
        session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_not(None))
            .values(uninstalled_at=None)
        )


def _drop_event_retries(services: Services) -> Callable[..., Any]:
    """Slack re-sends an event it thinks we missed; handle each event_id once.

    The id is recorded before the work, so a crash mid-handler loses that event
    rather than repeating it: events here refresh caches, which heal on their own.
    """

    def once_per_event(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        try:
            with transaction(services.sessions) as session:
                session.add(
                    ProcessedEvent(
                        event_id=event_id,
                        team_id=body.get("team_id", ""),
                        received_at=services.now(),
                    )
                )
        except IntegrityError:
            log.info("dropping repeated event %s", event_id)
            return BoltResponse(status=200, body="", headers={"X-Slack-No-Retry": "1"})
        return next()

    return once_per_event


def _on_error(error: Exception, body: dict[str, Any], request: BoltRequest, respond: Any) -> None:
    """The one place unexpected errors land: log with traceback, tell the user briefly."""
    log.error("unhandled error: %s", error, exc_info=error)
    if isinstance(body, dict) and body.get("response_url"):
        respond(text=prompts.render("common.error"), response_type="ephemeral")
