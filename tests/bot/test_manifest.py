"""The manifest people create the app from lists every command and shortcut the app handles."""

from __future__ import annotations

from pathlib import Path

from handlers import MODULES

MANIFEST = (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")


def test_every_slash_command_and_shortcut_is_in_the_manifest():
    for module in MODULES:
        command = getattr(module, "COMMAND", None)
        if command:
            assert f"- command: {command}\n" in MANIFEST, command
        shortcut = getattr(module, "SHORTCUT", None)
        if shortcut:
            assert f"callback_id: {shortcut}\n" in MANIFEST, shortcut
