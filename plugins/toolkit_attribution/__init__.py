"""Attribution: who says what. One row per attributed statement, with its canonical source.

Cues come from ``data/attribution_cues.tsv``: reporting verbs ("a annoncé le ministère",
"a-t-il indiqué", "Shoigu said"), prepositions ("selon", "according to") and "Source :" lines.
The speaker is read from the words before or after the cue, then resolved in this order:

- a name of the ``sources`` lexicon (``data/sources.tsv``; plugins add rows through
  ``toolkit_lexicon_entries("sources")``), insensitive to case, accents and punctuation;
- a person or organisation found by spaCy, matched to the lexicon through transliteration-
  insensitive fuzzy matching, else kept under its own name (shorter later forms of a name, such
  as "M. Ali Mohtadi" after "Mohammad Ali Mohtadi", join the longer one);
- an anaphor ("il", "ajoute le ministère", "the statement says", "ce dernier"), resolved to the
  last compatible source (``data/speaker_words.tsv``);
- a description without a name ("les sites de comités de coordination") kept as its own source.

Each row carries the span of the attributed content (``claim_start``, ``claim_end``): the
quotation a cue introduces or closes, else the reported clause, else the sentence.

Modules, by concern: ``lexicons`` (the data files and the names they resolve to), ``names`` (the
sources a document mentions), ``quotes``, ``cues`` (what attributes which words) and ``speakers``
(who speaks: names, antecedents, institutions by context, descriptions).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from spacy.tokens import Doc

from toolkit import Document, Extractor, ExtractorContext, hookimpl, table_schema
from toolkit_attribution.cues import CueReader
from toolkit_attribution.lexicons import LANGUAGES, AttributionLexicons, load_lexicons

SCHEMA = table_schema(
    {
        "source": pl.String(),
        "source_kind": pl.String(),
        "affiliation": pl.String(),
        "cue": pl.String(),
        "cue_start": pl.Int64(),
        "cue_end": pl.Int64(),
        "quote": pl.Boolean(),
        "claim_start": pl.Int64(),
        "claim_end": pl.Int64(),
        "resolved_by": pl.String(),
        "sentence_start": pl.Int64(),
        "sentence_end": pl.Int64(),
    }
)

class AttributionExtractor:
    """Reads attributed statements from a parsed document."""

    def __init__(self) -> None:
        self.lexicons: dict[str, AttributionLexicons] = {}

    def setup(self, context: ExtractorContext) -> None:
        self.lexicons = load_lexicons(context)

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang if document.lang in self.lexicons else "en"
        return CueReader(doc, self.lexicons[lang], lang).read()


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = AttributionExtractor()
    return [
        Extractor(
            name="attributions",
            links_as="source",
            needs=frozenset({"sentences", "parse", "tags", "lemmas", "entities"}),
            version=1,
            languages=set(LANGUAGES),
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            description="Sources of statements: persons, organisations and media, with cue, quotation and attributed span.",
        ),
    ]
