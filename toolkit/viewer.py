"""Evidence viewer: an article's text with every extracted span highlighted, as safe HTML.

The article text is always escaped: markup in an article is shown, never run. Each highlight
carries the parsed values of its row in a ``title`` (shown on hover); a claim's parts (figure,
source, outlet, place, period) can be highlighted together with a summary of the claim.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from toolkit.results import Results

#: Highlight colours, cycled over the tables of a run; claim parts have their own.
PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc", "#f5d0fe")
CLAIM_PARTS = {"figure": "#f87171", "source": "#60a5fa", "outlet": "#a78bfa", "place": "#34d399", "period": "#fbbf24"}
#: Columns left out of hover text: offsets and helper spans already visible as the highlight.
_HIDDEN = {"doc_id", "start", "end", "text", "sentence_start", "sentence_end", "cue_start", "cue_end", "claim_start", "claim_end"}


@dataclass(frozen=True)
class Highlight:
    """One span to mark: where, under which label (a table or a claim part), and its values."""

    start: int
    end: int
    label: str
    title: str = ""


def highlight_html(text: str, highlights: Iterable[Highlight], colours: dict[str, str]) -> str:
    """``text`` as escaped HTML with each highlight wrapped in ``<mark>``; overlapping spans nest,
    the longer outside."""
    marks = sorted((h for h in highlights if 0 <= h.start < h.end <= len(text)), key=lambda h: (h.start, -h.end))
    cuts = sorted({0, len(text), *(h.start for h in marks), *(h.end for h in marks)})
    pieces = []
    for left, right in zip(cuts, cuts[1:]):
        segment = html.escape(text[left:right])
        for mark in reversed([h for h in marks if h.start <= left and right <= h.end]):
            colour = colours.get(mark.label, "#e5e7eb")
            segment = (
                f'<mark class="toolkit-{html.escape(mark.label)}" style="background:{colour};padding:0 1px" '
                f'title="{html.escape(mark.title)}">{segment}</mark>'
            )
        pieces.append(segment)
    return "".join(pieces)


def row_title(table: str, row: dict[str, Any]) -> str:
    """Hover text of a row: its table and the values it parsed."""
    values = [f"{key}={value}" for key, value in row.items() if key not in _HIDDEN and value is not None and value != ""]
    return f"{table}: " + ", ".join(values)


def table_colours(tables: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[index % len(PALETTE)] for index, name in enumerate(tables)}


def document_highlights(results: "Results", doc_id: str, tables: Sequence[str] | None = None) -> list[Highlight]:
    """Every row of ``tables`` (default: every extractor table) found in ``doc_id``."""
    found = []
    for name in tables if tables is not None else list(results.tables):
        frame = results[name].filter(pl.col("doc_id") == doc_id)
        for row in frame.iter_rows(named=True):
            found.append(Highlight(row["start"], row["end"], name, row_title(name, row)))
    return found


def claim_highlights(claim: dict[str, Any]) -> list[Highlight]:
    """The spans of a linked claim's parts."""
    figure = f"figure: {claim['count_min']}–{claim['count_max']} {claim['status'] or ''} {claim['group'] or claim['category'] or ''}"
    parts = [Highlight(claim["start"], claim["end"], "figure", figure)]
    values = {"source": "claimant", "outlet": "outlet", "place": "place", "period": "period"}
    for part, column in values.items():
        if claim.get(f"{part}_start") is not None:
            parts.append(Highlight(claim[f"{part}_start"], claim[f"{part}_end"], part, f"{part}: {claim[column]} (found by {claim[f'{part}_link']})"))
    return parts


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_YEARLESS_PERIOD = re.compile(r"^--(\d\d)-(\d\d)(?:/--(\d\d)-(\d\d))?$")


def period_words(period: str | None, date_start: date | None = None, date_end: date | None = None) -> str | None:
    """A period as a reader says it: "19-29 Sep 2017", "30 Sep-2 Oct 2017", "19-29 Sep, year
    unknown"; other labels (durations) as they are."""
    if date_start is not None:
        last = date_end or date_start
        return _day_span((date_start.day, date_start.month, date_start.year), (last.day, last.month, last.year))
    match = _YEARLESS_PERIOD.match(period or "")
    if match:
        first = (int(match[2]), int(match[1]), None)
        last = (int(match[4]), int(match[3]), None) if match[3] else first
        return _day_span(first, last) + ", year unknown"
    return period


