from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db import make_engine, upgrade
from bot.models import Base


def test_migrations_build_exactly_the_models(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine)  # idempotent on an up-to-date database
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
