"""How handlers are built: what they may read and import, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
MODULES = sorted(HANDLERS.glob("*.py"))


def test_no_handler_reads_the_clock_itself():
    offenders = [p.name for p in MODULES if "services.now(" in p.read_text()]
    assert offenders == [], "a request reads the clock once, in middleware: use now_of(context)"


# Handlers not yet moved to use cases (issue 10): each leaves this list as it moves.
NOT_YET_THIN: set[str] = set()
FORBIDDEN = ("bot.models", "bot.db")


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, `from a import b` counted as both a and a.b."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_handlers_only_translate_they_reach_no_tables_and_no_other_handlers():
    offenders = {}
    for path in MODULES:
        if path.name in NOT_YET_THIN or path.name == "__init__.py":
            continue
        wrong = sorted(name for name in imported_modules(path) if _reaches_too_far(name))
        if wrong:
            offenders[path.name] = wrong
    assert offenders == {}, "a handler calls a use case (bot.usecase.perform), nothing deeper"


def _reaches_too_far(module: str) -> bool:
    parts = module.split(".")
    if parts[0] == "handlers":
        return len(parts) > 1 and parts[1] != "common"
    return any(module == f or module.startswith(f"{f}.") for f in FORBIDDEN)