def _day_span(first: tuple[int, int, int | None], last: tuple[int, int, int | None]) -> str:
    (day1, month1, year1), (day2, month2, year2) = first, last
    year = lambda value: "" if value is None else f" {value}"  # noqa: E731
    if first == last:
        return f"{day1} {_MONTHS[month1 - 1]}{year(year1)}"
    if (month1, year1) == (month2, year2):
        return f"{day1}-{day2} {_MONTHS[month1 - 1]}{year(year1)}"
    if year1 == year2:
        return f"{day1} {_MONTHS[month1 - 1]}-{day2} {_MONTHS[month2 - 1]}{year(year1)}"
    return f"{day1} {_MONTHS[month1 - 1]}{year(year1)}-{day2} {_MONTHS[month2 - 1]}{year(year2)}"


def claim_summary_html(claim: dict[str, Any]) -> str:
    """A one-table summary of a claim: each part, its value and how it was linked."""
    count = claim["count_min"] if claim["count_max"] in (None, claim["count_min"]) else f"{claim['count_min']}–{claim['count_max']}"
    what = " ".join(str(value) for value in (claim["status"], claim["group"] or claim["category"]) if value)
    rows = [("figure", f"{count} {what} ({claim['table']}, {claim['mentions']} mention(s))", "")]
    for part, column in (("source", "claimant"), ("outlet", "outlet"), ("place", "place"), ("period", "period")):
        value = claim.get(column) or (claim.get("period_text") if part == "period" else None)
        if part == "period" and claim.get("period"):
            value = period_words(claim["period"], claim.get("date_start"), claim.get("date_end"))
        rows.append((part, value if value is not None else "—", claim.get(f"{part}_link") or ""))
    if claim.get("review") not in (None, "unreviewed"):
        rows.append(("review", claim["review"], claim.get("review_note") or ""))
    cells = "".join(
        f'<tr><td style="background:{CLAIM_PARTS.get(part, "#e5e7eb")};padding:2px 6px">{part}</td><td style="padding:2px 6px">{html.escape(str(value))}</td>'
        f'<td style="padding:2px 6px;color:#6b7280">{html.escape(link)}</td></tr>'
        for part, value, link in rows
    )
    return f'<table class="toolkit-claim">{cells}</table>'


def render_document(results: "Results", doc_id: str, *, claim: dict[str, Any] | None = None, tables: Sequence[str] | None = None) -> str:
    """HTML of one document: a legend, the claim's summary when given, and the text with every
    extracted span (or only the claim's parts) highlighted."""
    documents = results.documents.filter(pl.col("doc_id") == doc_id)
    if documents.height == 0:
        return f"<p>No document {html.escape(doc_id)} in these results.</p>"
    text = documents["text"][0] or ""
    if claim is not None:
        colours, highlights = CLAIM_PARTS, claim_highlights(claim)
    else:
        names = list(tables if tables is not None else results.tables)
        colours, highlights = table_colours(names), document_highlights(results, doc_id, names)
    legend = " ".join(f'<mark style="background:{colour}">{html.escape(label)}</mark>' for label, colour in colours.items())
    header = f"<h4>{html.escape(doc_id)}</h4><p>{legend}</p>"
    summary = claim_summary_html(claim) if claim is not None else ""
    body = highlight_html(text, highlights, colours)
    return f'<div class="toolkit-document">{header}{summary}<div style="white-space:pre-wrap;line-height:1.6">{body}</div></div>'


def html_table(frame: pl.DataFrame, *, limit: int = 200) -> str:
    """A frame as an escaped HTML table of at most ``limit`` rows, with its full size stated."""
    shown = frame.head(limit)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if value is None else html.escape(str(value))}</td>" for value in row) + "</tr>"
        for row in shown.iter_rows()
    )
    caption = f"{frame.height} rows" + (f", first {limit} shown" if frame.height > limit else "")
    return f'<table class="toolkit-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
