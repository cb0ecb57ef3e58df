"""Provides the benchmarks' fresh PostgreSQL stores: one new schema of a database per run.

`fresh_schema_url(base, label)` drops and recreates schema `bench_<label>` in the database
of `base` (a PostgreSQL URL) and returns `base` with that schema as its search path, so a
`Store.open` of it migrates an empty store; `drop_schemas(base)` removes every `bench_*`
schema at the end of a benchmark.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PREFIX = "bench_"


def fresh_schema_url(base: str, label: str) -> str:
    """`base` pointed at a new, empty schema named after `label` (any earlier one of that name dropped)."""
    schema = PREFIX + label.replace("-", "_")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    return make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def drop_schemas(base: str) -> None:
    """Remove every schema `fresh_schema_url` made in the database of `base`."""
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            pattern = PREFIX.replace("_", "\\_") + "%"
            for (schema,) in conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": pattern}).all():
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()
