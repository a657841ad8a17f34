"""How handlers are built: what they may read and import, checked on the source itself."""

from __future__ import annotations

from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
MODULES = sorted(HANDLERS.glob("*.py"))


def test_no_handler_reads_the_clock_itself():
    offenders = [p.name for p in MODULES if "services.now(" in p.read_text()]
    assert offenders == [], "a request reads the clock once, in middleware: use now_of(context)"
