"""Slack's checks on Web API arguments and Block Kit payloads, and the error they raise.

Why it exists: LocalSlack should refuse what Slack refuses (missing arguments, too many blocks,
a 76-character button label...), with Slack's error names and json-pointer messages, so a
payload that passes here passes on Slack. ``validate_blocks`` and ``validate_view`` are also
used on their own, as pure functions, by tests that build Block Kit without a server.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer of ``{"ok": false, "error": ...}``; raised inside method handlers."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        messages: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.messages = messages
        self.headers = headers or {}


def require(args: dict[str, Any], *names: str) -> None:
    missing = [name for name in names if args.get(name) in (None, "")]
    if missing:
        raise ApiError(
            "missing_argument",
            messages=[f"[ERROR] missing required field: {name}" for name in missing],
        )


def blocks_arg(args: dict[str, Any], key: str = "blocks") -> list[dict] | None:
    value = args.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ApiError("invalid_blocks_format", messages=[f"[ERROR] {key} must be an array"])
    return value


def check_content(args: dict[str, Any], blocks: list[dict] | None) -> bool:
    """Raises no_text / invalid_blocks; returns whether the text fallback is missing."""
    text = args.get("text")
    has_text = isinstance(text, str) and text.strip() != ""
    if not has_text and not blocks and not args.get("attachments"):
        raise ApiError("no_text")
    if isinstance(text, str) and len(text) > 40_000:
        raise ApiError("msg_too_long")
    if blocks:
        problems = validate_blocks(blocks, "message")
        if problems:
            raise ApiError("invalid_blocks", messages=problems)
    return not has_text


def view_arg(args: dict[str, Any]) -> dict[str, Any]:
    """The ``view`` argument of views.*, checked like Slack does."""
    view = args.get("view")
    if not isinstance(view, dict):
        raise ApiError("invalid_arguments", messages=["[ERROR] view must be an object"])
    problems = validate_view(view)
    if problems:
        raise ApiError("invalid_arguments", messages=problems)
    return view


# -- Block Kit ---------------------------------------------------------------------------------

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
SURFACES = ("message", "modal", "home")

_BLOCK_TYPES = frozenset(
    {"section", "header", "divider", "context", "actions", "input", "image", "rich_text"}
)
_SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
# Elements a person can click or pick without submitting a form.
_INTERACTIVE = _SELECTS | {
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "timepicker",
    "overflow",
    "radio_buttons",
    "workflow_button",
}
_INPUT_ONLY = frozenset(
    {
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
    }
)
_ACCESSORY_TYPES = (_INTERACTIVE - {"workflow_button"}) | {"image"}
_ACTIONS_TYPES = _INTERACTIVE
_INPUT_TYPES = (_INTERACTIVE - {"button", "overflow", "workflow_button"}) | _INPUT_ONLY
_OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "checkboxes": 10,
    "radio_buttons": 10,
}


class _Checker:
    """Collects Slack-style validation messages while walking a payload."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, pointer: str, message: str) -> None:
        self.errors.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: int, pointer: str) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.error(pointer, "must be a string")
        elif len(value) > limit:
            self.error(pointer, f"must be less than {limit + 1} characters")

    def text(self, obj: Any, pointer: str, *, limit: int | None, plain_only: bool = False) -> None:
        """A composition text object: right type, non-empty, within its limit."""
        if not isinstance(obj, dict):
            self.error(pointer, "must be a text object")
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.error(f"{pointer}/type", f"must be one of: {', '.join(allowed)}")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.error(pointer, "must be more than 0 characters")
        elif limit is not None and len(value) > limit:
            self.error(pointer, f"must be less than {limit + 1} characters")

    def optional_text(
        self, parent: dict, key: str, pointer: str, *, limit: int, plain_only: bool = True
    ) -> None:
        if parent.get(key) is not None:
            self.text(parent[key], f"{pointer}/{key}", limit=limit, plain_only=plain_only)

    def items(
        self, value: Any, pointer: str, *, minimum: int, maximum: int
    ) -> list[tuple[int, Any]]:
        """Checks an array's size; returns its items so callers can check each one."""
        if not isinstance(value, list):
            self.error(pointer, "must be an array")
            return []
        if len(value) < minimum:
            self.error(pointer, f"must provide at least {minimum} items")
        if len(value) > maximum:
            self.error(pointer, f"no more than {maximum} items allowed")
        return list(enumerate(value))

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: Any, pointer: str, *, limit: int) -> None:
        block_ids: set[str] = set()
        for i, block in self.items(blocks, pointer, minimum=0, maximum=limit):
            self.block(block, f"{pointer}/{i}", block_ids)

    def block(self, block: Any, pointer: str, block_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.error(pointer, "must be an object")
            return
        kind = block.get("type")
        if kind is None:
            self.error(pointer, "missing required field: type")
            return
        if kind not in _BLOCK_TYPES:
            self.error(f"{pointer}/type", f"unsupported block type: {kind}")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.max_len(block_id, 255, f"{pointer}/block_id")
            if block_id in block_ids:
                self.error(f"{pointer}/block_id", f"duplicate block_id: {block_id}")
            block_ids.add(block_id)
        action_ids: set[str] = set()
        if kind == "section":
            self.section(block, pointer, action_ids)
        elif kind == "header":
            if "text" not in block:
                self.error(pointer, "missing required field: text")
            else:
                self.text(block["text"], f"{pointer}/text", limit=150, plain_only=True)
        elif kind == "context":
            for i, el in self.items(
                block.get("elements"), f"{pointer}/elements", minimum=1, maximum=10
            ):
                self.context_element(el, f"{pointer}/elements/{i}")
        elif kind == "actions":
            for i, el in self.items(
                block.get("elements"), f"{pointer}/elements", minimum=1, maximum=25
            ):
                self.element(el, f"{pointer}/elements/{i}", _ACTIONS_TYPES, action_ids)
        elif kind == "input":
            self.input(block, pointer, action_ids)
        elif kind == "image":
            self.image(block, pointer, title=True)
        elif kind == "rich_text" and not isinstance(block.get("elements"), list):
            self.error(f"{pointer}/elements", "must be an array")

    def section(self, block: dict, pointer: str, action_ids: set[str]) -> None:
        has_text = block.get("text") is not None
        has_fields = block.get("fields") is not None
        if not has_text and not has_fields:
            self.error(pointer, "must provide either text or fields")
        if has_text:
            self.text(block["text"], f"{pointer}/text", limit=3000)
        if has_fields:
            for i, item in self.items(block["fields"], f"{pointer}/fields", minimum=1, maximum=10):
                self.text(item, f"{pointer}/fields/{i}", limit=2000)
        if block.get("accessory") is not None:
            self.element(block["accessory"], f"{pointer}/accessory", _ACCESSORY_TYPES, action_ids)

    def input(self, block: dict, pointer: str, action_ids: set[str]) -> None:
        if "label" not in block:
            self.error(pointer, "missing required field: label")
        else:
            self.text(block["label"], f"{pointer}/label", limit=2000, plain_only=True)
        self.optional_text(block, "hint", pointer, limit=2000)
        if block.get("element") is None:
            self.error(pointer, "missing required field: element")
        else:
            self.element(block["element"], f"{pointer}/element", _INPUT_TYPES, action_ids)

    def image(self, obj: dict, pointer: str, *, title: bool) -> None:
        if obj.get("image_url") is None and obj.get("slack_file") is None:
            self.error(pointer, "must provide either image_url or slack_file")
        self.max_len(obj.get("image_url"), 3000, f"{pointer}/image_url")
        alt = obj.get("alt_text")
        if not isinstance(alt, str) or not alt:
            self.error(f"{pointer}/alt_text", "must be more than 0 characters")
        else:
            self.max_len(alt, 2000, f"{pointer}/alt_text")
        if title:
            self.optional_text(obj, "title", pointer, limit=2000)

    def context_element(self, el: Any, pointer: str) -> None:
        if isinstance(el, dict) and el.get("type") == "image":
            self.image(el, pointer, title=False)
        else:
            self.text(el, pointer, limit=None)

    # -- elements ------------------------------------------------------------------------

    def element(self, el: Any, pointer: str, allowed: frozenset[str], action_ids: set[str]) -> None:
        if not isinstance(el, dict):
            self.error(pointer, "must be an object")
            return
        kind = el.get("type")
        if kind is None:
            self.error(pointer, "missing required field: type")
            return
        if kind not in allowed:
            self.error(f"{pointer}/type", f"element type {kind} is not allowed here")
            return
        if kind == "image":
            self.image(el, pointer, title=False)
            return
        action_id = el.get("action_id")
        if action_id is not None:
            self.max_len(action_id, 255, f"{pointer}/action_id")
            if action_id in action_ids:
                self.error(f"{pointer}/action_id", f"duplicate action_id: {action_id}")
            action_ids.add(action_id)
        self.optional_text(el, "placeholder", pointer, limit=150)
        if el.get("confirm") is not None:
            self.confirm(el["confirm"], f"{pointer}/confirm")
        if kind == "button":
            self.button(el, pointer)
        elif kind in _OPTION_LIMITS:
            self.option_holder(el, pointer, kind)

    def button(self, el: dict, pointer: str) -> None:
        if "text" not in el:
            self.error(pointer, "missing required field: text")
        else:
            self.text(el["text"], f"{pointer}/text", limit=75, plain_only=True)
        self.max_len(el.get("value"), 2000, f"{pointer}/value")
        self.max_len(el.get("url"), 3000, f"{pointer}/url")
        self.max_len(el.get("accessibility_label"), 75, f"{pointer}/accessibility_label")
        style = el.get("style")
        if style is not None and style not in ("primary", "danger"):
            self.error(f"{pointer}/style", "must be one of: primary, danger")

    def option_holder(self, el: dict, pointer: str, kind: str) -> None:
        # Checkboxes and radio buttons may use mrkdwn option text; menus may not.
        plain_only = kind not in ("checkboxes", "radio_buttons")
        limit = _OPTION_LIMITS[kind]
        if kind in _SELECTS and el.get("option_groups") is not None:
            groups = self.items(
                el["option_groups"], f"{pointer}/option_groups", minimum=1, maximum=100
            )
            for g, group in groups:
                gp = f"{pointer}/option_groups/{g}"
                if not isinstance(group, dict):
                    self.error(gp, "must be an object")
                    continue
                self.text(group.get("label"), f"{gp}/label", limit=75, plain_only=True)
                self.options(group.get("options"), f"{gp}/options", limit, plain_only)
            return
        self.options(el.get("options"), f"{pointer}/options", limit, plain_only)

    def options(self, options: Any, pointer: str, limit: int, plain_only: bool) -> None:
        for i, option in self.items(options, pointer, minimum=1, maximum=limit):
            op = f"{pointer}/{i}"
            if not isinstance(option, dict):
                self.error(op, "must be an object")
                continue
            self.text(option.get("text"), f"{op}/text", limit=75, plain_only=plain_only)
            self.max_len(option.get("value"), 150, f"{op}/value")
            self.optional_text(option, "description", op, limit=75, plain_only=plain_only)

    def confirm(self, obj: Any, pointer: str) -> None:
        if not isinstance(obj, dict):
            self.error(pointer, "must be an object")
            return
        for key, limit in (("title", 100), ("confirm", 30), ("deny", 30)):
            self.optional_text(obj, key, pointer, limit=limit)
        if "text" in obj:
            self.text(obj["text"], f"{pointer}/text", limit=300)


def validate_blocks(blocks: list[dict], surface: str, *, pointer: str = "/blocks") -> list[str]:
    """Checks blocks against Block Kit's limits, returning Slack-style messages (empty if valid).

    ``surface`` is "message", "modal" or "home"; messages allow 50 blocks, views 100.
    """
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; expected one of {SURFACES}")
    checker = _Checker()
    limit = MESSAGE_BLOCK_LIMIT if surface == "message" else VIEW_BLOCK_LIMIT
    checker.blocks(blocks, pointer, limit=limit)
    return checker.errors


def validate_view(view: dict) -> list[str]:
    """Checks a modal or Home tab view (its own fields and its blocks); empty list if valid."""
    checker = _Checker()
    ptr = "/view"
    if not isinstance(view, dict):
        checker.error(ptr, "must be an object")
        return checker.errors
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.error(f"{ptr}/type", "must be one of: modal, home")
        return checker.errors
    if kind == "modal":
        if view.get("title") is None:
            checker.error(ptr, "missing required field: title")
        else:
            checker.text(view["title"], f"{ptr}/title", limit=24, plain_only=True)
        checker.optional_text(view, "submit", ptr, limit=24)
        checker.optional_text(view, "close", ptr, limit=24)
    checker.max_len(view.get("callback_id"), 255, f"{ptr}/callback_id")
    checker.max_len(view.get("private_metadata"), 3000, f"{ptr}/private_metadata")
    checker.max_len(view.get("external_id"), 255, f"{ptr}/external_id")
    blocks = view.get("blocks")
    if blocks is None:
        checker.error(ptr, "missing required field: blocks")
        return checker.errors
    checker.blocks(blocks, f"{ptr}/blocks", limit=VIEW_BLOCK_LIMIT)
    has_inputs = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if kind == "modal" and has_inputs and view.get("submit") is None:
        checker.error(ptr, "must provide a submit property when using input blocks")
    return checker.errors
