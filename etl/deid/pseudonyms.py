"""Persistent random surrogate keys (HIPAA §164.514(c): not derived from the identifier).

The mapping lives in OUT/restricted/pseudonyms.sqlite3 so the same patient gets the same key across
tables, notes and nightly runs into the same output folder.

Random, yet reproducible: each new value is drawn from a generator seeded by the store's own secret (32
random bytes made with the store), the namespace and how many values that namespace already holds, never
by the original value. So a run killed before it could save its new values, and run again, draws exactly
what an uninterrupted run from the same store would have drawn; another output folder has another secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

_PREFIX_LEN = 3


class PseudonymStore:
    def __init__(self, path: Path | None) -> None:
        """`path` None keeps the mapping in memory (one `deid-text` invocation)."""
        self.path = path
        if path is None:
            self._db = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            path.chmod(0o600)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS pseudonyms (namespace TEXT, original TEXT, surrogate TEXT,"
            " PRIMARY KEY (namespace, original))"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS store_secret (secret BLOB)")
        row = self._db.execute("SELECT secret FROM store_secret").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO store_secret VALUES (?)", (secrets.token_bytes(32),))
            row = self._db.execute("SELECT secret FROM store_secret").fetchone()
        self._secret: bytes = row[0]
        self._cache: dict[str, dict[str, str]] = {}
        self._new: list[tuple[str, str, str]] = []

    def mint_seed(self, namespace: str) -> int:
        """The seed for the next new value of `namespace`: from the store's secret, the namespace and how
        many values it holds (never from the value to be replaced)."""
        message = f"{namespace}\x00{len(self._namespace(namespace))}".encode()
        return int.from_bytes(hmac.new(self._secret, message, hashlib.sha256).digest()[:8], "big")

    def _namespace(self, namespace: str) -> dict[str, str]:
        if namespace not in self._cache:
            rows = self._db.execute("SELECT original, surrogate FROM pseudonyms WHERE namespace = ?", (namespace,))
            self._cache[namespace] = dict(rows.fetchall())
        return self._cache[namespace]

    def get(self, namespace: str, original: str) -> str:
        """The surrogate for `original`, minted at random on first sight."""
        mapping = self._namespace(namespace)
        surrogate = mapping.get(original)
        if surrogate is None:
            surrogate = f"{namespace[:_PREFIX_LEN]}-{self.mint_seed(namespace):016x}"
            mapping[original] = surrogate
            self._new.append((namespace, original, surrogate))
        return surrogate

    def originals(self, namespace: str) -> dict[str, str]:
        """surrogate -> original for one namespace (the audit log's way back to source record ids)."""
        return {surrogate: original for original, surrogate in self._namespace(namespace).items()}

    def get_or_mint(self, namespace: str, original: str, mint: Callable[[], str]) -> str:
        """The stored value for `original`, or a new one from `mint` (which must not look at `original`)."""
        mapping = self._namespace(namespace)
        value = mapping.get(original)
        if value is None:
            value = mint()
            mapping[original] = value
            self._new.append((namespace, original, value))
        return value

    def commit(self) -> None:
        with self._db:
            self._db.executemany("INSERT INTO pseudonyms VALUES (?, ?, ?)", self._new)
        self._new.clear()

    def close(self) -> None:
        self.commit()
        self._db.close()

    def __enter__(self) -> PseudonymStore:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._db.close()
