"""How handlers are built: what they may read and import, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
MODULES = sorted(HANDLERS.glob("*.py"))


def test_no_handler_reads_the_clock_itself():
    offenders = [p.name for p in MODULES if "services.now(" in p.read_text()]
    assert offenders == [], "a request reads the clock once, in middleware: use now_of(context)"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (`from a.b import c` counts as a.b and a.b.c)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


# Handlers already moved onto use cases (the others follow, then this covers MODULES).
THIN = ("checkin", "coach", "settings")


@pytest.mark.parametrize("name", THIN)
def test_a_handler_reaches_the_database_only_through_use_cases(name: str):
    imported = imported_modules(HANDLERS / f"{name}.py")
    heads = {tuple(m.split(".")[:2]) for m in imported}
    forbidden = heads & {("bot", "models"), ("bot", "db")}
    handlers = {h for h in heads if h[0] == "handlers" and h != ("handlers", "common")}
    assert forbidden == set(), "handlers call one use case through perform: no models, no db"
    assert handlers == set(), "handlers share only handlers.common"
