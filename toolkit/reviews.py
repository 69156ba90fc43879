"""A researcher's reviews of the claims: accepted, rejected or corrected, kept beside the results.

Reviews are appended to ``reviews.parquet`` in a results folder (one row per decision; nothing is
ever rewritten or dropped). ``Results.read`` applies them: each claim gets a ``review`` of
``accepted``, ``rejected``, ``corrected`` or ``unreviewed`` (the latest decision wins) and a
corrected claim shows the corrected parts, with ``*_link`` "review". A review finds its claim
again after the extractors are re-run, on the same or a grown corpus: by document and evidence
span, else by document and ``claim_key``. Reviews that find no claim are listed in
``Results.unmatched_reviews``, never dropped. ``export_gold`` writes the reviewed claims as gold
files, so that ``toolkit evaluate`` measures the extractors on the researcher's own corpus.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.corpus import parse_date
from toolkit.numbers import parse_count
from toolkit.schemas import empty_frame

if TYPE_CHECKING:
    from toolkit.results import Results

REVIEWS_FILE = "reviews.parquet"
DECISIONS = ("accepted", "rejected", "corrected")
#: The parts of a claim a review can correct, by claim column.
REVIEWABLE = pl.Schema(
    {
        "count_min": pl.Int64(), "count_max": pl.Int64(), "qualifier": pl.String(), "status": pl.String(),
        "group": pl.String(), "category": pl.String(), "claimant": pl.String(),
        "place": pl.String(), "place_kind": pl.String(), "country": pl.String(), "admin1": pl.String(),
        "lat": pl.Float64(), "lon": pl.Float64(),
        "period": pl.String(), "date_start": pl.Date(), "date_end": pl.Date(),
    }
)
#: Which ``*_link`` column says that a corrected column came from a review.
_PART_OF = {"claimant": "source", "place": "place", "place_kind": "place", "country": "place", "admin1": "place",
            "lat": "place", "lon": "place", "period": "period", "date_start": "period", "date_end": "period"}
REVIEWS = pl.Schema(
    {
        "reviewer": pl.String(),
        "reviewed_at": pl.Datetime("us", "UTC"),
        "decision": pl.String(),
        "doc_id": pl.String(),
        "table": pl.String(),
        "start": pl.Int64(),
        "end": pl.Int64(),
        "text": pl.String(),
        "claim_key": pl.String(),
        "before": pl.Struct(REVIEWABLE),
        "after": pl.Struct(REVIEWABLE),
        "note": pl.String(),
    }
)
_YEARLESS = re.compile(r"^--\d\d-\d\d(?:/--\d\d-\d\d)?$")


def read_reviews(directory: str | Path) -> pl.DataFrame:
    """Every review kept in ``directory`` (schema ``REVIEWS``), oldest first; typed empty when none."""
    path = Path(directory) / REVIEWS_FILE
    if not path.exists():
        return empty_frame(REVIEWS)
    return pl.read_parquet(path).cast(REVIEWS).sort("reviewed_at", maintain_order=True)


def review_claim(directory: str | Path, claim: Mapping[str, Any], decision: str, *,
                 corrections: Mapping[str, Any] | None = None, note: str | None = None,
                 reviewer: str | None = None) -> dict[str, Any]:
    """Record a decision on ``claim`` (a row of the claims of the results in ``directory``):
    "accepted", "rejected", or "corrected" with ``corrections`` (claim column -> right value; see
    ``corrections_from_text`` for values typed by a person). Returns the review row appended."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    corrections = dict(corrections or {})
    unknown = set(corrections) - set(REVIEWABLE.names())
    if unknown:
        raise ValueError(f"these claim parts cannot be corrected: {', '.join(sorted(unknown))} (correctable: {', '.join(REVIEWABLE.names())})")
    if (decision == "corrected") != bool(corrections):
        raise ValueError("a correction needs the corrected parts, and only a correction takes them")
    before = {column: claim.get(column) for column in REVIEWABLE.names()}
    row = {
        "reviewer": reviewer or current_user(), "reviewed_at": datetime.now(UTC), "decision": decision,
        **{column: claim.get(column) for column in ("doc_id", "table", "start", "end", "text", "claim_key")},
        "before": before, "after": {**before, **corrections} if decision == "corrected" else None,
        "note": note or None,
    }
    path = Path(directory) / REVIEWS_FILE
    frame = pl.concat([read_reviews(directory), pl.DataFrame([row], schema=REVIEWS)])
    temporary = path.with_name(f".{REVIEWS_FILE}.tmp")
    frame.write_parquet(temporary)
    os.replace(temporary, path)  # a reader never sees half a file
    return row


