"""Provides the do-not-collect hashes: HMAC-SHA256 with a per-installation secret.

A plain `sha256(kind, value)` lets anyone holding the database confirm a guessed URL
was erased. Entries are therefore keyed: `HMAC(secret, kind \\0 value)`, with a random
32-byte secret created on first use, mode 0600, beside the database file
(`<db file>.dnc-key`; for a database server or `:memory:`, `<user data dir>/dnc.key`, or
the file `SOURCING_DNC_KEY_FILE` names). Without the secret the hashes confirm nothing.
A server store is written by several machines, which must share one secret: the store
keeps its fingerprint (never the secret) and refuses a machine with another one.

Entries written before the secret existed are plain SHA-256. Their values are not
known (only hashes were kept), so they cannot be re-keyed: lookups still check that
form too, so those people stay uncollected.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from sourcing.errors import StoreError

KEY_BYTES = 32


def legacy_hash(source_kind: str, value: str) -> str:
    """The pre-HMAC form: `sha256(kind \\0 value)` (checked on lookup, never written)."""
    return hashlib.sha256(f"{source_kind}\x00{value.strip().lower()}".encode()).hexdigest()


def keyed_hash(key: bytes, source_kind: str, value: str) -> str:
    """`HMAC-SHA256(key, kind \\0 value)` as hex: what is written."""
    return hmac.new(key, f"{source_kind}\x00{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def key_path(store: Any) -> Path:
    """Where this store's secret lives: beside a SQLite file, else in the user data dir."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.name + ".dnc-key")
    shared = os.environ.get("SOURCING_DNC_KEY_FILE")
    if shared:  # a team's one secret, wherever the deployment keeps it (docs/deploy.md)
        return Path(shared)
    from sourcing.config import data_dir

    return data_dir() / "dnc.key"


def load_key(store: Any, *, create: bool) -> bytes | None:
    """Return the store's secret (cached on the store), creating it 0600 when `create`.

    Returns None when there is no secret yet and `create` is false (nothing keyed was written).

    Raises:
        StoreError: the secret cannot be created or read.
    """
    cached = getattr(store, "_dnc_key", None)
    if cached is not None:
        return cached
    path = key_path(store)
    server = store.engine.url.get_backend_name() != "sqlite"  # several machines may write it
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            if server:
                check_team_key(store, None, path)
            return None
        key = secrets.token_bytes(KEY_BYTES)
        if not path.parent.exists() and path.name == "dnc.key":  # the user data dir (a server store): the one folder we create
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            key = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot create the do-not-collect secret {path}: {exc.strerror}. Check the folder is writable.") from exc
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
    except OSError as exc:
        raise StoreError(f"cannot read the do-not-collect secret {path}: {exc.strerror}") from exc
    if len(key) < 16:
        raise StoreError(f"the do-not-collect secret {path} is damaged ({len(key)} bytes); restore it from a backup")
    if server:
        check_team_key(store, key, path)
    store._dnc_key = key
    return key


def fingerprint(key: bytes) -> str:
    """What the store keeps of a server store's secret: an HMAC of a fixed text (the key stays secret)."""
    return hmac.new(key, b"sourcing do-not-collect key fingerprint", hashlib.sha256).hexdigest()[:32]


def check_team_key(store: Any, key: bytes | None, path: Path) -> None:
    """Refuse a machine whose secret is not the one the server store's entries are keyed with.

    Several machines write one PostgreSQL store: an erasure keyed on one machine must be
    recognised on every other, so they must share the secret. The first machine to use one
    records its fingerprint (`store_meta`); another machine with a different secret, or with
    none while keyed entries exist, gets a StoreError saying how to share it.
    """
    from sqlalchemy import select

    from sourcing.storage import schema as t
    from sourcing.storage.dialect import insert_for

    with store.transaction() as conn:
        if key is not None:
            conn.execute(insert_for(conn, t.store_meta).values(name="dnc_key_fingerprint", value=fingerprint(key))
                         .on_conflict_do_nothing(index_elements=["name"]))
        known = conn.execute(select(t.store_meta.c.value).where(t.store_meta.c.name == "dnc_key_fingerprint")).scalar()
    if known is None or (key is not None and known == fingerprint(key)):
        return
    have = f"has another secret ({path})" if key is not None else f"has no secret ({path} is missing)"
    raise StoreError(f"this machine {have}, but this store's do-not-collect entries were keyed with another "
                     f"(fingerprint {known[:8]}…): copy the team's secret to {path} (mode 0600) or point "
                     "SOURCING_DNC_KEY_FILE at it — otherwise people erased on another machine would be collected here")


def write_hash(store: Any, source_kind: str, value: str) -> str:
    """The hash to store for a new entry (keyed; the secret is created if needed)."""
    key = load_key(store, create=True)
    assert key is not None
    return keyed_hash(key, source_kind, value)


def lookup_hashes(key: bytes | None, source_kind: str, value: str) -> list[str]:
    """Every form an entry for this value may have been stored in: keyed, and the legacy plain hash."""
    forms = [legacy_hash(source_kind, value)]
    if key is not None:
        forms.insert(0, keyed_hash(key, source_kind, value))
    return forms


class HashSet(set):
    """A source kind's stored hashes, with the secret to test values against them (see `is_blocked`)."""

    key: bytes | None = None
