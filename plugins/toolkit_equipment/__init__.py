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

from toolkit import Document, Extractor, ExtractorContext, hookimpl, read_tsv, table_schema
from toolkit.figures import cue_values, find_loss_figures
from toolkit.lexicons import AliasMatcher

DATA = Path(__file__).parent / "data"

SCHEMA = table_schema(
    {
        "count_min": pl.Int64(),
        "count_max": pl.Int64(),
        "qualifier": pl.String(),
        "category": pl.String(),
        "status": pl.String(),
        "hedged": pl.Boolean(),
        "figure": pl.String(),
        "noun": pl.String(),
        "cue": pl.String(),
        "cue_start": pl.Int64(),
        "cue_end": pl.Int64(),
        "sentence_start": pl.Int64(),
        "sentence_end": pl.Int64(),
    }
)


class EquipmentExtractor:
    """Reads equipment-loss claims from a parsed document."""

    def __init__(self) -> None:
        self.terms: dict[str, AliasMatcher] = {}
        self.cues: dict[str, AliasMatcher] = {}

    def setup(self, context: ExtractorContext) -> None:
        terms = context.lexicon("equipment_terms", rows=read_tsv(DATA / "equipment_terms.tsv"))
        cues = context.lexicon("equipment_cues", rows=read_tsv(DATA / "equipment_cues.tsv"))
        for lang in ("fr", "en"):
            self.terms[lang] = cue_values(terms, lang, key="term", value="category")
            self.cues[lang] = cue_values(cues, lang)

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang if document.lang in self.terms else "en"
        rows = []
        for figure in find_loss_figures(doc, lang, terms=self.terms[lang], cues=self.cues[lang]):
            if figure.negated or figure.irrealis or figure.term is None:
                continue
            quantity, term, cue = figure.quantity, figure.term, figure.cue
            rows.append(
                {
                    "start": quantity.start,
                    "end": term.end,
                    "text": doc.text[quantity.start : term.end],
                    "count_min": quantity.count_min,
                    "count_max": quantity.count_max,
                    "qualifier": quantity.qualifier,
                    "category": term.value,
                    "status": cue.value,
                    "hedged": figure.hedged,
                    "figure": quantity.text,
                    "noun": term.text,
                    "cue": cue.text,
                    "cue_start": cue.start,
                    "cue_end": cue.end,
                    "sentence_start": figure.sentence[0],
                    "sentence_end": figure.sentence[1],
                }
            )
        return rows


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = EquipmentExtractor()
    return [
        Extractor(
            name="equipment",
            version=1,
            languages={"fr", "en"},
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            description="Equipment, positions and facilities destroyed, captured, damaged or abandoned.",
        )
    ]
