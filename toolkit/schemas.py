"""Declared schemas of the output tables and the checks the core applies to every frame."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

#: Columns every extraction row carries: where the evidence lies in the document's text.
SPAN_COLUMNS: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.String(),
}

DOCUMENTS = pl.Schema(
    {
        "doc_id": pl.String(),
        "lang": pl.String(),
        "status": pl.String(),
        "n_chars": pl.Int64(),
        "title": pl.String(),
        "published": pl.Date(),
        "published_from": pl.String(),
        "outlet": pl.String(),
        "url": pl.String(),
        "path": pl.String(),
        "encoding": pl.String(),
        "text": pl.String(),
    }
)

ERRORS = pl.Schema(
    {
        "doc_id": pl.String(),
        "extractor": pl.String(),
        "error": pl.String(),
        "message": pl.String(),
    }
)


class SchemaError(ValueError):
    """A frame does not match the schema its producer declared."""


def table_schema(columns: Mapping[str, pl.DataType]) -> pl.Schema:
    """The schema of an extraction table: the span columns first, then ``columns``."""
    return pl.Schema({**SPAN_COLUMNS, **columns})


def empty_frame(schema: pl.Schema) -> pl.DataFrame:
    """A typed frame with no rows."""
    return pl.DataFrame(schema=schema)


def frame_from_rows(rows: Iterable[Mapping[str, Any]], schema: pl.Schema) -> pl.DataFrame:
    """Build a frame of ``schema`` from dict rows; a missing key is a null, an unknown key an error."""
    rows = list(rows)
    unknown = {key for row in rows for key in row} - set(schema.names())
    if unknown:
        raise SchemaError(f"undeclared column(s): {', '.join(sorted(unknown))}")
    if not rows:
        return empty_frame(schema)
    try:
        return pl.DataFrame(rows, schema=schema, strict=False, infer_schema_length=None)
    except (TypeError, ValueError, pl.exceptions.PolarsError) as exc:
        raise SchemaError(str(exc)) from exc


def check_frame(frame: pl.DataFrame, schema: pl.Schema, *, owner: str) -> pl.DataFrame:
    """Return ``frame`` if it has exactly the columns and dtypes of ``schema``; name ``owner`` otherwise."""
    problems = []
    missing = [name for name in schema.names() if name not in frame.columns]
    extra = [name for name in frame.columns if name not in schema]
    if missing:
        problems.append(f"missing column(s) {missing}")
    if extra:
        problems.append(f"undeclared column(s) {extra}")
    for name, dtype in frame.schema.items():
        if name in schema and dtype != schema[name]:
            problems.append(f"column {name!r} is {dtype}, declared {schema[name]}")
    if problems:
        raise SchemaError(f"{owner} returned a frame that breaks its schema: " + "; ".join(problems))
    return frame.select(schema.names())
