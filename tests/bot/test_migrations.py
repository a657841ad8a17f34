from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db import make_engine, upgrade
from bot.models import Base


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name.startswith("slack_"))


def test_migrations_build_exactly_the_models(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine)  # idempotent on an up-to-date database
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
