"""Tokens, several workspaces and the OAuth install flow: auth.test and oauth.v2.access.

Why it exists: in multi-workspace mode the app installs itself into workspaces through OAuth
and then calls with one bot token per workspace. LocalSlack hosts those workspaces, hands out
codes and tokens, and answers each token as the workspace it belongs to.
"""

from __future__ import annotations

from typing import Any

from devtools.local_slack.validation import ApiError, require
from devtools.local_slack.workspace import Workspace, slug


class OAuth(Workspace):
    """The workspaces hosted here, their bot tokens, and the codes that install the app."""

    def __init__(self, **workspace: Any) -> None:
        super().__init__(**workspace)
        # Workspaces this Slack hosts: the first one, plus any added for OAuth installs.
        self._teams: dict[str, dict[str, str]] = {
            self.team_id: {"name": self.team_name, "bot_user_id": self.bot_user_id}
        }
        self._token_teams: dict[str, str] = {self.bot_token: self.team_id}
        self._oauth_codes: dict[str, tuple[str, str]] = {}
        self._current_team = self.team_id  # whose token the request being answered uses

    def add_workspace(self, team_id: str, name: str, bot_user_id: str) -> None:
        """Host another workspace (for OAuth installs); its people are added with add_user."""
        with self._lock:
            self._teams[team_id] = {"name": name, "bot_user_id": bot_user_id}
        self.add_user(bot_user_id, "sprout", real_name="Sprout", is_bot=True)

    def grant_oauth_code(self, team_id: str, installer: str) -> str:
        """What Slack hands the app's redirect URL after someone approves an install."""
        with self._lock:
            code = f"code-{team_id}-{self._next()}"
            self._oauth_codes[code] = (team_id, installer)
            return code

    def revoke_tokens(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        with self._lock:
            for token in [t for t, team in self._token_teams.items() if team == team_id]:
                del self._token_teams[token]

    def _team_of(self, token: str | None) -> str | None:
        """The workspace a token belongs to, or None for no token or an unknown one."""
        return self._token_teams.get(token or "")

    def _authenticate(self, token: str | None) -> None:
        if not token:
            raise ApiError("not_authed")
        if token not in self._token_teams:
            raise ApiError("invalid_auth")

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        team_id = self._current_team
        team = self._teams[team_id]
        bot_user_id = team["bot_user_id"]
        return {
            "url": f"https://{slug(team['name'])}.slack.com/",
            "team": team["name"],
            "user": self._users[bot_user_id]["name"],
            "team_id": team_id,
            "user_id": bot_user_id,
            "bot_id": "B" + bot_user_id[1:],
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "code")
        grant = self._oauth_codes.pop(str(args["code"]), None)
        if grant is None:
            raise ApiError("invalid_code")
        team_id, installer = grant
        team = self._teams[team_id]
        token = f"xoxb-{team_id.lower()}-{self._next()}"
        self._token_teams[token] = team_id
        return {
            "app_id": self.app_id,
            "authed_user": {"id": installer},
            "scope": "commands,chat:write,im:write,users:read",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": team["bot_user_id"],
            "team": {"id": team_id, "name": team["name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }
