"""Every prompt loads, renders with sample values, and fits Slack's limits."""

from __future__ import annotations

import pytest

from bot import prompts
from bot.prompts import PromptError, Safe, placeholders, render

SAMPLE = {
    "count": 3,
    "limit": 5,
    "days": 9,
    "n": 2,
}


def sample_value(name: str) -> object:
    return SAMPLE.get(
        name, Safe(f"<@U{name.upper()[:8]}>") if "person" in name else f"sample {name}"
    )


@pytest.mark.parametrize("key", sorted(prompts.catalogue()))
def test_every_prompt_renders_within_a_section(key: str):
    for index, template in enumerate(prompts.variants(key)):
        values = {name: sample_value(name) for name in placeholders(template)}
        text = render(key, rotate=index, **values)
        assert text.strip(), key
        assert len(text) <= 3000, key
        assert "{" not in text.replace("{{", ""), f"unfilled placeholder in {key}"


def test_a_missing_value_is_an_error_not_a_blank():
    with pytest.raises(PromptError):
        render("team.add.bot")


def test_unknown_keys_are_errors():
    with pytest.raises(PromptError):
        render("team.nope")


def test_user_text_is_escaped_but_safe_text_is_not():
    text = render("team.hand_typed", names="<!channel> & <@U1>")
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in text
    assert "<@U1>" in render("team.add.bot", person=prompts.mention("U1"))


def test_variants_rotate():
    first = render("nudge.praise", rotate=0, person="x", title="y")
    second = render("nudge.praise", rotate=1, person="x", title="y")
    assert first != second
