"""Response URLs: what happens when the app posts to the URL that came with a slash command or a
click.

Why it exists: a response URL works five times, refuses invalid blocks with HTTP 400, and can
replace or delete the message it was issued for; tests read each post back as a ``Response``.
The HTTP side (which URL, what status) is routed in ``server``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from devtools.local_slack.chat import edited
from devtools.local_slack.faults import RESPONSE_URL, Faults
from devtools.local_slack.recorder import Recorder
from devtools.local_slack.records import Response, truthy
from devtools.local_slack.validation import ApiError, blocks_arg, check_content

MAX_USES = 5


@dataclass
class ResponseUrl:
    """An issued response URL: how often it was used, and the message it may edit."""

    uses: int = 0
    channel: str | None = None
    message_ts: str | None = None


class ResponseUrls(Faults, Recorder):
    """The issued response URLs and what posting to one does."""

    def __init__(self, **workspace: Any) -> None:
        super().__init__(**workspace)
        self._response_urls: dict[str, ResponseUrl] = {}

    def _issue_response_url(self, url: str, channel: str | None, message_ts: str | None) -> None:
        self._response_urls[url] = ResponseUrl(channel=channel, message_ts=message_ts)

    def _post_to_response_url(self, url: str, parsed: Any) -> None:
        """Records a post of the JSON value ``parsed`` to ``url`` (issued, as the caller
        checked) and applies it; raises ApiError, with its HTTP status, when refused."""
        record = self._response_urls[url]
        data: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
        try:
            if not isinstance(parsed, dict):
                raise ApiError("invalid_payload", status=400)
            self._raise_next_fault(RESPONSE_URL)
            if record.uses >= MAX_USES:
                raise ApiError("used_url", status=404)
            missing_fallback = False
            if not truthy(data.get("delete_original")):
                blocks = blocks_arg(data)
                try:
                    missing_fallback = check_content(data, blocks)
                except ApiError as exc:
                    exc.status = 400
                    raise
        except ApiError as exc:
            if exc.status == 429:
                self._rate_limited += 1
            self._rejected_responses.append(
                Response(url, copy.deepcopy(data), status=exc.status, error=exc.error)
            )
            raise
        record.uses += 1
        self._responses.append(Response(url, copy.deepcopy(data), missing_fallback))
        self._apply_to_original(record, data)

    def answer_in_ack(self, url: str, body: bytes) -> bool:
        """An app's HTTP answer (its ack) to the request that came with response URL `url`:
        a message in it is what Slack shows, as if posted to `url` (the URL is not used up).
        Recorded like a post, and refused the same way when invalid; False when the body
        holds no message (an empty ack, a view_submission's response_action)."""
        try:
            parsed = json.loads(body) if body[:1] == b"{" else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            parsed = None
        if not isinstance(parsed, dict) or "response_action" in parsed:
            return False
        if "text" not in parsed and "blocks" not in parsed:
            return False
        with self._lock:
            try:
                blocks = blocks_arg(parsed)
                missing_fallback = check_content(parsed, blocks)
            except ApiError as exc:
                self._rejected_responses.append(
                    Response(url, copy.deepcopy(parsed), status=400, error=exc.error)
                )
                return True
            self._responses.append(Response(url, copy.deepcopy(parsed), missing_fallback))
        return True

    def _apply_to_original(self, record: ResponseUrl, data: dict[str, Any]) -> None:
        """replace_original / delete_original act on the message the URL was issued for."""
        if record.channel is None or record.message_ts is None:
            return
        channel = self._dm_for_user_id(record.channel) or record.channel
        key = (channel, record.message_ts)
        old = self._store.get(key)
        if old is None:
            return
        if truthy(data.get("delete_original")):
            del self._store[key]
        elif truthy(data.get("replace_original")):
            self._store[key] = edited(
                old,
                text=str(data.get("text") or ""),
                blocks=data.get("blocks") or [],
                missing_text_fallback=not str(data.get("text") or "").strip(),
            )
