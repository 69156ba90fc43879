"""Claims about the same event: keys that follow a figure across outlets, contested figures
(``compare``) and the path of one claim through the press (``trace``).

A claim is placed in time by its period (``date_start``/``date_end``; a period without a year,
such as ``--09-19/--09-29``, by its month and day) or, when it has none, by its article's
publication date: it happened at most ``window_days`` before. It is placed in space by its area:
its first-level division when known, else its country. Two claims can be about the same event
only when their times overlap (a day of slack).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.geo import distance_km

if TYPE_CHECKING:
    from toolkit.results import Results

Row = dict[str, Any]

#: How long before its publication a claim without a period may have happened (days).
WINDOW_DAYS = 7
_SLACK = timedelta(days=1)
_YEARLESS = re.compile(r"^--(\d\d)-(\d\d)(?:/--(\d\d)-(\d\d))?$")


@dataclass(frozen=True)
class When:
    """A claim's time: an interval of dates, or of (month, day) when the year is unknown."""

    start: date | tuple[int, int]
    end: date | tuple[int, int]

    @property
    def yearless(self) -> bool:
        return isinstance(self.start, tuple)

    def month_days(self) -> tuple[tuple[int, int], tuple[int, int]]:
        if self.yearless:
            return self.start, self.end  # type: ignore[return-value]
        return (self.start.month, self.start.day), (self.end.month, self.end.day)  # type: ignore[union-attr]

    def overlaps(self, other: "When") -> bool:
        if self.yearless or other.yearless:
            (a_start, a_end), (b_start, b_end) = self.month_days(), other.month_days()
            return a_start <= b_end and b_start <= a_end
        return self.start <= other.end + _SLACK and other.start <= self.end + _SLACK  # type: ignore[operator]


def claim_when(claim: Row, *, window_days: int = WINDOW_DAYS) -> When | None:
    """When ``claim`` happened by its period, else by its publication date; None when unknown."""
    start, end = claim.get("date_start"), claim.get("date_end")
    if start is not None or end is not None:
        return When(start or end, end or start)
    label = _YEARLESS.match(claim.get("period") or "")
    if label:
        first = (int(label[1]), int(label[2]))
        return When(first, (int(label[3]), int(label[4])) if label[3] else first)
    if claim.get("published") is not None:
        return When(claim["published"] - timedelta(days=window_days), claim["published"])
    return None


def claim_area(claim: Row) -> str | None:
    """The first-level division of a claim's place, else its country (None when it has no place)."""
    if claim.get("place_kind") != "country" and claim.get("admin1"):
        return f"{claim.get('country') or ''}:{claim['admin1']}"
    return claim.get("country") or None


def claim_what(claim: Row) -> tuple[Any, ...]:
    """What was lost: table, status and group or category."""
    return claim.get("table"), claim.get("status"), claim.get("group") or claim.get("category")


def _clusters(times: list[When]) -> list[int]:
    """Connected groups of overlapping times, as the index of each group's first member: dated
    intervals by a sweep in date order, then each year-less one joins the first group it overlaps."""
    group = list(range(len(times)))
    dated = sorted((i for i, when in enumerate(times) if not when.yearless), key=lambda i: (times[i].start, i))
    reach: date | None = None
    for position, index in enumerate(dated):
        if position and reach is not None and times[index].start <= reach + _SLACK:
            group[index] = group[dated[position - 1]]
            reach = max(reach, times[index].end)
        else:
            reach = times[index].end
    for index, when in enumerate(times):
        if not when.yearless:
            continue
        match = next((other for other in dated if times[other].overlaps(when)), None)
        if match is None:
            match = next((other for other in range(index) if times[other].yearless and times[other].overlaps(when)), None)
        group[index] = index if match is None else group[match]
    return group


