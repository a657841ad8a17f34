"""`make demo` plays its whole script against the real app, and the transcript tells the story."""

from __future__ import annotations

from bot import prompts
from bot.dev.demo import Transcript, play
from bot.dev.harness import Sprout


def test_the_demo_script_plays_through_and_shows_the_feedback_scene(sprout: Sprout):
    lines: list[str] = []
    play(sprout, Transcript(sprout, out=lines.append))
    text = "\n".join(lines)

    scene = text[text.index("== Tuesday: Maya gives feedback") :]
    assert "Saved praise for @Ravi" in scene
    assert "Sprout -> Ravi" in scene and "Some praise from @Maya" in scene
    assert "Saved a redirect for @Ana on #handoffs" in scene
    assert "That's the 2nd redirect about @Ana on #handoffs in the last 90 days." in scene
    assert any(variant in scene for variant in prompts.variants("feedback.guide.curious"))
    assert "Sprout (shows a form):" in scene and "Who is it about?: @Ana" in scene
    assert "Sprout -> Ana" in scene and "The message it's about (https://" in scene
    assert "*Feedback about @Ana that you can see* (3)" in scene
    assert "<@" not in text and "&lt;" not in text  # the transcript reads like Slack looks
