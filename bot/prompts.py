"""Every sentence the bot says lives in `prompts/*.toml`; this module renders them.

A key is `<file stem>.<table>.<name>`; a value is a template string or a list of
variants (rotated so repeated messages do not grate). Values are Slack-escaped unless
wrapped in `Safe`, so nothing a user types can break a message.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(KeyError):
    """A missing key or an unknown placeholder: a bug, caught by the prompt tests."""


class Safe(str):
    """Text we produced ourselves (mentions, links, formatted lists): inserted as is."""


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup control."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> Safe:
    return Safe(f"<@{user_id}>")


def link(url: str, label: str) -> Safe:
    return Safe(f"<{url}|{escape(label).replace('|', '¦')}>")


@cache
def catalogue() -> dict[str, list[str]]:
    """All prompts, flattened to dotted keys, each as a list of variants."""
    flat: dict[str, list[str]] = {}
    for path in sorted(PROMPTS_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(path.stem, tomllib.load(handle), flat)
    return flat


def _flatten(prefix: str, data: dict[str, Any], out: dict[str, list[str]]) -> None:
    for key, value in data.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        elif isinstance(value, str):
            out[name] = [value]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out[name] = value
        else:
            raise PromptError(f"prompt {name} must be a string or a list of strings")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def variants(key: str) -> list[str]:
    try:
        return catalogue()[key]
    except KeyError:
        raise PromptError(f"no prompt named {key!r}") from None


def render(key: str, rotate: int = 0, **values: Any) -> str:
    """Render variant `rotate` (modulo the count) of prompt `key` with `values`."""
    options = variants(key)
    template = options[rotate % len(options)]
    wanted = placeholders(template)
    missing = wanted - values.keys()
    if missing:
        raise PromptError(f"prompt {key!r} needs {sorted(missing)}")
    return template.format(**{name: _clean(values[name]) for name in wanted})


def plural(key: str, count: int, **values: Any) -> str:
    """`key.one` when `count` is 1, else `key.other`, with `count` among the values."""
    return render(f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)


def _clean(value: Any) -> str:
    if isinstance(value, Safe):
        return str(value)
    return escape(str(value))