def claim_keys(claims: Iterable[Row], *, window_days: int = WINDOW_DAYS) -> list[str]:
    """``claim_key`` of each claim: equal for the same figure and the same thing lost, claimed by the
    same claimant, in the same area, at overlapping times. A claim placed at no time gets a key of
    its own (it is joined to nothing)."""
    claims = list(claims)
    keys: list[str] = [""] * len(claims)
    groups: dict[tuple[Any, ...], list[int]] = {}
    times: list[When | None] = [claim_when(claim, window_days=window_days) for claim in claims]
    for index, claim in enumerate(claims):
        if times[index] is None:
            keys[index] = _hash("alone", claim.get("doc_id"), claim.get("table"), claim.get("start"), claim.get("end"))
            continue
        base = (*claim_what(claim), claim.get("count_min"), claim.get("count_max"), claim.get("claimant"), claim_area(claim))
        groups.setdefault(base, []).append(index)
    for base, members in groups.items():
        first = _clusters([times[index] for index in members])  # type: ignore[misc]
        for position, index in enumerate(members):
            anchor = times[members[first[position]]]
            keys[index] = _hash(*base, anchor.start)  # type: ignore[union-attr]
    return keys


#: The claim columns ``claim_keys`` reads.
KEY_COLUMNS = ("doc_id", "start", "end", "table", "status", "group", "category", "count_min", "count_max", "claimant",
               "place_kind", "admin1", "country", "period", "date_start", "date_end", "published")


def with_claim_keys(claims: pl.DataFrame, *, window_days: int = WINDOW_DAYS) -> pl.DataFrame:
    """``claims`` with ``claim_key`` computed over all of them (claims linked in separate batches
    of a run are keyed together at its end, so that relays in different batches meet)."""
    keys = claim_keys(claims.select(KEY_COLUMNS).iter_rows(named=True), window_days=window_days)
    return claims.with_columns(claim_key=pl.Series(keys, dtype=pl.String))


def _hash(*parts: Any) -> str:
    return hashlib.sha1("|".join("" if part is None else str(part) for part in parts).encode("utf-8")).hexdigest()[:12]


def _claims_of(results: "Results | pl.DataFrame") -> pl.DataFrame:
    claims = results if isinstance(results, pl.DataFrame) else results.claims
    if "review" in claims.columns:
        claims = claims.filter(pl.col("review") != "rejected")
    return claims


def _distance_km(a: Row, b: Row) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"])


def same_place(a: Row, b: Row, *, within_km: float | None = None) -> bool:
    """Two claims' places can be one event's: the same first-level division; the same country when
    one of them is placed only at country level; or, with ``within_km``, points that close."""
    if not a.get("country") or a.get("country") != b.get("country"):
        return False
    if "country" in (a.get("place_kind"), b.get("place_kind")):
        return True
    if a.get("admin1") and a.get("admin1") == b.get("admin1"):
        return True
    distance = _distance_km(a, b)
    return within_km is not None and distance is not None and distance <= within_km


EVENTS = pl.Schema(
    {
        "event": pl.Int64(),
        "table": pl.String(),
        "status": pl.String(),
        "what": pl.String(),
        "country": pl.String(),
        "area": pl.String(),
        "date_start": pl.Date(),
        "date_end": pl.Date(),
        "claimants": pl.Int64(),
        "claims": pl.Int64(),
        "documents": pl.Int64(),
        "low": pl.Int64(),
        "high": pl.Int64(),
        "contested": pl.Boolean(),
        "figures": pl.List(pl.Struct({
            "claimant": pl.String(), "count_min": pl.Int64(), "count_max": pl.Int64(), "qualifier": pl.String(),
            "claims": pl.Int64(), "documents": pl.List(pl.String()), "first_published": pl.Date(),
        })),
    }
)


