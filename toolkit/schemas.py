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

_PART_SPAN = {"start": pl.Int64(), "end": pl.Int64(), "text": pl.String()}


def _part(prefix: str, columns: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    return {**columns, **{f"{prefix}_{name}": dtype for name, dtype in _PART_SPAN.items()}, f"{prefix}_link": pl.String()}


#: Linked claims (``toolkit.claims``): a figure and the span, value and link of each of its parts.
CLAIMS = pl.Schema(
    {
        "doc_id": pl.String(),
        "start": pl.Int64(),
        "end": pl.Int64(),
        "text": pl.String(),
        "table": pl.String(),
        "count_min": pl.Int64(),
        "count_max": pl.Int64(),
        "qualifier": pl.String(),
        "status": pl.String(),
        "group": pl.String(),
        "category": pl.String(),
        "hedged": pl.Boolean(),
        "mentions": pl.Int64(),
        **_part("source", {"source": pl.String(), "source_kind": pl.String(), "claimant": pl.String()}),
        **_part("outlet", {"outlet": pl.String()}),
        **_part("place", {
            "place": pl.String(), "place_kind": pl.String(), "country": pl.String(), "admin1": pl.String(),
            "lat": pl.Float64(), "lon": pl.Float64(),
        }),
        **_part("period", {
            "period": pl.String(), "period_kind": pl.String(), "date_start": pl.Date(), "date_end": pl.Date(),
            "year_inferred": pl.Boolean(),
        }),
        "published": pl.Date(),
        "claim_key": pl.String(),
        "review": pl.String(),
        "review_note": pl.String(),
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


#: What an extractor's rows can stand for when tables are linked into claims, and the columns
#: a table needs to play that part (see ``toolkit.claims``).
LINK_ROLES: dict[str, tuple[str, ...]] = {
    "figure": ("count_min", "count_max"),
    "source": ("source", "source_kind", "claim_start", "claim_end"),
    "place": ("name", "kind", "country"),
    "period": ("kind", "label", "date_start", "date_end"),
}
#: Columns the linker also reads when a table of that part has them (each may be left out):
#: a source's reporting cue and how it was resolved (an ``affiliation`` row names the body a
#: spokesperson speaks for), a place's division, coordinates, metonymy and distance from a
#: reference point, a period's inferred year.
LINK_ROLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "figure": (),
    "source": ("cue_start", "cue_end", "resolved_by", "affiliation"),
    "place": ("admin1", "lat", "lon", "metonymic", "distance_km"),
    "period": ("year_inferred",),
}


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
