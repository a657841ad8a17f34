"""Alembic environment: runs on the connection the app hands over, or on sqlalchemy.url."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.models import Base

config = context.config
target_metadata = Base.metadata
SLACK_SDK_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")


def include_name(name, type_, parent_names):  # type: ignore[no-untyped-def]
    """slack-sdk owns its store tables (migration 0008): autogenerate leaves them alone."""
    return not (type_ == "table" and name in SLACK_SDK_TABLES)


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=conn.dialect.name == "sqlite",
        )
        context.run_migrations()


run()