def compare(results: "Results | pl.DataFrame", *, within_km: float | None = None, window_days: int = WINDOW_DAYS,
            contested_only: bool = False) -> pl.DataFrame:
    """One row per event: claims of the same status and group or category, at overlapping times
    (see the module's docstring), whose places are one event's (``same_place``), gathered across
    claimants and documents. ``figures`` lists each claimant's figures; ``contested`` says that
    claimants give different figures. Claims placed nowhere or at no time, and rejected ones, are
    left out. Schema ``EVENTS``."""
    rows = [row for row in _claims_of(results).to_dicts() if row.get("country")]
    times = [claim_when(row, window_days=window_days) for row in rows]
    rows = [{**row, "_when": when} for row, when in zip(rows, times) if when is not None]
    by_what: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        by_what.setdefault((*claim_what(row), row["country"]), []).append(row)
    events = []
    for members in by_what.values():
        events.extend(_connected(members, lambda a, b: a["_when"].overlaps(b["_when"]) and same_place(a, b, within_km=within_km)))
    out = [_event_row(number, event) for number, event in enumerate(sorted(events, key=_event_order))]
    frame = pl.DataFrame(out, schema=EVENTS)
    return frame.filter(pl.col("contested")) if contested_only else frame


def _connected(rows: list[Row], joined: Callable[[Row, Row], bool]) -> list[list[Row]]:
    """Groups of rows linked by ``joined``, tried only on pairs whose times overlap (a sweep in
    date order; year-less times are tried against every row)."""
    parent = list(range(len(rows)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(i: int, j: int) -> None:
        if root(i) != root(j) and joined(rows[i], rows[j]):
            parent[root(j)] = root(i)

    dated = sorted((i for i, row in enumerate(rows) if not row["_when"].yearless), key=lambda i: rows[i]["_when"].start)
    for position, i in enumerate(dated):
        for j in dated[position + 1:]:
            if rows[j]["_when"].start > rows[i]["_when"].end + _SLACK:
                break
            join(i, j)
    for i, row in enumerate(rows):
        if row["_when"].yearless:
            for j in range(len(rows)):
                if j != i:
                    join(j, i)
    groups: dict[int, list[Row]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(root(index), []).append(row)
    return list(groups.values())


def _event_order(event: list[Row]) -> tuple[Any, ...]:
    dates = [row["_when"].start for row in event if not row["_when"].yearless]
    return (min(dates) if dates else date.max, event[0]["table"] or "", event[0]["status"] or "", event[0]["doc_id"], event[0]["start"])


def _event_row(number: int, event: list[Row]) -> Row:
    first = event[0]
    precise = [row for row in event if row.get("place_kind") != "country" and row.get("admin1")]
    figures: dict[tuple[Any, ...], Row] = {}
    for row in sorted(event, key=lambda row: (row.get("published") or date.max, row["doc_id"], row["start"])):
        key = (row.get("claimant"), row["count_min"], row["count_max"], row.get("qualifier"))
        figure = figures.setdefault(key, {
            "claimant": row.get("claimant"), "count_min": row["count_min"], "count_max": row["count_max"],
            "qualifier": row.get("qualifier"), "claims": 0, "documents": [], "first_published": row.get("published"),
        })
        figure["claims"] += 1
        if row["doc_id"] not in figure["documents"]:
            figure["documents"].append(row["doc_id"])
    dated = [row["_when"] for row in event if not row["_when"].yearless]
    claimants = {row.get("claimant") for row in event}
    lows = [row["count_min"] for row in event if row["count_min"] is not None]
    highs = [row["count_max"] if row["count_max"] is not None else row["count_min"] for row in event if row["count_min"] is not None]
    return {
        "event": number, "table": first["table"], "status": first["status"], "what": first.get("group") or first.get("category"),
        "country": first["country"], "area": precise[0]["admin1"] if precise and len({row["admin1"] for row in precise}) == 1 else first["country"],
        "date_start": min((when.start for when in dated), default=None), "date_end": max((when.end for when in dated), default=None),
        "claimants": len(claimants), "claims": len(event), "documents": len({row["doc_id"] for row in event}),
        "low": min(lows, default=None), "high": max(highs, default=None),
        "contested": len(claimants) > 1 and len({(figure["count_min"], figure["count_max"]) for figure in figures.values()}) > 1,
        "figures": list(figures.values()),
    }


TRACE = pl.Schema(
    {
        "doc_id": pl.String(),
        "published": pl.Date(),
        "outlet": pl.String(),
        "claimant": pl.String(),
        "count_min": pl.Int64(),
        "count_max": pl.Int64(),
        "qualifier": pl.String(),
        "place": pl.String(),
        "period": pl.String(),
        "relation": pl.String(),
        "first_seen": pl.Boolean(),
        "claim_key": pl.String(),
        "text": pl.String(),
        "start": pl.Int64(),
        "end": pl.Int64(),
    }
)


def trace(results: "Results | pl.DataFrame", claim_key: str, *, within_km: float | None = None,
          window_days: int = WINDOW_DAYS) -> pl.DataFrame:
    """The documents that carry the claim ``claim_key``, in publication order (undated last), and
    its variants: claims of the same event (``compare``'s rules) by the same claimant with another
    figure (``relation`` "rounded" or "changed") or with the same figure by another claimant
    ("re-attributed"). ``first_seen`` marks its earliest appearance. Schema ``TRACE``; empty when
    no claim has that key."""
    claims = [{**row, "_when": claim_when(row, window_days=window_days)} for row in _claims_of(results).to_dicts()]
    same = [row for row in claims if row["claim_key"] == claim_key]
    if not same:
        return pl.DataFrame(schema=TRACE)
    same.sort(key=_published_order)
    reference = same[0]
    rows = [{**row, "relation": "same"} for row in same]
    for row in claims:
        if row["claim_key"] == claim_key or claim_what(row) != claim_what(reference) or row["_when"] is None:
            continue
        if not any(row["_when"].overlaps(other["_when"]) and same_place(row, other, within_km=within_km) for other in same):
            continue
        same_figure = (row["count_min"], row["count_max"]) == (reference["count_min"], reference["count_max"])
        if row.get("claimant") == reference.get("claimant") and same_figure:
            rows.append({**row, "relation": "same"})  # a claim whose key differs by a reviewed part
        elif row.get("claimant") == reference.get("claimant"):
            rows.append({**row, "relation": "rounded" if rounded(reference, row) else "changed"})
        elif same_figure and row.get("claimant") != reference.get("claimant"):
            rows.append({**row, "relation": "re-attributed"})
    rows.sort(key=_published_order)
    first = (reference["doc_id"], reference["start"])
    out = [{**{column: row.get(column) for column in TRACE.names()}, "first_seen": (row["doc_id"], row["start"]) == first} for row in rows]
    return pl.DataFrame(out, schema=TRACE)


def _published_order(row: Row) -> tuple[Any, ...]:
    return row.get("published") is None, row.get("published") or date.max, row["doc_id"], row["start"]


#: Qualifiers that state a figure loosely: a looser statement of a figure is a rounding of it.
_LOOSE = {"approx", "at_least", "at_most", "vague"}


def rounded(reference: Row, other: Row) -> bool:
    """Whether ``other``'s figure restates ``reference``'s less precisely: one is the other rounded
    to tens, hundreds, thousands..., or one is loose ("about", "more than", "up to", "hundreds of")
    and consistent with the other (within 10 % for "about"; "dozens" as "at least")."""
    a, b = reference["count_min"], other["count_min"]
    if a is None or b is None or a == b:
        return False
    for exact, loose in ((a, b), (b, a)):
        if any(round(exact, -digits) == loose for digits in range(1, 7)) and loose % 10 == 0:
            return True
    for this, that in ((reference, other), (other, reference)):
        qualifier = this.get("qualifier")
        if qualifier not in _LOOSE:
            continue
        value, target = this["count_min"], that["count_min"]
        if qualifier in ("at_least", "vague") and value <= target or qualifier == "at_most" and value >= target:
            return True
        if qualifier == "approx" and abs(value - target) <= 0.1 * max(value, target):
            return True
    return False
