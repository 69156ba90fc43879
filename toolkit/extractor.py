"""What an extractor is: a named, versioned producer of one table with a declared schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from toolkit.nlp import ANALYSES
from toolkit.schemas import LINK_ROLES

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from toolkit.corpus import Document
    from toolkit.plugins import ToolkitPluginManager


@dataclass
class ExtractorContext:
    """What the core hands an extractor once per process, before any document."""

    plugin_manager: "ToolkitPluginManager"

    def lexicon(
        self, name: str, *, rows: list[dict[str, str]] | None = None, key: Sequence[str] | None = None
    ) -> list[dict[str, str]]:
        """Rows of lexicon ``name``: ``rows`` (the owner's data file; the core's file without them)
        with what plugins add, replace (rows with the same ``key`` columns) or remove."""
        from toolkit.lexicons import load_lexicon

        return load_lexicon(name, rows=rows, plugin_manager=self.plugin_manager, key=key)


class ExtractFunction(Protocol):
    def __call__(self, doc: "Doc", document: "Document") -> list[dict[str, Any]] | pl.DataFrame: ...


@dataclass
class Extractor:
    """One table producer.

    ``extract(doc, document)`` gets a spaCy ``Doc`` and the ``Document`` it came from and returns
    rows (dicts) or a polars frame of ``schema``. Offsets are character offsets into ``doc.text``:
    ``start`` and ``end``, and any integer column named ``*_start`` or ``*_end`` (such as
    ``claim_start``); the core shifts them all when a long document was parsed in segments. ``setup(context)``, when
    given, runs once per process before the first document (load lexicons there).
    ``links_as`` names the part its rows play in linked claims (a key of
    ``toolkit.schemas.LINK_ROLES``: ``figure``, ``source``, ``place`` or ``period``); the schema
    must then hold that role's columns; the linker also reads the role's columns of
    ``toolkit.schemas.LINK_ROLE_OPTIONS`` when the schema has them. An extractor without it is
    left out of the linking.
    ``keys`` (figure tables only) names the columns that tell two of its claims apart besides the
    figure (``status``, ``category``, a plugin's ``movement``): claims carry them, two mentions of
    one figure with different keys stay two claims, the explorer offers them as filters and
    ``toolkit evaluate`` matches gold items on the figure and these columns.
    ``needs`` names what it reads of the parse (keys of ``toolkit.nlp.ANALYSES``: ``sentences``,
    ``parse``, ``tags``, ``lemmas``, ``entities``); only the pipeline components that the
    extractors of a run need are run. It defaults to all of them; an empty set means the
    tokens alone.
    """

    name: str
    version: int
    languages: frozenset[str]
    schema: pl.Schema
    extract: ExtractFunction
    setup: Any = None
    description: str = ""
    links_as: str | None = None
    needs: frozenset[str] = frozenset(ANALYSES)
    keys: tuple[str, ...] = ()
    plugin: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        self.languages = frozenset(self.languages)
        self.needs = frozenset(self.needs)
        unknown = sorted(self.needs - set(ANALYSES))
        if unknown:
            raise ValueError(f"extractor {self.name!r}: needs {unknown} unknown; choose among {sorted(ANALYSES)}")
        if not self.name.isidentifier():
            raise ValueError(f"extractor name {self.name!r} must be a Python identifier (it names a table)")
        for column in ("doc_id", "start", "end", "text"):
            if column not in self.schema:
                raise ValueError(f"extractor {self.name!r}: schema lacks the span column {column!r}")
        if self.links_as is not None:
            if self.links_as not in LINK_ROLES:
                raise ValueError(f"extractor {self.name!r}: links_as must be one of {sorted(LINK_ROLES)}, not {self.links_as!r}")
            missing = [column for column in LINK_ROLES[self.links_as] if column not in self.schema]
            if missing:
                raise ValueError(f"extractor {self.name!r}: a {self.links_as} table needs the column(s) {missing}")
        self.keys = tuple(self.keys)
        if self.keys and self.links_as != "figure":
            raise ValueError(f"extractor {self.name!r}: keys tell claims apart; only a figure table (links_as='figure') declares them")
        undeclared = [column for column in self.keys if column not in self.schema]
        if undeclared:
            raise ValueError(f"extractor {self.name!r}: keys {undeclared} are not columns of its schema")

    @property
    def id(self) -> str:
        """Name and version, as in ``casualties.v1``."""
        return f"{self.name}.v{self.version}"

    def supports(self, lang: str | None) -> bool:
        return "*" in self.languages or lang in self.languages
