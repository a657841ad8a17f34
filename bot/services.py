"""What handlers and the scheduler share: storage, Slack clients, the clock."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, require_aware, utcnow
from bot.config import Settings
from bot.db import make_engine, make_sessionmaker, upgrade
from bot.delivery import Deliverer, SentHook
from bot.directory import MemberCache
from bot.feedback import rules as feedback_rules
from bot.feedback import store as feedback_store
from bot.manifest import naming
from bot.models import Workspace
from bot.responses import ConnectionPool

if TYPE_CHECKING:
    from bot.installs import InstallationStore

SLACK_TIMEOUT = 10  # seconds; the SDK's 30 s default is far past any ack budget


class NotInstalled(LookupError):
    """No bot token for this workspace: it never installed Sprout, or uninstalled it."""


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient aimed at SLACK_API_URL (Slack itself, or a local Slack in tests/demo),
    whose messages and views name the commands as people type them (`bot.manifest.naming`).

    A dropped connection is tried once more by the client itself: right for reads and for
    answers to a person, never for the outbox's posts (`sending_once`).
    """
    client = WebClient(
        token=token or settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )
    return naming(client, settings.command_prefix)


def sending_once(client: WebClient, *, timeout: float | None = None) -> WebClient:
    """The same client, but one that never sends a request again by itself (and, with
    `timeout`, waits only that long for an answer).

    slack-sdk's connection-error retry posts again when Slack dropped the connection
    without answering, though Slack may have posted already. The Deliverer must see that
    outcome as unknown, so that it looks in the DM's history before sending again.
    A copy, so it is the same kind of client (one naming the commands, `make_client`).
    """
    once = copy.copy(client)
    once.headers = dict(client.headers)
    once.retry_handlers = []
    if timeout is not None:
        once.timeout = timeout  # type: ignore[assignment]  # slack-sdk's hint says int
    return once


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    clock: Clock = utcnow
    sleep: Callable[[float], None] | None = None
    installation_store: InstallationStore | None = None
    deliverer: Deliverer = field(init=False)
    _clients: dict[str, WebClient] = field(default_factory=dict, init=False, repr=False)
    _senders: dict[str, WebClient] = field(default_factory=dict, init=False, repr=False)
    # Workspaces seen live by this process (the request middleware's cache).
    active_teams: set[str] = field(default_factory=set, init=False, repr=False)
    # The members this process read lately (`bot.directory.MemberCache`).
    directory: MemberCache = field(default_factory=MemberCache, init=False, repr=False)
    # Kept-alive connections for replies to response URLs (`bot.responses`).
    responses: ConnectionPool = field(default_factory=ConnectionPool, init=False, repr=False)
    _clients_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        kwargs = {"sleep": self.sleep} if self.sleep is not None else {}
        self.deliverer = Deliverer(
            self.sessions, self.sender_for, clock=self.clock, on_sent=sent_hooks(), **kwargs
        )

    def read_clock(self) -> datetime:
        """The current instant. Only the edges call this, once per operation: the request
        middleware and each scheduler pass; everything below takes `now` from them."""
        return require_aware(self.clock())

    def client_for(self, team_id: str) -> WebClient:
        """The bot client for a workspace: the one token, or that workspace's installation."""
        if self.installation_store is None:
            return self.client
        with self._clients_lock:
            cached = self._clients.get(team_id)
        if cached is not None:
            return cached
        with self.sessions() as session:
            workspace = session.get(Workspace, team_id)
            enterprise_id = workspace.enterprise_id if workspace is not None else None
        bot = self.installation_store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        client = make_client(self.settings, bot.bot_token)
        with self._clients_lock:
            self._clients[team_id] = client
        return client

    def sender_for(self, team_id: str) -> WebClient:
        """The Deliverer's client for a workspace: `client_for`'s, `sending_once`."""
        client = self.client_for(team_id)
        with self._clients_lock:
            sender = self._senders.get(team_id)
            if sender is None or sender.token != client.token:
                sender = self._senders[team_id] = sending_once(client)
        return sender

    def forget_team(self, team_id: str) -> None:
        """Drop what this process remembers of a workspace (its token was revoked)."""
        with self._clients_lock:
            self._clients.pop(team_id, None)
            self._senders.pop(team_id, None)
        self.active_teams.discard(team_id)


def sent_hooks() -> dict[str, SentHook]:
    """What to record in the domain when an outbox message of each kind goes out."""
    return {feedback_rules.DM_KIND: feedback_store.mark_delivered}


def build_services(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    client: WebClient | None = None,
    migrate: bool = True,
    sleep: Callable[[float], None] | None = None,
) -> Services:
    """Connect to the database (migrating a fresh one) and Slack."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    sessions = make_sessionmaker(engine)
    store = None
    if settings.oauth:
        from bot import workspaces
        from bot.installs import InstallationStore

        def on_install(installation: Installation) -> None:
            workspaces.installed(
                sessions, installation, require_aware(clock()), settings.team_consent
            )

        store = InstallationStore(settings.slack_client_id, engine, on_install)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        client=client or make_client(settings),
        clock=clock,
        sleep=sleep,
        installation_store=store,
    )
