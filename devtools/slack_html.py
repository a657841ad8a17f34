"""Lay a recorded Slack session out as one self-contained HTML page.

The demo records what each person did and what Sprout showed them. This module draws those
entries roughly the way Slack does (messages built from Block Kit, modals, home tabs) so a person
can look at a run instead of reading a transcript. The page has inline CSS only: no scripts, no
external assets, no network. Everything that comes from the recording is HTML-escaped; only the
markup written here reaches the page as markup.

Usage::

    page = render_page(entries, people, title="A fortnight with Sprout")
    Path("demo-out/demo.html").write_text(page, encoding="utf-8")
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Entry", "Person", "color_for", "mrkdwn_to_html", "render_blocks", "render_page"]


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str  # IANA zone
    role: str = ""  # e.g. "manager", "report", "bot"; free text shown as a tag


@dataclass(frozen=True)
class Entry:
    at: datetime  # aware UTC instant
    kind: str  # "action" | "dm" | "dm_update" | "ephemeral" | "form" | "home" | "note"
    actor: str | None = None  # who did something ("action"); None means Sprout
    recipient: str | None = None  # who sees it (dm, dm_update, ephemeral, form, home)
    text: str = ""  # "action": what the person did; others: the message's fallback text
    blocks: list[dict[str, Any]] = field(default_factory=list)
    view: dict[str, Any] | None = None  # a modal ("form") or home view
    heading: str = ""  # "note" entries: a scene heading


# -- small helpers ---------------------------------------------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Avatar colours: dark enough for white initials, far enough apart to tell people apart.
_PALETTE = (
    "#1264a3",
    "#b8368a",
    "#2b7a4b",
    "#c2570c",
    "#6b3fa0",
    "#0b7285",
    "#a61e4d",
    "#5c7a12",
    "#8a5a00",
    "#364fc7",
    "#9c36b5",
    "#2f6f6f",
)
_APP_COLOR = "#2eb67d"

EMOJI = {
    "tada": "🎉",
    "warning": "⚠️",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "no_entry": "⛔",
    "no_entry_sign": "🚫",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "palm_tree": "🌴",
    "desert_island": "🏝️",
    "beach_with_umbrella": "🏖️",
    "airplane": "✈️",
    "thermometer": "🌡️",
    "face_with_thermometer": "🤒",
    "sick": "🤢",
    "mask": "😷",
    "baby": "👶",
    "seedling": "🌱",
    "wave": "👋",
    "eyes": "👀",
    "memo": "📝",
    "calendar": "📆",
    "date": "📅",
    "bell": "🔔",
    "bulb": "💡",
    "sparkles": "✨",
    "rocket": "🚀",
    "star": "⭐",
    "x": "❌",
    "+1": "👍",
    "thumbsup": "👍",
    "speech_balloon": "💬",
    "raised_hands": "🙌",
    "clap": "👏",
    "pray": "🙏",
    "fire": "🔥",
    "heart": "❤️",
    "smile": "😄",
    "slightly_smiling_face": "🙂",
}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _emoji(escaped: str) -> str:
    """Known `:codes:` to Unicode; unknown ones stay as typed."""
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), escaped)


def _unescape_slack(text: str) -> str:
    """Slack escapes exactly three characters in message text; undo just those."""
    return _SLACK_ENTITY.sub(lambda m: _SLACK_ENTITIES[m.group(1)], text)


def color_for(user_id: str) -> str:
    """A colour that depends only on the user id (FNV-1a, not Python's salted hash)."""
    value = 0x811C9DC5
    for byte in user_id.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return _PALETTE[value % len(_PALETTE)]


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s._-]+", name) if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _city(tz: str) -> str:
    if _zone(tz).key == "UTC":
        return "UTC"
    return tz.rsplit("/", 1)[-1].replace("_", " ")


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _local(at: datetime, tz: str) -> datetime:
    return _aware(at).astimezone(_zone(tz))


def _day_label(day: date) -> str:
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def _clock(at: datetime, tz: str) -> str:
    """'Tue 1 Dec 09:34' in the zone `tz`."""
    local = _local(at, tz)
    return f"{_day_label(local.date())} {local:%H:%M}"


def _time_tag(at: datetime, label: str) -> str:
    return f'<time datetime="{_esc(_aware(at).isoformat())}">{_esc(label)}</time>'


# -- mrkdwn ----------------------------------------------------------------------------------------

