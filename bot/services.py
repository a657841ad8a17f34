"""What handlers and the scheduler share: storage, Slack clients, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, require_aware, utcnow
from bot.config import Settings
from bot.db import make_engine, make_sessionmaker, upgrade
from bot.delivery import Deliverer, SentHook

SLACK_TIMEOUT = 10  # seconds; the SDK's 30 s default is far past any ack budget


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient aimed at SLACK_API_URL (Slack itself, or a local Slack in tests/demo)."""
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    clock: Clock = utcnow
    sleep: Callable[[float], None] | None = None
    deliverer: Deliverer = field(init=False)

    def __post_init__(self) -> None:
        kwargs = {"sleep": self.sleep} if self.sleep is not None else {}
        self.deliverer = Deliverer(self.sessions, self.client_for, on_sent=sent_hooks(), **kwargs)

    def now(self) -> datetime:
        return require_aware(self.clock())

    def client_for(self, team_id: str) -> WebClient:
        """The bot client for a workspace (one workspace in token mode)."""
        return self.client


def sent_hooks() -> dict[str, SentHook]:
    """What to record in the domain when an outbox message of each kind goes out."""
    from bot import feedback

    return {feedback.DM_KIND: feedback.mark_delivered}


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
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        client=client or make_client(settings),
        clock=clock,
        sleep=sleep,
    )
