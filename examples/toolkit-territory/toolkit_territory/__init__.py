"""Territory and operations claims: area taken or lost (in km²), localities captured, sorties and
strikes counted. A third-party plugin of the conflict claims toolkit, registered through the
``toolkit`` entry-point group and built only on the toolkit's public API (number parser, alias
matcher, lexicon hook, sentence spans)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
from spacy.tokens import Doc

from toolkit import (
    AliasMatch,
    AliasMatcher,
    Document,
    Extractor,
    ExtractorContext,
    doc_text,
    find_quantities,
    hookimpl,
    read_tsv,
    sentence_spans,
    span_text,
    table_schema,
)

DATA = Path(__file__).parent / "data"
LANGUAGES = ("fr", "en")

SCHEMA = table_schema(
    {
        "count_min": pl.Int64(),
        "count_max": pl.Int64(),
        "qualifier": pl.String(),
        "category": pl.String(),
        "unit": pl.String(),
        "status": pl.String(),
        "cue": pl.String(),
    }
)

#: Square kilometres per unit of area named in the text (anything else is read as km²).
_KM2_PER_UNIT = {"hectare": 0.01, "mile": 2.58999, "mille": 2.58999}
#: Operations are counted as conducted; ground needs a word that says what happened to it.
_CONDUCTED = {"sorties", "strikes"}
#: What may stand between a figure and the noun it counts: nothing, or one word ("90 combat sorties").
_BETWEEN_FIGURE_AND_NOUN = re.compile(r"\s+(?:[\w'’-]+\s+)?", re.UNICODE)


class TerritoryExtractor:
    """Reads each sentence: figures of area, and figures followed by a counted noun."""

    def __init__(self) -> None:
        self.terms: dict[str, AliasMatcher] = {}
        self.cues: dict[str, AliasMatcher] = {}

    def setup(self, context: ExtractorContext) -> None:
        self.terms = _matchers(context.lexicon("territory_terms", rows=read_tsv(DATA / "territory_terms.tsv"), key=("phrase", "lang")), "category")
        self.cues = _matchers(context.lexicon("territory_cues", rows=read_tsv(DATA / "territory_cues.tsv"), key=("phrase", "lang")), "status")

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang or ""
        if lang not in self.terms:
            return []
        rows, full_text = [], doc_text(doc)
        for sentence in sentence_spans(doc):
            text, offset = span_text(sentence), sentence.start_char
            terms = self.terms[lang].find(text)
            cues = self.cues[lang].find(text)
            for quantity in find_quantities(text, lang):
                row = self._claim(quantity, text, terms, cues)
                if row is not None:
                    row["start"] += offset
                    row["end"] += offset
                    row["text"] = full_text[row["start"] : row["end"]]
                    rows.append(row)
        return rows

    def _claim(self, quantity: Any, text: str, terms: list[AliasMatch], cues: list[AliasMatch]) -> dict[str, Any] | None:
        if quantity.kind == "area" and quantity.value is not None:
            factor = next((value for unit, value in _KM2_PER_UNIT.items() if unit in (quantity.unit or "").lower()), 1.0)
            low, high = _scaled(quantity.count_min, factor), _scaled(quantity.count_max, factor)
            category, unit, end = "area", "km²", _unit_end(text, quantity)
        elif quantity.is_count:
            term = next((term for term in terms if _BETWEEN_FIGURE_AND_NOUN.fullmatch(text[quantity.end : term.start])), None)
            if term is None:
                return None
            low, high = quantity.count_min, quantity.count_max
            category, unit, end = term.value, None, term.end
        else:
            return None
        if category in _CONDUCTED:
            status, cue = "conducted", None
        else:
            found = _nearest(cues, quantity.start, end, text)
            if found is None:
                return None
            status, cue = found.value, found.text
        return {
            "start": quantity.start, "end": end, "count_min": low, "count_max": high, "qualifier": quantity.qualifier,
            "category": category, "unit": unit, "status": status, "cue": cue,
        }


def _matchers(rows: list[dict[str, str]], column: str) -> dict[str, AliasMatcher]:
    matchers = {lang: AliasMatcher() for lang in LANGUAGES}
    for row in rows:
        for lang in LANGUAGES if row["lang"] == "*" else [row["lang"]]:
            if lang in matchers:
                matchers[lang].add(row["phrase"], row[column])
    return matchers


def _scaled(value: int | None, factor: float) -> int | None:
    return None if value is None else round(value * factor)


def _unit_end(text: str, quantity: Any) -> int:
    """Where the unit written after an area figure ends ("805 kilomètres carrés")."""
    unit = quantity.unit or ""
    position = text.lower().find(unit.lower(), quantity.end) if unit else -1
    return position + len(unit) if 0 <= position - quantity.end <= 3 else quantity.end


def _nearest(cues: list[AliasMatch], start: int, end: int, text: str) -> AliasMatch | None:
    """The cue closest to the figure, not across a semicolon or a new line."""
    best, best_distance = None, None
    for cue in cues:
        between = text[cue.end : start] if cue.end <= start else text[end : cue.start]
        if cue.start < end and cue.end > start or re.search(r"[;\n]", between):
            continue
        distance = len(between)
        if best_distance is None or distance < best_distance:
            best, best_distance = cue, distance
    return best


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = TerritoryExtractor()
    return [
        Extractor(
            name="territory",
            version=1,
            languages=set(LANGUAGES),
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            links_as="figure",
            keys=("category", "status"),
            needs=frozenset({"sentences"}),  # sentence_spans; the figures are read from the text
            description="Area taken or lost (km²), localities captured, sorties and strikes counted.",
        )
    ]
