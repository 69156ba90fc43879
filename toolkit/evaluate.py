"""Scoring a run against gold annotations (the rules of the gold README).

Per document, predictions are deduplicated and matched one-to-one with gold items:
casualties on (count_min, status), equipment on (count_min, category), places on kind group,
country and distance, sources on normalised name containment; any other figure table that
declares key columns (``Extractor.keys``), from gold items under its name, on count_min and
those columns. Gold items marked ``optional``
are neither rewarded when found nor punished when missed. Equipment matches without its status
(destroyed, captured...): ``status_accuracy`` is the share of matched items whose status is right.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.geo import distance_km
from toolkit.lexicons import fold_key
from toolkit.results import Results

#: gold key -> (table of the run, the prediction column holding the compared name)
GOLD_TABLES = {"casualties": "casualties", "equipment": "equipment", "places": "places", "sources": "attributions"}
KIND_GROUPS = {"country": "country", "admin1": "admin1", "locality": "local", "feature": "local"}
MAX_KM = {"admin1": 100.0, "local": 25.0}

SCORES = pl.Schema(
    {"table": pl.String(), "documents": pl.Int64(), "tp": pl.Int64(), "fp": pl.Int64(), "fn": pl.Int64(),
     "precision": pl.Float64(), "recall": pl.Float64(), "f1": pl.Float64(), "status_accuracy": pl.Float64()}
)
#: Tables whose items match without their status: the share of matched items with the gold
#: status is reported beside the scores ("27 chars" found, but captured rather than destroyed).
STATUS_SCORED = {"equipment"}
#: Claim parts (gold README "Claim parts"): share of gold claims found, and of the found ones with
#: each part right; ``whole``: share of gold claims found with every part right.
CLAIM_SCORES = pl.Schema(
    {"table": pl.String(), "claims": pl.Int64(), "found": pl.Float64(), "claimant": pl.Float64(),
     "place": pl.Float64(), "period": pl.Float64(), "whole": pl.Float64()}
)
CLAIM_DETAILS = pl.Schema(
    {"doc_id": pl.String(), "table": pl.String(), "item": pl.String(), "found": pl.Boolean(),
     "claimant": pl.Boolean(), "claimant_gold": pl.String(), "claimant_found": pl.String(),
     "place": pl.Boolean(), "place_gold": pl.String(), "place_found": pl.String(),
     "period": pl.Boolean(), "period_gold": pl.String(), "period_found": pl.String(), "whole": pl.Boolean()}
)
CLAIM_PARTS = ("claimant", "place", "period")
#: How far a claim's place may lie from the gold point, by kind group (gold README).
CLAIM_PLACE_KM = {"admin1": 100.0, "local": 50.0}
DETAILS = pl.Schema(
    {"doc_id": pl.String(), "table": pl.String(), "outcome": pl.String(), "item": pl.String(),
     "evidence": pl.String(), "start": pl.Int64(), "end": pl.Int64()}
)


_ACRONYM_DOT = re.compile(r"(?<=\b\w)\.")


def normalise_name(name: str | None) -> str:
    """A name without accents, case or punctuation, for comparing sources ("U.S." is "US")."""
    return " ".join(fold_key(_ACRONYM_DOT.sub("", name or "")))


def _contains(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a_words, b_words = a.split(), b.split()
    short, long = (a_words, b_words) if len(a_words) <= len(b_words) else (b_words, a_words)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _match_count(field: str) -> Callable[[dict, dict], bool]:
    return lambda gold, predicted: gold.get("count_min") == predicted.get("count_min") and gold.get(field) == predicted.get(field)


def _match_place(gold: dict, predicted: dict) -> bool:
    group = KIND_GROUPS.get(gold.get("kind") or "")
    if group is None or group != KIND_GROUPS.get(predicted.get("kind") or ""):
        return False
    if (gold.get("country") or "").upper() != (predicted.get("country") or "").upper():
        return False
    if group == "country" or gold.get("lat") is None or gold.get("lon") is None:
        return True
    if predicted.get("lat") is None or predicted.get("lon") is None:
        return False
    return distance_km(gold["lat"], gold["lon"], predicted["lat"], predicted["lon"]) <= MAX_KM[group]


def _match_source(gold: dict, predicted: dict) -> bool:
    name = normalise_name(predicted.get("source"))
    return any(_contains(name, normalise_name(alias)) for alias in [gold.get("name"), *(gold.get("aliases") or [])])


MATCHERS: dict[str, Callable[[dict, dict], bool]] = {
    "casualties": _match_count("status"),
    "equipment": _match_count("category"),
    "places": _match_place,
    "sources": _match_source,
}
DEDUPE_KEYS: dict[str, Callable[[dict], Any]] = {
    "casualties": lambda row: (row.get("count_min"), row.get("status")),
    "equipment": lambda row: (row.get("count_min"), row.get("category")),
    "places": lambda row: (row.get("kind"), row.get("country"), row.get("name"),
                           None if row.get("lat") is None else round(row["lat"], 2),
                           None if row.get("lon") is None else round(row["lon"], 2)),
    "sources": lambda row: normalise_name(row.get("source")),
}


def describe_item(key: str, item: dict) -> str:
    """A short readable form of a gold item or a predicted row."""
    if key in ("casualties", "equipment"):
        what = item.get("status") if key == "casualties" else item.get("category")
        extra = item.get("group") if key == "casualties" else item.get("status")
        return f"{_figure(item)} {what} [{item.get('qualifier')}] {extra or ''}".strip()
    if key == "places":
        return f"{item.get('name')} ({item.get('kind')}, {item.get('country')})"
    return str(item.get("name") or item.get("source"))


@dataclass(frozen=True)
class _Rules:
    """How the items of one gold key are scored: the run's table, the match, the deduplication
    of predictions, the readable form of an item."""

    key: str
    table: str
    matcher: Callable[[dict, dict], bool]
    dedupe: Callable[[dict], Any]
    describe: Callable[[dict], str]
    figures: bool = False  # a figure table: its gold items may carry claim parts


def _rules(results: Results) -> list[_Rules]:
    """The gold README's rules for the built-in tables, then, for every other figure table that
    declares key columns (``Extractor.keys``), a match on the figure and those columns."""
    rules = [
        _Rules(key, table, MATCHERS[key], DEDUPE_KEYS[key], lambda item, key=key: describe_item(key, item), key in ("casualties", "equipment"))
        for key, table in GOLD_TABLES.items()
    ]
    for name, info in results.extractors.items():
        keys = tuple(info.get("keys") or ())
        if info.get("links_as") == "figure" and keys and name not in GOLD_TABLES:
            columns = ("count_min", *keys)
            rules.append(_Rules(
                name, name,
                lambda gold, predicted, columns=columns: all(gold.get(column) == predicted.get(column) for column in columns),
                lambda row, columns=columns: tuple(row.get(column) for column in columns),
                lambda item, keys=keys: describe_figure(item, keys),
                figures=True,
            ))
    return rules


def describe_figure(item: dict, keys: tuple[str, ...]) -> str:
    """A figure item of any table: its figure, its key columns and its qualifier."""
    return f"{_figure(item)} {' '.join(str(item.get(key)) for key in keys)} [{item.get('qualifier')}]"


def _figure(item: dict) -> str:
    """"12", or "12..15" for a range, "12.." for a lower bound."""
    bound = item.get("count_max")
    return str(item.get("count_min")) if bound == item.get("count_min") else f"{item.get('count_min')}..{bound if bound is not None else ''}"


@dataclass
class Evaluation:
    """Scores per table (``scores``), per document (``per_document``) and every match, miss and
    false hit with its evidence (``details``)."""

    scores: pl.DataFrame
    per_document: pl.DataFrame
    details: pl.DataFrame
    missing_documents: list[str]
    claims: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CLAIM_SCORES))
    claim_details: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CLAIM_DETAILS))

    def table(self) -> str:
        lines = [f"{'table':<14}{'docs':>5}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>8}{'f1':>7}{'status':>8}"]
        for row in self.scores.iter_rows(named=True):
            status = "" if row["status_accuracy"] is None else f"{row['status_accuracy']:.3f}"
            lines.append(
                f"{row['table']:<14}{row['documents']:>5}{row['tp']:>6}{row['fp']:>6}{row['fn']:>6}"
                f"{row['precision']:>11.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}{status:>8}".rstrip()
            )
        lines.append("status: share of matched items with the gold status (tables that match without it)")
        if self.claims.height:
            lines.append("")
            lines.append(f"{'claims':<14}{'gold':>5}{'found':>7}{'claimant':>10}{'place':>7}{'period':>8}{'whole':>7}")
            for row in self.claims.iter_rows(named=True):
                cells = [f"{row[part]:.3f}" if row[part] is not None else "-" for part in ("found", *CLAIM_PARTS, "whole")]
                lines.append(f"{row['table']:<14}{row['claims']:>5}{cells[0]:>7}{cells[1]:>10}{cells[2]:>7}{cells[3]:>8}{cells[4]:>7}")
            lines.append("claims: gold claims with parts; found: share found; claimant, place, period: share right among the found; "
                         "whole: share found with every part right")
        if self.missing_documents:
            lines.append(f"gold documents absent from the run: {', '.join(self.missing_documents)}")
        return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def _score_row(table: str, documents: int, tp: int, fp: int, fn: int, right_status: int = 0, with_status: int = 0) -> dict[str, Any]:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"table": table, "documents": documents, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1,
            "status_accuracy": right_status / with_status if with_status else None}


def load_gold(gold: str | Path) -> dict[str, dict[str, Any]]:
    """Gold annotations by doc_id: every ``*.json`` file of a folder, or one ``.jsonl`` file with
    one annotated document per line (which can also be read as a corpus: it has a ``text`` field)."""
    path = Path(gold)
    if path.is_file() and path.suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        records = [json.loads(file.read_text(encoding="utf-8")) for file in sorted(path.glob("*.json"))]
    annotations = {record["doc_id"]: record for record in records if record.get("doc_id")}
    if not annotations:
        raise FileNotFoundError(f"no gold annotations in {gold} (a folder of *.json files or a .jsonl file)")
    return annotations


def evaluate(gold: str | Path | dict[str, dict[str, Any]], run: str | Path | Results) -> Evaluation:
    """Score the tables of ``run`` (a Results or an output folder, whose claims are read as
    extracted, without the reviews kept there) against ``gold``."""
    gold = load_gold(gold) if not isinstance(gold, dict) else gold
    results = run if isinstance(run, Results) else Results.read(run, reviews=False)
    present = set(results.documents["doc_id"].to_list())
    doc_ids = [doc_id for doc_id in gold if doc_id in present]
    details: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    per_document: list[dict[str, Any]] = []
    rules = [rule for rule in _rules(results) if rule.table in results.tables and any(rule.key in annotations for annotations in gold.values())]
    for rule in rules:  # a gold set that does not annotate a table does not score it
        frame = results[rule.table]
        sums = [0, 0, 0, 0, 0]
        for doc_id in doc_ids:
            rows = frame.filter(pl.col("doc_id") == doc_id).sort("start").to_dicts()
            counts = _match_document(rule, doc_id, gold[doc_id].get(rule.key) or [], rows, details)
            per_document.append(_score_row(rule.table, 1, *counts) | {"doc_id": doc_id})
            sums = [total + count for total, count in zip(sums, counts)]
        totals.append(_score_row(rule.table, len(doc_ids), *sums))
    figure_rules = [rule for rule in rules if rule.figures]
    claim_details = [row for doc_id in doc_ids for row in _claim_parts(doc_id, gold[doc_id], results.claims, figure_rules)]
    return Evaluation(
        scores=pl.DataFrame(totals, schema=SCORES),
        per_document=pl.DataFrame(per_document, schema={"doc_id": pl.String(), **SCORES}).select(["doc_id", *SCORES.names()]),
        details=pl.DataFrame(details, schema=DETAILS),
        missing_documents=[doc_id for doc_id in gold if doc_id not in present],
        claims=_claim_scores(claim_details),
        claim_details=pl.DataFrame(claim_details, schema=CLAIM_DETAILS),
    )


def _claim_parts(doc_id: str, annotations: dict[str, Any], claims: pl.DataFrame, rules: list[_Rules]) -> list[dict[str, Any]]:
    """Each gold figure item that says who, where or when, matched one to one with the claims of
    its document as its table matches, and each part judged."""
    found_rows = claims.filter(pl.col("doc_id") == doc_id).sort("start").to_dicts()
    rows = []
    for rule in rules:
        key = rule.key
        items = [item for item in annotations.get(key) or [] if not item.get("optional") and any(part in item for part in CLAIM_PARTS)]
        candidates = [row for row in found_rows if row.get("table") == rule.table]
        used: set[int] = set()
        for item in items:
            index = next((i for i, row in enumerate(candidates) if i not in used and rule.matcher(item, row)), None)
            claim = None if index is None else candidates[index]
            if index is not None:
                used.add(index)
            judged = {part: None if claim is None else _part_right(part, item, claim) for part in CLAIM_PARTS}
            rows.append({
                "doc_id": doc_id, "table": rule.table, "item": rule.describe(item), "found": claim is not None,
                **{part: judged[part] for part in CLAIM_PARTS},
                **{f"{part}_gold": _describe_part(part, item.get(part, "?")) for part in CLAIM_PARTS},
                **{f"{part}_found": None if claim is None else _describe_found(part, claim) for part in CLAIM_PARTS},
                "whole": claim is not None and all(right is not False for right in judged.values()),
            })
    return rows


def _part_right(part: str, item: dict[str, Any], claim: dict[str, Any]) -> bool | None:
    """True or False; None when the gold part is "?" or absent (not scored)."""
    gold = item.get(part, "?")
    if gold == "?":
        return None
    if part == "claimant":
        if gold is None:
            return claim.get("claimant") is None
        names = {"name": gold, "aliases": item.get("claimant_aliases") or []}
        return any(_match_source(names, {"source": claim.get(column)}) for column in ("claimant", "source"))
    if part == "place":
        if gold is None:
            return claim.get("place") is None
        return _claim_place_right(gold, claim)
    if gold is None:
        return claim.get("period") is None
    return _claim_period_right(gold, claim)


def _claim_place_right(gold: dict[str, Any], claim: dict[str, Any]) -> bool:
    if (gold.get("country") or "").upper() != (claim.get("country") or "").upper():
        return False
    group = KIND_GROUPS.get(gold.get("kind") or "")
    if group in (None, "country") or gold.get("lat") is None or gold.get("lon") is None:
        return True
    if claim.get("lat") is None or claim.get("lon") is None:
        return False
    return distance_km(gold["lat"], gold["lon"], claim["lat"], claim["lon"]) <= CLAIM_PLACE_KM[group]


def _claim_period_right(gold: dict[str, Any], claim: dict[str, Any]) -> bool:
    if "label" in gold:
        return claim.get("period") == gold["label"]
    start, end = claim.get("date_start"), claim.get("date_end") or claim.get("date_start")
    if start is None:
        return False
    slack = dt.timedelta(days=1)
    gold_start = dt.date.fromisoformat(gold["start"])
    gold_end = dt.date.fromisoformat(gold.get("end") or gold["start"])
    return start <= gold_end + slack and gold_start - slack <= end


def _describe_part(part: str, value: Any) -> str | None:
    if value is None or value == "?":
        return value
    if part == "place":
        return f"{value.get('name')} ({value.get('kind')}, {value.get('country')})"
    if part == "period":
        return value.get("label") or f"{value.get('start')}/{value.get('end')}"
    return str(value)


def _describe_found(part: str, claim: dict[str, Any]) -> str | None:
    if part == "claimant":
        return claim.get("claimant")
    if part == "place":
        return None if claim.get("place") is None else f"{claim['place']} ({claim.get('place_kind')}, {claim.get('country')})"
    if claim.get("date_start") is not None:
        return f"{claim['date_start']}/{claim.get('date_end') or claim['date_start']}"
    return claim.get("period")


def _claim_scores(details: list[dict[str, Any]]) -> pl.DataFrame:
    rows = []
    for table in dict.fromkeys(row["table"] for row in details):
        mine = [row for row in details if row["table"] == table]
        found = [row for row in mine if row["found"]]
        shares = {}
        for part in CLAIM_PARTS:
            judged = [row[part] for row in found if row[part] is not None]
            shares[part] = sum(judged) / len(judged) if judged else None
        rows.append({"table": table, "claims": len(mine), "found": len(found) / len(mine), **shares,
                     "whole": sum(row["whole"] for row in mine) / len(mine)})
    return pl.DataFrame(rows, schema=CLAIM_SCORES)


def _match_document(rule: _Rules, doc_id: str, gold_items: list[dict], rows: list[dict], details: list) -> tuple[int, int, int, int, int]:
    matcher, dedupe, table = rule.matcher, rule.dedupe, rule.table
    unique: dict[Any, dict] = {}
    for row in rows:
        unique.setdefault(dedupe(row), row)
    predictions = list(unique.values())
    required = [item for item in gold_items if not item.get("optional")]
    optional = [item for item in gold_items if item.get("optional")]
    used: set[int] = set()
    tp = fn = fp = right_status = with_status = 0

    def note(outcome: str, item: dict, row: dict | None) -> None:
        details.append({"doc_id": doc_id, "table": table, "outcome": outcome, "item": rule.describe(item),
                        "evidence": (row or {}).get("text") or item.get("evidence"),
                        "start": (row or {}).get("start"), "end": (row or {}).get("end")})

    for item in required:
        found = next((i for i, row in enumerate(predictions) if i not in used and matcher(item, row)), None)
        if found is None:
            fn += 1
            note("miss", item, None)
        else:
            used.add(found)
            tp += 1
            note("match", item, predictions[found])
            if rule.key in STATUS_SCORED and item.get("status"):
                with_status += 1
                right_status += item["status"] == predictions[found].get("status")
    for i, row in enumerate(predictions):
        if i in used:
            continue
        if any(matcher(item, row) for item in optional):
            note("optional", row, row)
        else:
            fp += 1
            note("false hit", row, row)
    return tp, fp, fn, right_status, with_status
