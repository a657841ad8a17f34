"""Multi-workspace installs ("Add to Slack"): slack-sdk's SQLAlchemy stores, on our database.

The tables are created by our migrations (0008), from slack-sdk's own table definitions.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

# As in manifest.yml. im:history: before re-sending a message whose first attempt may have
# been posted, Sprout looks for it among its own messages in that DM (bot.delivery).
# mpim:write: one-on-one agendas go to the group DM of a manager, their report and Sprout.
SCOPES = ["commands", "chat:write", "im:history", "mpim:write", "users:read"]
STATE_TTL_SECONDS = 600
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class InstallationStore(SQLAlchemyInstallationStore):
    """slack-sdk's store, telling Sprout when a workspace (re)installs."""

    def __init__(
        self, client_id: str, engine: Engine, on_install: Callable[[Installation], None]
    ) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.on_install = on_install

    def save(self, installation: Installation) -> None:
        super().save(installation)
        self.on_install(installation)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_TTL_SECONDS, engine=engine)
