"""Casualty claims: people killed, wounded, captured, surrendered, missing, or losses unspecified.

Figures come from the core's number parser, the people counted from the shared ``actors``
lexicon, predicates from ``data/casualty_cues.tsv``. Plugins extend both through the
``toolkit_lexicon_entries`` hook (lexicons ``actors`` and ``casualty_cues``).
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

SCHEMA = table_schema(
    {**FIGURE_COLUMNS, "status": pl.String(), "group": pl.String(), "perpetrator": pl.String()}
)


class CasualtyExtractor:
    """Reads casualty claims from a parsed document."""

    def __init__(self) -> None:
        self.terms: dict[str, AliasMatcher] = {}
        self.cues: dict[str, AliasMatcher] = {}
        self.organizations: dict[str, AliasMatcher] = {}

    def setup(self, context: ExtractorContext) -> None:
        actors = context.lexicon("actors")
        cues = context.lexicon("casualty_cues", rows=read_tsv(DATA / "casualty_cues.tsv"), key=("cue", "lang"))
        for lang in ("fr", "en"):
            people = AliasMatcher()
            organizations = AliasMatcher()
            for row in actors:
                if row.get("lang") not in (lang, "*"):
                    continue
                target = people if row.get("kind") == "people" else organizations
                target.add(row["alias"], row["canonical"])
            cue_matcher = cue_values(cues, lang)
            # nouns that are themselves a status ("30 morts", "des milliers de victimes") are terms too
            for row in cues:
                if row.get("lang") in (lang, "*") and row.get("status"):
                    people.add(row["cue"], None)
            # an organisation can be counted too: "200 ISIS", "30 Hezbollah"
            for row in actors:
                if row.get("lang") in (lang, "*") and row.get("kind") != "people":
                    people.add(row["alias"], row["canonical"])
            self.terms[lang], self.cues[lang], self.organizations[lang] = people, cue_matcher, organizations

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang if document.lang in self.terms else "en"
        rows, text = [], doc_text(doc)
        for figure in find_figures(doc, lang, terms=self.terms[lang], cues=self.cues[lang], bare_figures=True):
            if figure.negated or figure.irrealis:
                continue
            rows.append(self._row(text, figure, lang))
        return rows

    def _row(self, text: str, figure: Figure, lang: str) -> dict[str, Any]:
        quantity, cue = figure.quantity, figure.cue
        start, end = min(quantity.start, cue.start), max(figure.end, cue.end)
        return {
            "start": start,
            "end": end,
            "text": text[start:end],
            **figure_columns(figure),
            "status": _status(figure),
            "group": self._group(text, figure, lang),
            "perpetrator": self._perpetrator(text, figure, lang),
        }

    def _group(self, text: str, figure: Figure, lang: str) -> str | None:
        """The organisation named with the people counted ("ISIS militants", "terroristes de Daech"),
        else the canonical people noun ("terroristes" -> militants)."""
        term = figure.term
        if term is None:
            return None
        window_start = figure.quantity.end
        window_end = min(figure.sentence[1], term.end + 40)
        for match in self.organizations[lang].iter_matches(text[window_start:window_end]):
            absolute = window_start + match.start
            between = text[term.end : absolute]
            if absolute < term.start or (len(between.split()) <= 3 and not any(c in between for c in ",;.")):
                return match.value
        return term.value

    def _perpetrator(self, text: str, figure: Figure, lang: str) -> str | None:
        """Who caused the losses: the subject before an active predicate, or the agent after a passive one."""
        cue, sentence_start, sentence_end = figure.cue, *figure.sentence
        organizations = self.organizations[lang]
        if cue.end <= figure.quantity.start:
            before = list(organizations.iter_matches(text[sentence_start : cue.start]))
            return before[-1].value if before else None
        after = text[cue.end : sentence_end]
        for marker in ("par ", "by "):
            position = after.find(marker)
            if 0 <= position <= 20:
                found = organizations.find(after[position : position + 80])
                return found[0].value if found else None
        return None


def _status(figure: Figure) -> str:
    """The predicate's status; loss words of different statuses joined without a figure of their
    own ("killed or wounded", "30 morts et blessés") cover them all: ``casualties``."""
    statuses = {figure.cue.value, *figure.joint}
    return figure.cue.value if len(statuses) == 1 else "casualties"


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = CasualtyExtractor()
    return [
        Extractor(
            name="casualties",
            links_as="figure",
            keys=("status",),
            needs=frozenset({"sentences", "parse", "tags", "lemmas"}),
            version=2,
            languages={"fr", "en"},
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            description="People killed, wounded, captured, surrendered or missing, with figure, group and predicate.",
        )
    ]