_PRIVATE = re.compile("[\ue000\ue001]")
_SLOT = re.compile("\ue000(\\d+)\ue001")
_ANGLE = re.compile(r"<([^<>]*)>")
_SLACK_ENTITY = re.compile(r"&(amp|lt|gt);")
_SLACK_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_CODE_BLOCK = re.compile(r"```\n?(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_LINKABLE = re.compile(r"(?:https?://|mailto:)\S+\Z", re.IGNORECASE)


class _Slots:
    """Rendered fragments parked behind private-use markers while the text around them is
    escaped and formatted, so nothing in the recording can pose as one of them."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def keep(self, fragment: str) -> str:
        self.parts.append(fragment)
        return f"\ue000{len(self.parts) - 1}\ue001"

    def restore(self, text: str) -> str:
        return _SLOT.sub(lambda m: self.parts[int(m.group(1))], text)


class _Renderer:
    """Block Kit and mrkdwn to HTML for one page; knows the people to name mentions."""

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self.people = {p.user_id: p for p in people}
        self.tz = "UTC"  # the zone of whoever is looking at the card being drawn

    # names -----------------------------------------------------------------------------------

    def name(self, user_id: str | None) -> str:
        if user_id is None:
            return "Sprout"
        person = self.people.get(user_id)
        return person.name if person and person.name else user_id

    def tz_of(self, user_id: str | None) -> str:
        person = self.people.get(user_id) if user_id else None
        return person.tz if person else "UTC"

    def mention(self, user_id: str, label: str = "") -> str:
        person = self.people.get(user_id)
        shown = person.name if person and person.name else (label or user_id)
        return f'<span class="mention">@{_esc(shown)}</span>'

    def avatar(self, user_id: str | None, *, small: bool = False) -> str:
        size = " small" if small else ""
        if user_id is None:
            return f'<span class="avatar app{size}" style="background:{_APP_COLOR}">S</span>'
        initials = _esc(_initials(self.name(user_id)))
        color = color_for(user_id)
        return f'<span class="avatar{size}" style="background:{color}">{initials}</span>'

    # mrkdwn ----------------------------------------------------------------------------------

    def _markup(self, inner: str) -> str | None:
        """HTML for Slack's `<...>` markup, or None when it is not markup (shown as typed)."""
        target, _, label = inner.partition("|")
        label = _unescape_slack(label)
        if target.startswith("@") and len(target) > 1:
            return self.mention(target[1:], label.removeprefix("@"))
        if target.startswith("#") and len(target) > 1:
            return f'<span class="mention">#{_esc(label or target[1:])}</span>'
        if target.startswith("!") and len(target) > 1:
            return self._special(target[1:], label)
        url = _unescape_slack(target)
        if _LINKABLE.match(url):
            shown = label or url.removeprefix("mailto:")
            return f'<a href="{_esc(url)}" rel="noopener noreferrer">{_esc(shown)}</a>'
        if label and ":" in target and " " not in target:
            return _esc(label)  # a link with a scheme we will not link to: its label only
        return None

    def _special(self, word: str, label: str) -> str | None:
        if word in ("here", "channel", "everyone"):
            return f'<span class="mention">@{word}</span>'
        if word.startswith("date^"):
            parts = word.split("^")
            if label:
                return _esc(label)
            try:
                at = datetime.fromtimestamp(int(parts[1]), UTC)
            except (IndexError, ValueError, OverflowError, OSError):
                return _esc(word)
            return _esc(_clock(at, self.tz))
        if word.startswith("subteam^"):
            return f'<span class="mention">@{_esc(label.removeprefix("@") or word[8:])}</span>'
        if label or re.fullmatch(r"[\w^-]+", word):
            return f'<span class="mention">@{_esc(label or word)}</span>'
        return None

    def _park_markup(self, text: str, slots: _Slots) -> str:
        def angle(match: re.Match[str]) -> str:
            rendered = self._markup(match.group(1))
            return match.group(0) if rendered is None else slots.keep(rendered)

        return _ANGLE.sub(angle, _PRIVATE.sub("", text))

    def mrkdwn(self, text: str) -> str:
        """Slack mrkdwn (already Slack-escaped) to HTML."""
        slots = _Slots()
        text = _unescape_slack(self._park_markup(str(text), slots))
        text = _CODE_BLOCK.sub(
            lambda m: slots.keep(f'<pre class="code">{slots.restore(_esc(m.group(1)))}</pre>'),
            text,
        )
        text = _CODE.sub(
            lambda m: slots.keep(f"<code>{slots.restore(_esc(m.group(1)))}</code>"), text
        )

        lines: list[tuple[bool, str]] = []
        quote_rest = False
        for line in text.split("\n"):
            quoted = quote_rest
            if not quoted and line.startswith(">>>"):
                quote_rest = quoted = True
                line = line[3:]
            elif not quoted and line.startswith(">"):
                quoted = True
                line = line[1:]
            if quoted:
                line = line.removeprefix(" ")
            lines.append((quoted, slots.restore(self._inline(line))))

        out: list[str] = []
        for quoted, group in itertools.groupby(lines, key=lambda pair: pair[0]):
            joined = "<br>".join(line for _, line in group)
            out.append(f'<blockquote class="quote">{joined}</blockquote>' if quoted else joined)
        return "".join(out).replace("<br><pre", "<pre").replace("</pre><br>", "</pre>")

    @staticmethod
    def _inline(line: str) -> str:
        line = _emoji(_esc(line))
        line = _BOLD.sub(r"<b>\1</b>", line)
        line = _ITALIC.sub(r"<i>\1</i>", line)
        return _STRIKE.sub(r"<s>\1</s>", line)

    def typed(self, text: str) -> str:
        """Text as a person typed it: mentions and links rendered, no other formatting."""
        slots = _Slots()
        text = _unescape_slack(self._park_markup(str(text), slots))
        return slots.restore(_esc(text))

    def text(self, obj: object) -> str:
        """A Block Kit text object (plain_text or mrkdwn) to HTML."""
        if isinstance(obj, str):
            return _esc(obj)
        if not isinstance(obj, Mapping):
            return ""
        value = obj.get("text", "")
        value = "" if value is None else str(value)
        if obj.get("type") == "mrkdwn":
            return self.mrkdwn(value)
        escaped = _esc(value)
        return _emoji(escaped) if obj.get("emoji", True) else escaped

    def plain(self, obj: object) -> str:
        """A text object as plain, escaped text (for attributes)."""
        if isinstance(obj, Mapping):
            return _esc(obj.get("text", "") or "")
        return _esc(obj) if isinstance(obj, str) else ""

    # blocks ----------------------------------------------------------------------------------

    def blocks(self, blocks: object) -> str:
        if not isinstance(blocks, list):
            return ""
        return "".join(self.block(block) for block in blocks)

    def block(self, block: object) -> str:
        if not isinstance(block, Mapping):
            return self._unsupported("block", block)
        method = _BLOCK_RENDERERS.get(str(block.get("type")))
        if method is None:
            return self._unsupported("block", block)
        return method(self, block)

    def _unsupported(self, what: str, thing: object) -> str:
        kind = thing.get("type") if isinstance(thing, Mapping) else type(thing).__name__
        try:
            dump = json.dumps(thing, indent=2, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            dump = repr(thing)
        return (
            f'<details class="blk unsupported"><summary>Unsupported {what}: {_esc(kind)}'
            f"</summary><pre>{_esc(dump)}</pre></details>"
        )

    def _header(self, block: Mapping[str, Any]) -> str:
        return f'<div class="blk header">{self.text(block.get("text"))}</div>'

    def _divider(self, block: Mapping[str, Any]) -> str:
        return '<hr class="blk divider">'

    def _section(self, block: Mapping[str, Any]) -> str:
        main = ""
        if block.get("text"):
            main += f'<div class="mrkdwn">{self.text(block.get("text"))}</div>'
        fields = block.get("fields")
        if isinstance(fields, list) and fields:
            cells = "".join(f'<div class="field">{self.text(f)}</div>' for f in fields)
            main += f'<div class="fields">{cells}</div>'
        accessory = block.get("accessory")
        side = ""
        if isinstance(accessory, Mapping):
            side = f'<div class="accessory">{self.element(accessory)}</div>'
        return f'<div class="blk section"><div class="section-main">{main}</div>{side}</div>'

    def _context(self, block: Mapping[str, Any]) -> str:
        items = []
        for element in block.get("elements") or []:
            if isinstance(element, Mapping) and element.get("type") == "image":
                items.append(self._image_element(element))
            else:
                items.append(f'<span class="ctx-text">{self.text(element)}</span>')
        return f'<div class="blk context">{"".join(items)}</div>'

    def _actions(self, block: Mapping[str, Any]) -> str:
        items = "".join(self.element(e) for e in block.get("elements") or [])
        return f'<div class="blk actions">{items}</div>'

    def _input(self, block: Mapping[str, Any]) -> str:
        optional = ' <span class="optional">(optional)</span>' if block.get("optional") else ""
        label = f'<div class="input-label">{self.text(block.get("label"))}{optional}</div>'
        element = block.get("element")
        body = self.element(element) if isinstance(element, Mapping) else ""
        hint = ""
        if block.get("hint"):
            hint = f'<div class="hint">{self.text(block.get("hint"))}</div>'
        return f'<div class="blk input">{label}{body}{hint}</div>'

    def _image(self, block: Mapping[str, Any]) -> str:
        title = ""
        if block.get("title"):
            title = f'<figcaption class="image-title">{self.text(block.get("title"))}</figcaption>'
        alt = _esc(block.get("alt_text") or "image")
        return f'<figure class="blk image">{title}<div class="image-box">🖼 {alt}</div></figure>'

    def _video(self, block: Mapping[str, Any]) -> str:
        title = self.text(block.get("title"))
        alt = _esc(block.get("alt_text") or "video")
        return (
            f'<figure class="blk image"><figcaption class="image-title">{title}</figcaption>'
            f'<div class="image-box">▶ {alt}</div></figure>'
        )

    def _file(self, block: Mapping[str, Any]) -> str:
        name = _esc(block.get("external_id") or "file")
        return f'<div class="blk file">📄 {name}</div>'

    # rich text (what people's own messages are made of) ---------------------------------------

    def _rich_text(self, block: Mapping[str, Any]) -> str:
        parts = "".join(self._rich_part(p) for p in block.get("elements") or [])
        return f'<div class="blk rich">{parts}</div>'

    def _rich_part(self, part: object) -> str:
        if not isinstance(part, Mapping):
            return ""
        kind = part.get("type")
        inline = self._rich_inline(part.get("elements"))
        if kind == "rich_text_quote":
            return f'<blockquote class="quote">{inline}</blockquote>'
        if kind == "rich_text_preformatted":
            return f'<pre class="code">{inline}</pre>'
        if kind == "rich_text_list":
            tag = "ol" if part.get("style") == "ordered" else "ul"
            items = "".join(
                f"<li>{self._rich_inline(item.get('elements'))}</li>"
                for item in part.get("elements") or []
                if isinstance(item, Mapping)
            )
            return f"<{tag}>{items}</{tag}>"
        return f"<div>{inline}</div>"

    def _rich_inline(self, elements: object) -> str:
        if not isinstance(elements, list):
            return ""
        out = []
        for element in elements:
            if not isinstance(element, Mapping):
                continue
            kind = element.get("type")
            if kind == "text":
                piece = _esc(element.get("text", "")).replace("\n", "<br>")
            elif kind == "link":
                url = str(element.get("url", ""))
                shown = _esc(element.get("text") or url)
                piece = (
                    f'<a href="{_esc(url)}" rel="noopener noreferrer">{shown}</a>'
                    if _LINKABLE.match(url)
                    else shown
                )
            elif kind == "user":
                piece = self.mention(str(element.get("user_id", "")))
            elif kind == "channel":
                piece = f'<span class="mention">#{_esc(element.get("channel_id", ""))}</span>'
            elif kind == "usergroup":
                piece = f'<span class="mention">@{_esc(element.get("usergroup_id", ""))}</span>'
            elif kind == "broadcast":
                piece = f'<span class="mention">@{_esc(element.get("range", "here"))}</span>'
            elif kind == "emoji":
                piece = self._rich_emoji(element)
            elif kind == "date":
                piece = _esc(element.get("fallback") or element.get("timestamp", ""))
            else:
                piece = _esc(element.get("text", ""))
            style = element.get("style")
            if isinstance(style, Mapping):
                for flag, tag in (
                    ("code", "code"),
                    ("bold", "b"),
                    ("italic", "i"),
                    ("strike", "s"),
                ):
                    if style.get(flag):
                        piece = f"<{tag}>{piece}</{tag}>"
            out.append(piece)
        return "".join(out)

    @staticmethod
    def _rich_emoji(element: Mapping[str, Any]) -> str:
        name = str(element.get("name", ""))
        if name in EMOJI:
            return EMOJI[name]
        code = str(element.get("unicode", ""))
        try:
            return "".join(chr(int(point, 16)) for point in code.split("-"))
        except (ValueError, OverflowError):
            return _esc(f":{name}:")

    # elements --------------------------------------------------------------------------------

    def element(self, element: object) -> str:
        if not isinstance(element, Mapping):
            return self._unsupported("element", element)
        kind = str(element.get("type"))
        if kind == "button":
            return self._button(element)
        if kind.endswith("_select"):
            return self._select(element)
        if kind == "overflow":
            labels = ", ".join(self.plain(o.get("text")) for o in _options(element.get("options")))
            return f'<span class="btn overflow" title="{labels}">⋯</span>'
        if kind in ("datepicker", "timepicker", "datetimepicker"):
            return self._picker(element)
        if kind in _TEXT_INPUTS:
            return self._text_input(element)
        if kind in ("checkboxes", "radio_buttons"):
            return self._choices(element)
        if kind == "image":
            return self._image_element(element)
        if kind in ("plain_text", "mrkdwn"):
            return f'<span class="ctx-text">{self.text(element)}</span>'
        if kind == "workflow_button":
            return self._button(element)
        return self._unsupported("element", element)

    def _button(self, element: Mapping[str, Any]) -> str:
        style = element.get("style")
        cls = "btn"
        if style in ("primary", "danger"):
            cls += f" btn-{style}"
        external = ' <span class="external">↗</span>' if element.get("url") else ""
        return f'<span class="{cls}">{self.text(element.get("text"))}{external}</span>'

    def _select(self, element: Mapping[str, Any]) -> str:
        kind = str(element.get("type"))
        multi = kind.startswith("multi_")
        chosen: list[str] = []
        for option in _options(
            [element.get("initial_option"), *_list(element.get("initial_options"))]
        ):
            chosen.append(self.text(option.get("text")))
        for user in [element.get("initial_user"), *_list(element.get("initial_users"))]:
            if isinstance(user, str) and user:
                chosen.append(f"{self.avatar(user, small=True)} {_esc(self.name(user))}")
        for key in ("initial_conversation", "initial_channel"):
            if isinstance(element.get(key), str):
                chosen.append(f"#{_esc(element[key])}")
        for key in ("initial_conversations", "initial_channels"):
            chosen.extend(f"#{_esc(c)}" for c in _list(element.get(key)) if isinstance(c, str))
        if chosen:
            if multi:
                inner = "".join(f'<span class="chip">{c}</span>' for c in chosen)
            else:
                inner = f'<span class="value">{chosen[0]}</span>'
        else:
            placeholder = self.text(element.get("placeholder"))
            if not placeholder:
                placeholder = "Select a person" if "users" in kind else "Select an item"
            inner = f'<span class="placeholder">{placeholder}</span>'
        return f'<span class="select">{inner}<span class="caret">▾</span></span>'

    def _picker(self, element: Mapping[str, Any]) -> str:
        kind = element.get("type")
        shown = ""
        if kind == "datepicker" and element.get("initial_date"):
            raw = str(element["initial_date"])
            try:
                day = date.fromisoformat(raw)
                shown = _esc(f"{_day_label(day)} {day.year}")
            except ValueError:
                shown = _esc(raw)
        elif kind == "timepicker" and element.get("initial_time"):
            shown = _esc(element["initial_time"])
        elif kind == "datetimepicker" and element.get("initial_date_time") is not None:
            try:
                at = datetime.fromtimestamp(int(element["initial_date_time"]), UTC)
                shown = _esc(_clock(at, self.tz))
            except (TypeError, ValueError, OverflowError, OSError):
                shown = _esc(element["initial_date_time"])
        icon = "🕒" if kind == "timepicker" else "📅"
        if shown:
            inner = f'<span class="value">{shown}</span>'
        else:
            placeholder = self.text(element.get("placeholder"))
            if not placeholder:
                placeholder = "Select time" if kind == "timepicker" else "Select a date"
            inner = f'<span class="placeholder">{placeholder}</span>'
        return f'<span class="select picker"><span class="icon">{icon}</span>{inner}</span>'

    def _text_input(self, element: Mapping[str, Any]) -> str:
        cls = "textbox multiline" if element.get("multiline") else "textbox"
        value = element.get("initial_value")
        if isinstance(value, Mapping):  # rich_text_input starts from a rich_text block
            inner = f'<span class="value">{self.block(value)}</span>'
        elif value not in (None, ""):
            inner = f'<span class="value">{_esc(value)}</span>'
        else:
            placeholder = self.text(element.get("placeholder"))
            inner = f'<span class="placeholder">{placeholder}</span>'
        return f'<div class="{cls}">{inner}</div>'

    def _choices(self, element: Mapping[str, Any]) -> str:
        radio = element.get("type") == "radio_buttons"
        initial = _options(
            [element.get("initial_option")] if radio else _list(element.get("initial_options"))
        )
        picked = {_option_key(o) for o in initial}
        rows = []
        for option in _options(element.get("options")):
            checked = _option_key(option) in picked
            cls = "option checked" if checked else "option"
            mark = ("●" if radio else "✓") if checked else ""
            box = f'<span class="{"radio" if radio else "checkbox"}">{mark}</span>'
            description = ""
            if option.get("description"):
                description = f'<div class="desc">{self.text(option.get("description"))}</div>'
            rows.append(
                f'<div class="{cls}">{box}<div><div>{self.text(option.get("text"))}</div>'
                f"{description}</div></div>"
            )
        kind = "radios" if radio else "checkboxes"
        return f'<div class="choices {kind}">{"".join(rows)}</div>'

    def _image_element(self, element: Mapping[str, Any]) -> str:
        alt = _esc(element.get("alt_text") or "image")
        return f'<span class="img-el" title="{alt}">🖼 {alt}</span>'


_BLOCK_RENDERERS = {
    "header": _Renderer._header,
    "divider": _Renderer._divider,
    "section": _Renderer._section,
    "context": _Renderer._context,
    "actions": _Renderer._actions,
    "input": _Renderer._input,
    "image": _Renderer._image,
    "video": _Renderer._video,
    "file": _Renderer._file,
    "rich_text": _Renderer._rich_text,
}

_TEXT_INPUTS = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
    }
)


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _options(value: object) -> list[Mapping[str, Any]]:
    return [o for o in _list(value) if isinstance(o, Mapping)]


def _option_key(option: Mapping[str, Any]) -> str:
    if "value" in option:
        return f"value:{option['value']}"
    text = option.get("text")
    return f"text:{text.get('text') if isinstance(text, Mapping) else text}"


def mrkdwn_to_html(text: str, people: Iterable[Person] = ()) -> str:
    """Slack mrkdwn to an HTML fragment; `people` names the mentions."""
    return _Renderer(people).mrkdwn(text)


def render_blocks(blocks: list[dict[str, Any]], people: Iterable[Person] = ()) -> str:
    """Block Kit blocks to an HTML fragment (needs the page's stylesheet to look right)."""
    return _Renderer(people).blocks(blocks)


# -- cards -----------------------------------------------------------------------------------------

_MESSAGE_KINDS = {"dm": "", "dm_update": "edited", "ephemeral": "only visible to you"}


class _Page:
    def __init__(self, entries: list[Entry], people: list[Person]) -> None:
        self.entries = entries
        self.people = list(people)
        self.r = _Renderer(people)
        self._cards: dict[tuple[int, str], str] = {}

    def default_viewer(self, entry: Entry) -> str | None:
        return entry.actor if entry.kind == "action" else entry.recipient

    def card(self, index: int, viewer: str | None) -> str:
        tz = self.r.tz_of(viewer)
        key = (index, tz)
        if key not in self._cards:
            self.r.tz = tz
            self._cards[key] = self._card(self.entries[index], tz)
        return self._cards[key]

    def _card(self, entry: Entry, tz: str) -> str:
        if entry.kind == "action":
            return self._action(entry, tz)
        if entry.kind in _MESSAGE_KINDS:
            return self._message(entry, tz)
        if entry.kind == "form":
            return self._form(entry, tz)
        if entry.kind == "home":
            return self._home(entry, tz)
        return self._other(entry, tz)

    def _seen_by(self, entry: Entry, tz: str) -> str:
        when = f"{_clock(entry.at, tz)} ({_city(tz)})"
        if entry.recipient is None:
            return _time_tag(entry.at, when)
        return f"to {_esc(self.r.name(entry.recipient))} · {_time_tag(entry.at, when)}"

    def role_tag(self, user_id: str | None) -> str:
        person = self.r.people.get(user_id) if user_id else None
        if person is None or not person.role:
            return ""
        return f' <span class="tag role">{_esc(person.role)}</span>'

    def _action(self, entry: Entry, tz: str) -> str:
        text = entry.text.strip()
        if text.startswith("/"):
            did = f'<code class="command">{self.r.typed(text)}</code>'
        else:
            did = self.r.mrkdwn(text)
        when = _time_tag(entry.at, f"{_clock(entry.at, tz)} · {_city(tz)}")
        extra = self.r.blocks(entry.blocks) if entry.blocks else ""
        return (
            f'<article class="card msg action">{self.r.avatar(entry.actor or "?")}'
            f'<div class="msg-body"><div class="msg-head"><span class="who">'
            f"{_esc(self.r.name(entry.actor) if entry.actor else 'Someone')}</span>"
            f'{self.role_tag(entry.actor)} <span class="when">{when}</span></div>'
            f'<div class="did">{did}</div>{extra}</div></article>'
        )

    def _message(self, entry: Entry, tz: str) -> str:
        tag = _MESSAGE_KINDS[entry.kind]
        tags = f' <span class="tag {entry.kind}">{tag}</span>' if tag else ""
        if entry.blocks:
            body = self.r.blocks(entry.blocks)
            if entry.text:
                body += (
                    '<details class="fallback"><summary>notification text</summary>'
                    f'<div class="mrkdwn">{self.r.mrkdwn(entry.text)}</div></details>'
                )
        else:
            text = self.r.mrkdwn(entry.text)
            body = (
                '<div class="blk section"><div class="section-main">'
                f'<div class="mrkdwn">{text}</div></div></div>'
            )
        return (
            f'<article class="card msg {entry.kind}">{self.r.avatar(None)}'
            '<div class="msg-body"><div class="msg-head"><span class="who">Sprout</span> '
            f'<span class="tag app">APP</span> <span class="when">{self._seen_by(entry, tz)}'
            f'</span>{tags}</div><div class="blocks">{body}</div></div></article>'
        )

    def _form(self, entry: Entry, tz: str) -> str:
        view = entry.view if isinstance(entry.view, Mapping) else {}
        title = self.r.text(view.get("title")) or "Form"
        blocks = view.get("blocks") if view else entry.blocks
        close = self.r.text(view.get("close")) or "Cancel"
        submit = ""
        if view.get("submit"):
            submit = f'<span class="btn btn-primary">{self.r.text(view.get("submit"))}</span>'
        return (
            '<article class="card form"><div class="card-meta">'
            f"{self._caption('Form', 'for', entry, tz)}</div>"
            f'<div class="modal"><div class="modal-title">{self.r.avatar(None, small=True)}'
            f'<span class="modal-name">{title}</span><span class="close-x">✕</span></div>'
            f'<div class="modal-body">{self.r.blocks(blocks)}</div>'
            f'<div class="modal-foot"><span class="btn">{close}</span>{submit}</div></div>'
            "</article>"
        )

    def _caption(self, what: str, link: str, entry: Entry, tz: str) -> str:
        """'Home tab of Ravi · Tue 1 Dec 09:30 (Kolkata)'; without the name when nobody is."""
        when = _time_tag(entry.at, f"{_clock(entry.at, tz)} ({_city(tz)})")
        if entry.recipient is None:
            return f"{what} · {when}"
        return f"{what} {link} {_esc(self.r.name(entry.recipient))} · {when}"

    def _home(self, entry: Entry, tz: str) -> str:
        view = entry.view if isinstance(entry.view, Mapping) else {}
        blocks = view.get("blocks") if view else entry.blocks
        return (
            '<article class="card home"><div class="card-meta">'
            f"{self._caption('Home tab', 'of', entry, tz)}</div>"
            '<div class="home-tab"><div class="home-tabs"><span class="on">Home</span>'
            f'<span>Messages</span><span>About</span></div><div class="home-body">'
            f"{self.r.blocks(blocks)}</div></div></article>"
        )

    def _other(self, entry: Entry, tz: str) -> str:
        when = _time_tag(entry.at, f"{_clock(entry.at, tz)} ({_city(tz)})")
        heading = f"<b>{_esc(entry.heading)}</b> " if entry.heading else ""
        return (
            f'<article class="card other"><div class="card-meta">{_esc(entry.kind)} · {when}</div>'
            f'{heading}<div class="mrkdwn">{self.r.mrkdwn(entry.text)}</div>'
            f"{self.r.blocks(entry.blocks)}</article>"
        )

    # page sections ---------------------------------------------------------------------------

    def story(self) -> tuple[str, list[str]]:
        scenes: list[tuple[Entry | None, list[int]]] = [(None, [])]
        for index, entry in enumerate(self.entries):
            if entry.kind == "note":
                scenes.append((entry, []))
            else:
                scenes[-1][1].append(index)
        out: list[str] = []
        toc: list[str] = []
        for number, (note, indexes) in enumerate(scenes):
            if note is None and not indexes:
                continue
            heading = ""
            if note is not None:
                anchor = f"scene-{number}"
                label = _esc(note.heading or note.text or f"Scene {number}")
                toc.append(f'<li><a href="#{anchor}">{label}</a></li>')
                when = _time_tag(note.at, f"{_clock(note.at, 'UTC')} UTC")
                text = ""
                if note.text and note.heading:
                    text = f'<p class="scene-text">{self.r.mrkdwn(note.text)}</p>'
                heading = (
                    f'<h2 class="scene-heading" id="{anchor}">{label}'
                    f' <span class="scene-when">{when}</span></h2>{text}'
                )
            cards = "".join(self.card(i, self.default_viewer(self.entries[i])) for i in indexes)
            out.append(f'<section class="scene">{heading}{cards}</section>')
        return "".join(out), toc

    def cast(self) -> list[tuple[str, Person | None]]:
        """Everyone on the page: the people given, then any id the entries name that is not."""
        known = [(p.user_id, p) for p in self.people]
        seen = {p.user_id for p in self.people}
        for entry in self.entries:
            for user_id in (entry.actor, entry.recipient):
                if user_id and user_id not in seen:
                    seen.add(user_id)
                    known.append((user_id, None))
        return known

    def timelines(self) -> str:
        ordered = sorted(range(len(self.entries)), key=lambda i: _aware(self.entries[i].at))
        sections = []
        for number, (user_id, person) in enumerate(self.cast(), start=1):
            tz = person.tz if person else "UTC"
            mine = [
                i
                for i in ordered
                if self.entries[i].kind != "note"
                and user_id in (self.entries[i].actor, self.entries[i].recipient)
            ]
            rows: list[str] = []
            last_day: date | None = None
            for i in mine:
                day = _local(self.entries[i].at, tz).date()
                if day != last_day:
                    rows.append(f'<div class="day"><span>{_day_label(day)}</span></div>')
                    last_day = day
                rows.append(self.card(i, user_id))
            if not rows:
                rows.append('<p class="empty">Nothing happened for this person.</p>')
            count = f"{len(mine)} item{'s' if len(mine) != 1 else ''}"
            zone = _esc(_zone(tz).key)
            sections.append(
                f'<details class="person" id="person-{number}"><summary>'
                f'{self.r.avatar(user_id)} <span class="who">{_esc(self.r.name(user_id))}</span>'
                f'{self.role_tag(user_id)} <span class="when">{_esc(_city(tz))} ({zone}) · '
                f'{count}</span></summary><div class="timeline">{"".join(rows)}</div></details>'
            )
        return "".join(sections)

    def people_list(self) -> str:
        items = []
        for number, (user_id, person) in enumerate(self.cast(), start=1):
            tz = person.tz if person else "UTC"
            items.append(
                f'<li><a href="#person-{number}">{self.r.avatar(user_id, small=True)} '
                f"{_esc(self.r.name(user_id))}</a>{self.role_tag(user_id)} "
                f'<span class="when">{_esc(_city(tz))}</span></li>'
            )
        return "".join(items)


def render_page(entries: list[Entry], people: list[Person], title: str) -> str:
    """A complete, self-contained HTML page (inline CSS, no external assets, no JavaScript)."""
    page = _Page(list(entries), list(people))
    story, toc = page.story()
    timelines = page.timelines()
    moments = [e for e in entries if e.kind != "note"]
    span = ""
    if moments:
        first = min(_aware(e.at) for e in moments)
        last = max(_aware(e.at) for e in moments)
        span = f" from {_day_label(first.date())} to {_day_label(last.date())} (UTC)"
    scenes = f'<nav class="toc"><h3>Scenes</h3><ol>{"".join(toc)}</ol></nav>' if toc else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header class="page-head">
<h1>{_esc(title)}</h1>
<p class="summary">{len(moments)} moments, {len(page.cast())} people{span}.</p>
<div class="legend">
<span class="legend-item"><span class="avatar small" style="background:{_PALETTE[0]}">A</span>\
 a person did something, at <em>their</em> local time</span>
<span class="legend-item"><span class="avatar small app" style="background:{_APP_COLOR}">S</span>\
 Sprout wrote to someone, at the reader's local time</span>
<span class="legend-item"><span class="tag ephemeral">only visible to you</span> ephemeral</span>
<span class="legend-item"><span class="tag dm_update">edited</span> message updated in place</span>
<span class="legend-item"><span class="swatch form"></span> a form (modal)</span>
<span class="legend-item"><span class="swatch home"></span> a home tab</span>
</div>
<div class="index">{scenes}<nav class="toc"><h3>People</h3><ul>{page.people_list()}</ul></nav></div>
</header>
<main>
<h2 class="part">The story</h2>
{story}
<h2 class="part">Per-person timelines</h2>
<p class="note">Everything each person did or received, in their own local time.</p>
{timelines}
</main>
</body>
</html>
"""


_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f4f6;color:#1d1c1d;font:15px/1.46 -apple-system,BlinkMacSystemFont,
"Segoe UI",Lato,Roboto,Helvetica,Arial,sans-serif}
a{color:#1264a3;text-decoration:none}a:hover{text-decoration:underline}
.page-head{background:#3f0e40;color:#fff;padding:20px 28px}
.page-head h1{margin:0 0 4px;font-size:24px}
.page-head a{color:#fff}.page-head .summary{margin:0 0 12px;opacity:.85}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:13px}
.legend-item{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;border:2px solid #fff}
.swatch.form{background:#f8f8f8}.swatch.home{background:#e8f5fa}
.index{display:flex;flex-wrap:wrap;gap:12px 48px;margin-top:14px;font-size:13px}
.index h3{margin:0 0 4px;font-size:13px;text-transform:uppercase;letter-spacing:.05em;opacity:.8}
.index ol,.index ul{margin:0;padding-left:20px}.index ul{list-style:none;padding:0}
.index li{margin:2px 0}
main{max-width:940px;margin:0 auto;padding:8px 20px 60px}
h2.part{margin:28px 0 8px;font-size:20px;border-bottom:2px solid #ddd;padding-bottom:4px}
.note{color:#616061;margin:0 0 12px}
.scene-heading{font-size:17px;margin:22px 0 8px;color:#3f0e40}
.scene-when{font-size:12px;font-weight:400;color:#616061}
.scene-text{margin:-4px 0 10px;color:#454245}
.card{background:#fff;border:1px solid #e2e2e2;border-radius:8px;margin:8px 0;padding:10px 14px;
max-width:680px}
.msg{display:flex;gap:10px}
.msg-body{flex:1;min-width:0}
.msg-head{font-size:13px;color:#616061;margin-bottom:2px}
.who{font-weight:700;color:#1d1c1d;font-size:15px}
.when{color:#616061;font-size:12px}
.avatar{flex:none;display:inline-flex;align-items:center;justify-content:center;width:36px;
height:36px;border-radius:50%;color:#fff;font-weight:700;font-size:14px;vertical-align:middle}
.avatar.app{border-radius:8px}
.avatar.small{width:20px;height:20px;font-size:10px}.avatar.app.small{border-radius:5px}
.tag{display:inline-block;font-size:11px;line-height:16px;padding:0 5px;border-radius:3px;
background:#eee;color:#616061;font-weight:600;vertical-align:middle}
.tag.app{background:#e8e8e8;font-size:10px}
.tag.ephemeral{background:#fff4d6;color:#7a5b00}.tag.dm_update{background:#e8f0fe;color:#1264a3}
.tag.role{background:#f0e6f0;color:#6b2a6b}
.card.ephemeral{border-left:4px solid #e8b500}
.did{margin-top:2px}
code{font:12px/1.5 Monaco,Menlo,Consolas,"Courier New",monospace;color:#c01343;
background:#f8f8f8;border:1px solid #e2e2e2;border-radius:3px;padding:1px 3px}
code.command{color:#1d1c1d;font-size:13px;padding:2px 6px;display:inline-block}
pre.code{font:12px/1.5 Monaco,Menlo,Consolas,"Courier New",monospace;background:#f8f8f8;
border:1px solid #e2e2e2;border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap}
blockquote.quote{margin:4px 0;padding:0 0 0 10px;border-left:4px solid #ddd;color:#454245}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.blk{margin:4px 0}
.blk.header{font-size:18px;font-weight:900;margin:6px 0}
hr.blk.divider{border:0;border-top:1px solid #e2e2e2;margin:10px 0}
.blk.section{display:flex;gap:12px;align-items:flex-start}
.section-main{flex:1;min-width:0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:4px}
.accessory{flex:none;max-width:45%}
.blk.context{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;font-size:12px;
color:#616061}
.blk.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.btn{display:inline-block;font-size:13px;font-weight:700;padding:3px 12px;border-radius:4px;
border:1px solid #bbb;background:#fff;color:#1d1c1d;line-height:22px;white-space:nowrap}
.btn-primary{background:#007a5a;border-color:#007a5a;color:#fff}
.btn-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.btn.overflow{padding:3px 8px}
.select{display:inline-flex;align-items:center;gap:6px;min-width:180px;justify-content:space-between;
border:1px solid #bbb;border-radius:4px;padding:4px 8px;background:#fff;font-size:14px}
.select .caret{color:#616061}.picker{justify-content:flex-start}
.placeholder{color:#8d8d8d}
.chip{background:#f0f0f0;border-radius:3px;padding:0 4px;margin-right:4px}
.input-label{font-weight:700;margin-bottom:4px}
.optional{font-weight:400;color:#616061}
.hint{font-size:12px;color:#616061;margin-top:3px}
.blk.input{margin:12px 0}
.textbox{border:1px solid #bbb;border-radius:4px;padding:6px 10px;min-height:36px;background:#fff;
white-space:pre-wrap}
.textbox.multiline{min-height:88px}
.choices .option{display:flex;gap:8px;align-items:flex-start;margin:4px 0}
.checkbox,.radio{flex:none;display:inline-flex;align-items:center;justify-content:center;
width:16px;height:16px;margin-top:3px;border:1px solid #888;font-size:11px;color:#fff}
.checkbox{border-radius:3px}.radio{border-radius:50%;font-size:8px}
.option.checked .checkbox,.option.checked .radio{background:#1264a3;border-color:#1264a3}
.desc{font-size:12px;color:#616061}
.image-box,.img-el{display:flex;align-items:center;justify-content:center;background:#f0f0f0;
border:1px dashed #bbb;border-radius:6px;color:#616061;font-size:13px;text-align:center}
.image-box{min-height:120px;padding:10px}
.img-el{width:72px;height:72px;font-size:11px;overflow:hidden;padding:4px}
.context .img-el{display:inline-flex;width:auto;height:18px;font-size:10px;padding:0 4px}
figure.blk.image{margin:6px 0}.image-title{font-weight:700;font-size:14px;margin-bottom:4px}
details.fallback{font-size:12px;color:#616061;margin-top:4px}
details.unsupported{font-size:12px;color:#8a5a00;background:#fff8e6;padding:4px 8px;
border-radius:4px}
.card-meta{font-size:12px;color:#616061;margin-bottom:6px}
.card.form{background:transparent;border:0;padding:0}
.modal{background:#fff;border:1px solid #ccc;border-radius:8px;max-width:520px;
box-shadow:0 4px 14px rgba(0,0,0,.12)}
.modal-title{display:flex;align-items:center;gap:8px;font-size:18px;font-weight:900;
padding:14px 18px;border-bottom:1px solid #e2e2e2}
.modal-name{flex:1}.close-x{color:#616061;font-weight:400}
.modal-body{padding:6px 18px}
.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:12px 18px;
border-top:1px solid #e2e2e2}
.card.home{max-width:none;background:#fbfbfb}
.home-tab{background:#fff;border:1px solid #e2e2e2;border-radius:6px}
.home-tabs{display:flex;gap:18px;padding:8px 16px 0;border-bottom:1px solid #e2e2e2;font-size:13px;
color:#616061}
.home-tabs span{padding-bottom:6px}.home-tabs .on{color:#1d1c1d;font-weight:700;
border-bottom:2px solid #1264a3}
.home-body{padding:8px 16px}
details.person{background:#fff;border:1px solid #e2e2e2;border-radius:8px;margin:8px 0;
padding:8px 14px}
details.person>summary{cursor:pointer}
.timeline{margin-top:8px}.timeline .card{box-shadow:none}
.day{display:flex;align-items:center;margin:14px 0 6px;font-size:12px;font-weight:700;color:#454245}
.day::before,.day::after{content:"";flex:1;border-top:1px solid #e2e2e2}
.day span{border:1px solid #e2e2e2;border-radius:12px;padding:1px 12px;margin:0 8px;background:#fff}
.empty{color:#616061;font-style:italic}
ul,ol{margin:4px 0;padding-left:22px}
"""
