"""README's commands table, read as a newcomer reads it: every example is a command Sprout
understands, and `/coach help` and the manifest's usage hints agree with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bot.prompts import render
from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import Sprout

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MANIFEST = (ROOT / "manifest.yml").read_text(encoding="utf-8")
NOT_UNDERSTOOD = ("I don't know", "I couldn't read", render("common.not_understood"))


def table() -> list[str]:
    """The first cell of each row of README's commands table."""
    rows = README.split("## Commands", 1)[1].strip().split("\n\n", 1)[0].splitlines()[2:]
    return [row.split(" | ", 1)[0].removeprefix("| ") for row in rows]


def examples() -> Iterator[str]:
    """Each command the table shows, shorthand written out: in "`/checkin time 09:45` ·
    `days sun-thu`" the second is `/checkin days sun-thu`, and in "`/coach 1on1 @a every
    tue 14:00` · `off`" it is `/coach 1on1 @a off`."""
    for cell in table():
        prefix = ""
        for piece in re.findall(r"`([^`]+)`", cell):
            if piece.startswith("/"):
                words = piece.split()
                named = [i for i, word in enumerate(words) if word.startswith("@")]
                prefix = " ".join(words[: named[-1] + 1] if named else words[:1])
                yield piece
            elif prefix:
                yield f"{prefix} {piece}"


def verbs() -> dict[str, set[str]]:
    """Each command's first words in the table: `/team` -> {"add", "remove", "help"}."""
    found: dict[str, set[str]] = {}
    for example in examples():
        command, *words = example.split()
        if words and re.fullmatch(r"[a-z0-9]+", words[0]) and words[0] not in ("every", "once"):
            found.setdefault(command, set()).add(words[0])
    return found


def test_every_command_in_the_table_is_one_sprout_understands(sprout: Sprout):
    mention = {"@a": f"<@{RAVI.user_id}|ravi>", "@b": f"<@{ANA.user_id}|ana>"}
    tried = 0
    for example in examples():
        sprout.command(MAYA.user_id, "/team", f"add {mention['@a']}")  # `/team remove` undoes it
        command, _, text = example.partition(" ")
        text = re.sub(r"@[ab]\b", lambda m: mention[m.group(0)], text.replace("\\|", "|"))
        reply = sprout.command(MAYA.user_id, command, text)
        assert reply.status == 200, example
        said = reply.text or ""
        assert not any(words in said for words in NOT_UNDERSTOOD), (example, said)
        tried += 1
    assert tried > 40


def test_coach_help_names_every_command_and_the_table_lists_each_help():
    usage = render("coach.usage")
    for command, words in verbs().items():
        assert f"`{command}" in usage, command
        if command != "/coach":
            assert "help" in words, f"{command} help is missing from the table"
    assert "`/feedback ask" in usage


def test_the_manifest_usage_hints_name_only_what_the_table_documents():
    documented = verbs()
    hints = re.findall(r"- command: (/\w+)\n.*?usage_hint: \"(.*?)\"", MANIFEST, re.S)
    assert len(hints) == 5
    for command, hint in hints:
        firsts = [part.strip("[] ").split(" ")[0] for part in hint.split(" | ")]
        words = {word for word in firsts if re.fullmatch(r"[a-z0-9]+", word)}
        assert words <= documented[command], (command, words - documented[command])
