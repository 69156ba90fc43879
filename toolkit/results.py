"""The result of a run: one frame per extractor plus ``documents`` and ``errors``, kept as parquet."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.reviews import REVIEWS, apply_reviews, read_reviews
from toolkit.schemas import CLAIMS, DOCUMENTS, ERRORS, empty_frame

MANIFEST = "manifest.json"


def write_manifest(directory: Path, tables: list[str], extractors: dict[str, Any]) -> None:
    """``manifest.json``: the tables of a results folder, the extractors that wrote them and the
    versions of the toolkit, Python, spaCy and the pipelines (what produced the analysis)."""
    from toolkit.about import versions

    manifest = {"tables": tables, "extractors": extractors, "versions": versions()}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
RESERVED = {"documents", "claims", "errors"}
#: Files of a results folder that are not extraction tables.
_NOT_TABLES = RESERVED | {"reviews"}


@dataclass
class Results:
    """Tables of one run. ``results["casualties"]`` is a polars DataFrame; so are
    ``results.documents``, ``results.claims`` (the figures linked to their source, outlet, place
    and period, see ``toolkit.link_claims``) and ``results.errors``. ``extractors`` describes who
    made each table. Read from a folder, ``directory`` is that folder, ``reviews`` the reviews kept
    there (``toolkit.reviews``, applied to the claims) and ``unmatched_reviews`` those that match
    no claim of this run."""

    documents: pl.DataFrame = field(default_factory=lambda: empty_frame(DOCUMENTS))
    errors: pl.DataFrame = field(default_factory=lambda: empty_frame(ERRORS))
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    claims: pl.DataFrame = field(default_factory=lambda: empty_frame(CLAIMS))
    extractors: dict[str, dict[str, Any]] = field(default_factory=dict)
    directory: Path | None = None
    reviews: pl.DataFrame = field(default_factory=lambda: empty_frame(REVIEWS))
    unmatched_reviews: pl.DataFrame = field(default_factory=lambda: empty_frame(REVIEWS))

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name == "documents":
            return self.documents
        if name == "errors":
            return self.errors
        if name == "claims":
            return self.claims
        return self.tables[name]

    def __contains__(self, name: str) -> bool:
        return name in RESERVED or name in self.tables

    @property
    def names(self) -> list[str]:
        return ["documents", *self.tables, "claims", "errors"]

    def write(self, directory: str | Path) -> Path:
        """Write ``documents.parquet``, ``claims.parquet``, ``errors.parquet``, one
        ``<table>.parquet`` per extractor and ``manifest.json`` into ``directory`` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in self.names:
            self[name].write_parquet(directory / f"{name}.parquet")
        write_manifest(directory, list(self.tables), self.extractors)
        return directory

    @classmethod
    def read(cls, directory: str | Path, *, reviews: bool = True) -> "Results":
        """Read back a folder written by ``write`` (or by ``toolkit extract``), with the reviews
        kept there applied to the claims (``reviews=False``: the claims as extracted)."""
        directory = Path(directory)
        if (directory / "parts" / "run.json").exists():
            raise FileNotFoundError(f"{directory} holds an unfinished run: finish it with toolkit extract --resume (resume=True) first")
        if not (directory / "documents.parquet").exists():
            raise FileNotFoundError(f"{directory} holds no documents.parquet: not a toolkit output folder")
        manifest_path = directory / MANIFEST
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        names = manifest.get("tables") or sorted(
            path.stem for path in directory.glob("*.parquet") if path.stem not in _NOT_TABLES
        )
        errors_path, claims_path = directory / "errors.parquet", directory / "claims.parquet"
        claims = pl.read_parquet(claims_path) if claims_path.exists() else empty_frame(CLAIMS)
        kept = read_reviews(directory) if reviews else empty_frame(REVIEWS)
        claims, unmatched = apply_reviews(claims, kept)
        return cls(
            documents=pl.read_parquet(directory / "documents.parquet"),
            errors=pl.read_parquet(errors_path) if errors_path.exists() else empty_frame(ERRORS),
            claims=claims,
            tables={name: pl.read_parquet(directory / f"{name}.parquet") for name in names if (directory / f"{name}.parquet").exists()},
            extractors=manifest.get("extractors", {}),
            directory=directory,
            reviews=kept,
            unmatched_reviews=unmatched,
        )

    def summary(self) -> str:
        """A few readable lines: documents by status and language, rows per table, errors."""
        documents = self.documents
        ok = documents.filter(pl.col("status") == "ok")
        languages = Counter(ok["lang"].to_list())
        lines = [
            f"documents: {documents.height} read, {ok.height} processed"
            + (f" ({', '.join(f'{count} {lang}' for lang, count in sorted(languages.items()))})" if languages else "")
        ]
        for status, count in sorted(Counter(documents.filter(pl.col("status") != "ok")["status"].to_list()).items()):
            lines.append(f"  {count} {status}")
        for name, frame in self.tables.items():
            described = self.extractors.get(name, {}).get("id", name)
            lines.append(f"{name}: {frame.height} rows from {frame['doc_id'].n_unique()} documents ({described})" + _breakdown(name, frame))
        if self.claims.height:
            linked = ", ".join(f"{part} {self.claims[part].drop_nulls().len()}" for part in ("claimant", "outlet", "place", "period"))
            lines.append(f"claims: {self.claims.height} from {self.claims['doc_id'].n_unique()} documents, with {linked}")
        if self.reviews.height:
            decisions = Counter(self.claims.filter(pl.col("review") != "unreviewed")["review"].to_list())
            lines.append(f"reviews: {', '.join(f'{count} {decision}' for decision, count in sorted(decisions.items()))}"
                         + (f"; {self.unmatched_reviews.height} match no claim of this run (see unmatched_reviews)" if self.unmatched_reviews.height else ""))
        lines.append(f"errors: {self.errors.height}")
        for row in self.errors.head(5).iter_rows(named=True):
            lines.append(f"  {row['doc_id']} [{row['extractor']}] {row['message'][:120]}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Results({', '.join(f'{name}={self[name].height}' for name in self.names)})"


def _breakdown(name: str, frame: pl.DataFrame) -> str:
    """The most telling column's value counts, for a one-line summary."""
    for column in ("status", "category", "kind", "source_kind"):
        if column in frame.columns and frame.height:
            counts = Counter(value for value in frame[column].to_list() if value is not None)
            return ": " + ", ".join(f"{value} {count}" for value, count in counts.most_common(6))
    return ""
