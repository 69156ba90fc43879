"""Equipment-loss claims: vehicles, weapons, positions and facilities destroyed, captured,
damaged or abandoned, in the 17 categories of the gold vocabulary.

Terms come from ``data/equipment_terms.tsv``, predicates from ``data/equipment_cues.tsv``;
plugins extend both through ``toolkit_lexicon_entries`` (``equipment_terms``, ``equipment_cues``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from spacy.tokens import Doc

from toolkit import (
    FIGURE_COLUMNS,
    AliasMatcher,
    Document,
    Extractor,
    ExtractorContext,
    Figure,
    cue_values,
    doc_text,
    figure_columns,
    find_figures,
    hookimpl,
    read_tsv,
    table_schema,
)

DATA = Path(__file__).parent / "data"

SCHEMA = table_schema({**FIGURE_COLUMNS, "category": pl.String(), "status": pl.String()})


class EquipmentExtractor:
    """Reads equipment-loss claims from a parsed document."""

    def __init__(self) -> None:
        self.terms: dict[str, AliasMatcher] = {}
        self.cues: dict[str, AliasMatcher] = {}
        self.modifiers: dict[str, dict[str, AliasMatcher]] = {}

    def setup(self, context: ExtractorContext) -> None:
        terms = context.lexicon("equipment_terms", rows=read_tsv(DATA / "equipment_terms.tsv"), key=("term", "lang"))
        cues = context.lexicon("equipment_cues", rows=read_tsv(DATA / "equipment_cues.tsv"), key=("cue", "lang"))
        modifiers = context.lexicon("category_modifiers", rows=read_tsv(DATA / "category_modifiers.tsv"), key=("modifier", "category", "lang"))
        for lang in ("fr", "en"):
            self.terms[lang] = cue_values(terms, lang, key="term", value="category")
            self.cues[lang] = cue_values(cues, lang)
            by_category: dict[str, AliasMatcher] = {}
            for row in modifiers:
                if row.get("lang") in (lang, "*"):
                    by_category.setdefault(row["category"], AliasMatcher()).add(row["modifier"], row["becomes"])
            self.modifiers[lang] = by_category

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang if document.lang in self.terms else "en"
        rows, text = [], doc_text(doc)
        for figure in find_figures(doc, lang, terms=self.terms[lang], cues=self.cues[lang]):
            if figure.negated or figure.irrealis or figure.term is None:
                continue
            quantity, term = figure.quantity, figure.term
            # an elliptical figure ("12 autres") counts a term named before it: its evidence is its own phrase
            end = term.end if term.end > quantity.start else max(quantity.end, figure.phrase[1] if figure.phrase else 0)
            rows.append(
                {
                    "start": quantity.start,
                    "end": end,
                    "text": text[quantity.start : end],
                    **figure_columns(figure),
                    "category": self._category(text, figure, lang),
                    "status": figure.cue.value,
                }
            )
        return rows


    def _category(self, text: str, figure: Figure, lang: str) -> str:
        """The term's category, changed by a modifier of the noun phrase ("vehicles fitted with
        heavy machine guns" -> technical)."""
        category = figure.term.value
        matcher = self.modifiers[lang].get(category)
        if matcher is None or figure.phrase is None:
            return category
        start, end = figure.phrase
        found = matcher.find(text[max(start, figure.quantity.end) : end])
        return found[0].value if found else category


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = EquipmentExtractor()
    return [
        Extractor(
            name="equipment",
            links_as="figure",
            keys=("category", "status"),
            needs=frozenset({"sentences", "parse", "tags", "lemmas"}),
            version=2,
            languages={"fr", "en"},
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            description="Equipment, positions and facilities destroyed, captured, damaged or abandoned.",
        )
    ]