def current_user() -> str:
    """The login name of whoever runs the toolkit, the default reviewer."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def corrections_from_text(*, figure: str | None = None, period: str | None = None, **parts: Any) -> dict[str, Any]:
    """Corrections from what a person types: ``figure`` as written ("2359", "plus de 2.300",
    "10-15"), ``period`` as ``2017-09-19/2017-09-29``, one date, or ``--09-19`` without a year;
    other parts as they are. Empty values are left out; an unreadable one raises ValueError."""
    corrections = {column: value for column, value in parts.items() if value not in (None, "")}
    if figure not in (None, ""):
        quantity = parse_count(figure)
        if quantity is None:
            raise ValueError(f"no figure in {figure!r}")
        corrections.update(count_min=quantity.count_min, count_max=quantity.count_max, qualifier=quantity.qualifier)
    if period not in (None, ""):
        corrections.update(_period(period.strip()))
    return corrections


def _period(text: str) -> dict[str, Any]:
    if _YEARLESS.match(text):
        return {"period": text, "date_start": None, "date_end": None}
    ends = [parse_date(part.strip()) for part in text.split("/")]
    if len(ends) > 2 or None in ends:
        raise ValueError(f"not a period: {text!r} (write 2017-09-19/2017-09-29, 2017-09-19 or --09-19)")
    start, end = ends[0], ends[-1]
    return {"period": start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}", "date_start": start, "date_end": end}


def apply_reviews(claims: pl.DataFrame, reviews: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``claims`` with each one's latest review applied (``review``, ``review_note``; corrected
    parts replaced, their ``*_link`` set to "review"), and the reviews that match no claim."""
    if "review" not in claims.columns:  # claims written before reviews existed
        claims = claims.with_columns(review=pl.lit("unreviewed"), review_note=pl.lit(None, dtype=pl.String))
    rows = claims.to_dicts()
    by_span = {(row["doc_id"], row["table"], row["start"], row["end"], row["text"]): index for index, row in enumerate(rows)}
    by_key: dict[tuple[Any, ...], list[int]] = {}
    for index, row in enumerate(rows):
        by_key.setdefault((row["doc_id"], row["table"], row["claim_key"]), []).append(index)
    latest: dict[int, dict[str, Any]] = {}
    unmatched = []
    for review in reviews.iter_rows(named=True):
        index = by_span.get((review["doc_id"], review["table"], review["start"], review["end"], review["text"]))
        if index is None:
            candidates = by_key.get((review["doc_id"], review["table"], review["claim_key"]), [])
            index = candidates[0] if len(candidates) == 1 else None
        if index is None:
            unmatched.append(review)
        else:
            latest[index] = review
    for index, review in latest.items():
        row = rows[index]
        row["review"], row["review_note"] = review["decision"], review["note"]
        if review["decision"] == "corrected":
            for column, value in review["after"].items():
                if value != review["before"][column]:
                    row[column] = value
                    if column in _PART_OF:
                        row[f"{_PART_OF[column]}_link"] = "review"
    applied = pl.DataFrame(rows, schema=claims.schema) if rows else claims
    return applied, pl.DataFrame(unmatched, schema=REVIEWS)


def export_gold(results: "Results", gold_dir: str | Path) -> list[Path]:
    """One gold file (the documented format, claim parts included) per document with at least one
    reviewed claim, from ``results`` read with their reviews: accepted claims as found, corrected
    ones as corrected, rejected ones left out and unreviewed ones ``optional`` (neither rewarded
    nor punished). Returns the files written."""
    gold_dir = Path(gold_dir)
    gold_dir.mkdir(parents=True, exist_ok=True)
    claims = results.claims
    reviewed = claims.filter(pl.col("review") != "unreviewed")["doc_id"].unique(maintain_order=True).to_list()
    languages = dict(results.documents.select("doc_id", "lang").iter_rows())
    written = []
    for doc_id in reviewed:
        annotation: dict[str, Any] = {"doc_id": doc_id, "lang": languages.get(doc_id)}
        for row in claims.filter((pl.col("doc_id") == doc_id) & (pl.col("review") != "rejected")).iter_rows(named=True):
            annotation.setdefault(row["table"], []).append(_gold_item(row))
        path = gold_dir / f"{_file_stem(doc_id)}.json"
        path.write_text(json.dumps(annotation, ensure_ascii=False, indent=1, default=_iso) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _gold_item(row: Mapping[str, Any]) -> dict[str, Any]:
    figure_columns = ("count_min", "count_max", "qualifier", "status", "group", "category")
    item: dict[str, Any] = {column: row[column] for column in figure_columns if row.get(column) is not None}
    item["evidence"] = row["text"]
    item["claimant"] = row.get("claimant")
    item["place"] = None if row.get("place") is None and row.get("country") is None else {
        "name": row.get("place"), "kind": row.get("place_kind"), "country": row.get("country"), "lat": row.get("lat"), "lon": row.get("lon"),
    }
    if row.get("date_start") is not None:
        item["period"] = {"start": row["date_start"], "end": row.get("date_end") or row["date_start"]}
    else:
        item["period"] = {"label": row["period"]} if row.get("period") else None
    if row["review"] == "unreviewed":
        item["optional"] = True
    else:
        item["review"] = row["review"]
    if row.get("review_note"):
        item["note"] = row["review_note"]
    return item


def _file_stem(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id)


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
