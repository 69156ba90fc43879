"""Parsed documents kept on disk, so that extractors can be run again without parsing again.

A parse is stored under the hash of its text and a pipeline version: the pipeline package and
its version, spaCy's version and the components that ran. Editing a lexicon or an extractor
keeps the parses; changing the pipeline or the components a run needs makes new ones. One
SQLite file holds the cache; several processes of one machine may share it.

What the cache returns is checked: a parse whose text is not the document's (a hash collision or an
entry written under the wrong key) or that cannot be read back (a damaged entry) is parsed again and
replaced; a cache file that is not a database is set aside (``parses.sqlite.damaged``) and a new one
started.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import warnings
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CACHE_FILE = "parses.sqlite"


def pipeline_version(nlp: "Language", components: Sequence[str]) -> str:
    """A short key naming ``nlp`` and the ``components`` of it that run."""
    import spacy

    meta = nlp.meta
    described = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}|spacy-{spacy.__version__}|{','.join(components)}"
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:16]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ParseCache:
    """A store of ``Doc`` objects in ``directory`` (created if needed)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise NotADirectoryError(f"the parse cache {self.directory} is a file, not a folder")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / CACHE_FILE
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self.hits = 0
        self.misses = 0

    def __getstate__(self) -> dict:
        return {"directory": self.directory}  # a connection is never shared between processes

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["directory"])

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            try:
                connection = self._connect()
            except sqlite3.DatabaseError as exc:  # "file is not a database" and kin
                damaged = self.path.with_name(self.path.name + ".damaged")
                warnings.warn(f"the parse cache {self.path} is damaged ({exc}); set aside as {damaged.name}, starting a new one", stacklevel=2)
                os.replace(self.path, damaged)
                for suffix in ("-wal", "-shm"):
                    self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                connection = self._connect()
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=120, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS parses (pipeline TEXT, text_hash TEXT, doc BLOB, PRIMARY KEY (pipeline, text_hash))"
        )
        return connection

    def get_many(self, pipeline: str, texts: Mapping[str, str], nlp: "Language") -> dict[str, "Doc"]:
        """The cached parses of ``texts`` (text by hash), by hash; only those that read back
        whole and whose text is the one asked for."""
        from spacy.tokens import Doc

        found: dict[str, Doc] = {}
        unique = list(texts)
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self.connection.execute(
                f"SELECT text_hash, doc FROM parses WHERE pipeline = ? AND text_hash IN ({marks})", [pipeline, *batch]
            )
            for key, data in rows:
                try:
                    doc = Doc(nlp.vocab).from_bytes(zlib.decompress(data))
                except Exception:  # a damaged entry (zlib, msgpack, spaCy errors): parsed again
                    continue
                if doc.text == texts[key]:
                    found[key] = doc
        self.hits += len(found)
        self.misses += len(texts) - len(found)
        return found

    def put_many(self, pipeline: str, parsed: dict[str, "Doc"]) -> None:
        """Store parses by text hash (the annotations, not the tensors nor ``user_data``)."""
        rows = [
            (pipeline, key, zlib.compress(doc.to_bytes(exclude=["tensor", "user_data"]), 1))
            for key, doc in parsed.items()
        ]
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.executemany("INSERT OR REPLACE INTO parses VALUES (?, ?, ?)", rows)  # replaces a damaged entry
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def __len__(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM parses").fetchone()[0]
