"""Periods: every dated expression of a document ("du 19 au 29 septembre", "depuis le 6 février",
"last week", "in the period"), resolved against its publication date by ``toolkit.find_periods``;
the linker gives each claim the period of its sentence, paragraph or report."""

from __future__ import annotations

from typing import Any

import polars as pl
from spacy.tokens import Doc

from toolkit import Document, Extractor, doc_text, find_periods, hookimpl, table_schema

LANGUAGES = ("fr", "en")

SCHEMA = table_schema(
    {
        "kind": pl.String(),
        "date_start": pl.Date(),
        "date_end": pl.Date(),
        "year_inferred": pl.Boolean(),
        "label": pl.String(),
    }
)


def extract_periods(doc: Doc, document: Document) -> list[dict[str, Any]]:
    """Every dated expression of the document, resolved against its publication date."""
    return [
        {
            "start": period.start,
            "end": period.end,
            "text": period.text,
            "kind": period.kind,
            "date_start": period.date_start,
            "date_end": period.date_end,
            "year_inferred": period.year_inferred,
            "label": period.label or None,
        }
        for period in find_periods(doc_text(doc), document.lang, published=document.published)
    ]


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    return [
        Extractor(
            name="periods",
            links_as="period",
            needs=frozenset(),  # read from the text alone
            version=1,
            languages=set(LANGUAGES),
            schema=SCHEMA,
            extract=extract_periods,
            description="Dated expressions (ranges, days, weekdays, relative dates, durations) resolved against the publication date.",
        )
    ]
