"""Tables (whole, or named SELECT queries) and notes from a SQL database through SQLAlchemy.

The database URL holds credentials, so it comes from an environment variable (source.sql.url_env) and
never enters the config, the logs or an error message. Values are turned into the strings the CSV export
would hold (datetimes as UTC "YYYY-MM-DDTHH:MM:SSZ", dates ISO, numbers without exponent), so a table
read from the database and the same table read from CSV give the same output.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from etl.sources.clinic_folder import SourceError
from schemas.config import SqlSourceConfig


def _engine(config: SqlSourceConfig) -> Any:
    from sqlalchemy import create_engine  # optional dependency: pip install clinetl[sql]

    url = os.environ.get(config.url_env, "")
    if not url:
        raise SourceError(f"source.sql: environment variable {config.url_env} (the database URL) is not set")
    return create_engine(url)


def sql_value(value: Any) -> str:
    """A database value as the CSV export writes it."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _frame(connection: Any, statement: Any) -> pd.DataFrame:
    result = connection.execute(statement)
    columns = list(result.keys())
    return pd.DataFrame([[sql_value(v) for v in row] for row in result], columns=columns, dtype=object)


def read_sql_source(config: SqlSourceConfig) -> dict[str, pd.DataFrame]:
    """Table name (lower case) -> frame of strings, for the configured tables (every table of the schema
    when none are named) and named queries. Connection errors name the variable, never the URL."""
    from sqlalchemy import MetaData, Table, inspect, select, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = _engine(config)
    try:
        with engine.connect() as connection:
            names = config.tables or inspect(connection).get_table_names(schema=config.schema_name)
            frames = {}
            for name in sorted(names):
                table = Table(name, MetaData(), schema=config.schema_name, autoload_with=connection)
                frames[name.lower()] = _frame(connection, select(table))
            for name, query in config.queries.items():
                frames[name.lower()] = _frame(connection, text(query))
            return frames
    except SQLAlchemyError as exc:
        raise SourceError(
            f"source.sql: database read failed ({type(exc).__name__}); check {config.url_env} and the table names"
        ) from None
    finally:
        engine.dispose()
