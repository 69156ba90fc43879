"""Linked claims: each figure of loss with who claims it, who relays it, where and when.

Tables take part by the role their extractor declares (``Extractor.links_as``): ``figure`` rows
(casualties, equipment, a plugin's counts) are the claims; ``source`` rows (attributions), ``place``
rows and ``period`` rows are attached to them, by position in the text:

- source: the speaker whose attributed span holds the figure (the tightest one), else a speaker of
  the same sentence, else a media outlet whose span holds it, else the last speaker earlier in
  the paragraph, else the article's main source (its most cited speaker);
- outlet: a media outlet whose span holds the figure ("..., rapporte RT", a "Source :" line), else
  one cited in the article's lead ("..., selon Sputnik"), else the document's ``outlet`` field;
- place: a place of the figure's clause (the most precise), else of its sentence (the nearest),
  else the nearest one before it in the paragraph, then in the article; never a capital standing
  for its government, a speaker's name ("Russia's defence minister") or an origin ("venus de l'Irak");
  else the country of a war whose parties the article names (``data/theatres.tsv``), of the
  dateline, or the only country the article speaks of;
- period: a dated expression of the sentence, outside the words that introduce the speaker
  ("a annoncé ce samedi le ministère" dates the statement, not the claim), else the last one
  before it in the paragraph, else a recent one in an earlier paragraph under the same heading;
- report: a claim without a period, or whose place was only found before its sentence, takes the
  period and place of the claim just before it when both have the same claimant (a report that
  goes on, as the gold README asks).

Each part says how it was found (``*_link``) and carries its own evidence span. Mentions of the
same figure in one article (headline and body) are one claim. ``claim_key`` is the same for the
same figure claimed by the same claimant in the same area at overlapping times, across articles
(``toolkit.events``).
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.events import with_claim_keys
from toolkit.lexicons import Lexicon, core_lexicon, demonyms
from toolkit.schemas import CLAIMS, empty_frame, frame_from_rows

if TYPE_CHECKING:
    from toolkit.results import Results

Row = dict[str, Any]

#: How precise a place kind is, most precise first.
_PLACE_PRECISION = {"locality": 0, "feature": 0, "admin1": 1, "country": 2}
#: What follows a dateline's place: an optional date, an agency in brackets, then a dash or a colon;
#: or the date and the agency between slashes ("MOSCOW, December 24. /TASS/.").
_DATELINE = re.compile(r"(?:,[^\n.:()]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*\.?\s*(?:[-–—:]|/[A-Za-z-]{2,20}/)")
#: Words before a country that make it the other side of a border from where things happened.
_ACROSS_BORDER = re.compile(
    r"(?:\bfronti[eè]res?\s+(?:avec|de)|\bborders?\s+(?:with|of)|\bpr[eè]s|\bnon\s+loin|\bproche|\bnear|\bclose\s+to)"
    r"\s*(?:de\s+la\s+|de\s+l['’]|du\s+|de\s+|d['’]|des\s+|le\s+|la\s+|l['’]|les\s+|the\s+)?$",
    re.IGNORECASE,
)
#: Words before a place that make it the seat of an organisation ("l'OSDH, basé à Londres").
_SEAT = re.compile(
    r"(?:\bbasée?s?|\binstallée?s?|\bétablie?s?|\bsiégeant|\bbased|\bheadquartered)\s+(?:à|au|aux|en|in|at)\s+(?:the\s+)?$", re.IGNORECASE
)
#: Offices a place names around it ("the Herat governor", "le gouverneur du Darfour-Nord").
_OFFICE_BEFORE = re.compile(
    r"\b(?:gouverneure?|préfète?|maire|governor|mayor)\s+(?:de\s+la\s+|de\s+l['’]|du\s+|de\s+|d['’]|of\s+(?:the\s+)?)$", re.IGNORECASE
)
_OFFICE_AFTER = re.compile(r"(?:['’]s)?\s+(?:provincial\s+)?(?:governor|mayor)\b", re.IGNORECASE)
#: Words before a place that make it where people or things came from, not where the claim happened.
_ORIGIN = re.compile(
    r"(?:\bdepuis|\bfrom|\bvenu(?:e?s?)\s+de|\bvenant\s+de|\barrivée?s?\s+de|\ben\s+provenance\s+de|\boriginaires?\s+de"
    r"|\bdécollée?s?\s+de|\bpartie?s?\s+de)"
    r"\s+(?:l['’]|la\s+|le\s+|les\s+|d['’]|de\s+|du\s+|des\s+|the\s+)?"
    r"(?:(?:ville|province|région|region|city|town|village)\s+(?:de\s+|d['’]|du\s+|of\s+(?:the\s+)?)?)?$",
    re.IGNORECASE,
)
#: A dateline around its date: the place and a comma before it, an agency and a dash after it.
_DATELINE_HEAD = re.compile(r"[^\W\d][^\n,.:;()]{0,40},\s*")
_DATELINE_TAIL = re.compile(r"\s*\.?\s*(?:\([^)\n]{1,40}\))?\s*\.?\s*[-–—:]")
#: How far from its cue a speaker's name may stand and still introduce the statement with it
#: ("the spokesman of the army, Gen. NAME, said"); further off, it was read elsewhere.
_FRAME_GAP = 80
_POSSESSIVE = re.compile(r"['’]s\b")
#: Whom a statement was made to, between the speaker's words and the date ("told reporters on
#: Tuesday", "a déclaré à la presse samedi"): up to three words, no figure, no clause, within
#: ``_ADDRESSEE_GAP`` characters of the speaker's words.
_ADDRESSEE = re.compile(r"\s*(?:(?!that\b|que\b|qu['’])[^\W\d]+['’]?\s+){0,3}")
_ADDRESSEE_GAP = 40
_TOLD = re.compile(r"\b(?:told|tells|telling|briefed)\s*$", re.IGNORECASE)
_DATIVE = re.compile(r"\s*(?:à|au|aux|to)\s", re.IGNORECASE)
_NO_END = 1 << 62
_SENTENCE_END = re.compile(r"[.!?…][»\"”’)\s]*$")
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:while|whereas|but|alors\s+que|tandis\s+que|mais)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”’)]*\s+(?=[«\"“(]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|MM|Mme|Mr|Mrs|Ms|Dr|Pr|Gen|Gén|Lt|Col|Sgt|St|No|Jr|Sr|vol|art)|\b[A-Z])\.$")
_LINK_RANK = {"claim": 0, "sentence": 1, "clause": 0, "paragraph": 2, "report": 2, "document": 3, "main": 3}


@dataclass(frozen=True)
class Layout:
    """Paragraphs (lines) and sentences of a text, as (start, end) character spans, and where
    its headings start (lines that do not end like a sentence: a headline, a subheading, a
    dateline or page furniture such as "Publish Date: 22 August 2017")."""

    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    headings: list[int]

    @classmethod
    def of(cls, text: str) -> "Layout":
        paragraphs, sentences = [], []
        offset = 0
        for line in text.split("\n"):
            start, end = offset + len(line) - len(line.lstrip()), offset + len(line.rstrip())
            offset += len(line) + 1
            if end <= start:
                continue
            paragraphs.append((start, end))
            begin = start
            for match in _SENTENCE_BREAK.finditer(text, start, end):
                if _ABBREVIATION.search(text[begin : match.start() + 1]):
                    continue
                sentences.append((begin, match.start() + len(match.group().rstrip())))
                begin = match.end()
            sentences.append((begin, end))
        headings = [start for start, end in paragraphs if not _SENTENCE_END.search(text, start, end)]
        return cls(paragraphs, sentences, headings)

    @staticmethod
    def _around(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
        index = bisect_right(spans, (position, _NO_END)) - 1  # spans are sorted and do not overlap
        if index >= 0 and spans[index][0] <= position < spans[index][1]:
            return spans[index]
        return position, position

    def sentence(self, position: int) -> tuple[int, int]:
        return self._around(self.sentences, position)

    def paragraph(self, position: int) -> tuple[int, int]:
        return self._around(self.paragraphs, position)

    def section(self, position: int) -> int:
        """Where the section holding ``position`` starts: its last heading, else the text's start."""
        index = bisect_right(self.headings, position)
        return self.headings[index - 1] if index else 0


def clause(text: str, sentence: tuple[int, int], position: int) -> tuple[int, int]:
    """The stretch of ``sentence`` between clause breaks (";", ":", ", while", ", alors que") that
    holds ``position``."""
    start, end = sentence
    for match in _CLAUSE_BREAK.finditer(text, sentence[0], sentence[1]):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


class UnlinkedPartsWarning(UserWarning):
    """Claims were linked in a run that has no table for one of their parts."""


def claims_schema(schemas: Mapping[str, pl.Schema], extractors: Mapping[str, dict[str, Any]]) -> pl.Schema:
    """``CLAIMS`` with the key columns that the figure tables of a run (their ``schemas`` and the
    ``extractors`` that describe them) declare beyond it (a plugin's ``movement``)."""
    extra: dict[str, pl.DataType] = {}
    for name, keys in _figure_keys(schemas, extractors).items():
        for column in keys:
            if column not in CLAIMS and column not in extra:
                extra[column] = schemas[name][column]
    if not extra:
        return CLAIMS
    columns = list(CLAIMS.items())
    at = CLAIMS.names().index("mentions")
    return pl.Schema([*columns[:at], *extra.items(), *columns[at:]])


def _figure_keys(schemas: Mapping[str, pl.Schema], extractors: Mapping[str, dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """The key columns of each figure table (``Extractor.keys``)."""
    return {
        name: tuple(info.get("keys") or ())
        for name, info in extractors.items() if info.get("links_as") == "figure" and name in schemas
    }


def link_claims(results: "Results") -> pl.DataFrame:
    """One row per claim of every ``figure`` table of ``results``, with its key columns, source,
    outlet, place and period and the evidence span of each (schema ``claims_schema``). A
    typed empty frame when no figure table was run."""
    roles: dict[str, list[str]] = {}
    for name, info in results.extractors.items():
        if info.get("links_as") and name in results.tables:
            roles.setdefault(info["links_as"], []).append(name)
    schemas = {name: frame.schema for name, frame in results.tables.items()}
    schema = claims_schema(schemas, results.extractors)
    figures = _rows_by_document(results, roles.get("figure", []))
    if not figures:
        return empty_frame(schema)
    missing = [role for role in ("source", "place", "period") if role not in roles]
    if missing:
        warnings.warn(
            f"claims linked without a {', '.join(missing)} table: their {', '.join(missing)} parts stay empty "
            "(run an extractor that links as each, such as attributions, places and periods)", UnlinkedPartsWarning, stacklevel=2,
        )
    keys = _figure_keys(schemas, results.extractors)
    sources = _rows_by_document(results, roles.get("source", []))
    places = _rows_by_document(results, roles.get("place", []))
    periods = _rows_by_document(results, roles.get("period", []))
    documents = {row["doc_id"]: row for row in results.documents.select("doc_id", "text", "outlet", "published").iter_rows(named=True)}
    rows: list[Row] = []
    for doc_id, figure_rows in figures.items():
        document = documents.get(doc_id, {"text": "", "outlet": None, "published": None})
        linker = _DocumentLinker(
            document["text"] or "", sources.get(doc_id, []), places.get(doc_id, []), periods.get(doc_id, []),
            outlet=document["outlet"], published=document["published"], keys=keys,
        )
        for claim in linker.claims(figure_rows):
            rows.append({"doc_id": doc_id, **claim, "published": document["published"], "review": "unreviewed"})
    frame = frame_from_rows(rows, schema)
    order = {doc_id: position for position, doc_id in enumerate(documents)}
    return (
        with_claim_keys(frame)
        .with_columns(_order=pl.col("doc_id").replace_strict(order, default=len(order), return_dtype=pl.Int64))
        .sort("_order", "start", maintain_order=True)
        .drop("_order")
    )


def _rows_by_document(results: "Results", names: Iterable[str]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for name in names:
        for row in results[name].iter_rows(named=True):
            grouped.setdefault(row["doc_id"], []).append({**row, "table": name})
    for rows in grouped.values():
        rows.sort(key=lambda row: (row["start"], row["end"]))
    return grouped


class _Spans:
    """Rows sorted by where their span starts, found by bisection: the ones that start in a
    stretch, and the ones whose span holds a stretch. Linking a long document stays linear."""

    def __init__(self, rows: Iterable[Row], start: str = "start", end: str = "end") -> None:
        self.rows = sorted(rows, key=lambda row: (row[start], row["start"], row["end"]))
        self.starts = [row[start] for row in self.rows]
        self.ends = [row[end] for row in self.rows]
        self.reach = max((last - first for first, last in zip(self.starts, self.ends)), default=0)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def starting_in(self, low: int, high: int) -> list[Row]:
        return self.rows[bisect_left(self.starts, low) : bisect_left(self.starts, high)]

    def holding(self, low: int, high: int, *, slack: int = 0) -> list[Row]:
        """Rows whose span holds ``low``..``high`` (ending up to ``slack`` characters early), in text order."""
        first, last = bisect_left(self.starts, low - self.reach - slack), bisect_right(self.starts, low)
        found = [self.rows[index] for index in range(first, last) if high <= self.ends[index] + slack]
        return sorted(found, key=lambda row: (row["start"], row["end"]))


class _DocumentLinker:
    """The linking rules applied to the rows of one document."""

    def __init__(
        self, text: str, sources: list[Row], places: list[Row], periods: list[Row], *, outlet: str | None, published: date | None = None,
        keys: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.text = text
        self.keys = keys or {}
        self.layout = Layout.of(text)
        self.outlet = outlet
        covers_document = [row["claim_start"] <= 0 and row["claim_end"] >= len(text) > 0 for row in sources]
        self.document_wide = [row for row, whole in zip(sources, covers_document) if whole and row["source_kind"] == "media"]
        self.speakers = _Spans(row for row, whole in zip(sources, covers_document) if not whole and row["source_kind"] != "media")
        self.media = _Spans(row for row, whole in zip(sources, covers_document) if not whole and row["source_kind"] == "media")
        self.speaker_claims = _Spans(self.speakers, "claim_start", "claim_end")
        self.media_claims = _Spans(self.media, "claim_start", "claim_end")
        self.names = _Spans([*self.speakers, *self.media])
        self.frames = _Spans(self._frame(row) for row in sources)
        usable = [
            row for row in places
            if not row.get("metonymic") and not self._inside_speaker(row) and not self._is_origin(row) and not self._across_border(row)
            and not self._names_an_office(row) and not self._in_speaker_apposition(row)
        ]
        self.datelines = [row for row in usable if self._is_dateline(row)]
        self.places = _Spans(row for row in usable if not self._is_dateline(row))
        self.countries = {row["country"]: row for row in usable if row["kind"] == "country"}
        self.mapped_places = _Spans(row for row in self.places if row["kind"] == "country" or row.get("lat") is not None)
        self.periods = _Spans(periods)
        self.all_places = places
        ends = [row["date_end"] for row in periods if row.get("date_end") is not None]
        self.latest = published or (max(ends) if ends else None)
        self.main_source = self._main_source()
        self.lead_outlet = self._lead_outlet()

    def _frame(self, source: Row) -> Row:
        """The words that introduce a statement: its cue and the speaker's name when both stand
        together; only the cue when the name was read elsewhere ("told state media" taken for
        the outlet of the dateline)."""
        cue_start, cue_end = source.get("cue_start"), source.get("cue_end")
        if cue_start is None or cue_end is None:
            return {"start": source["start"], "end": source["end"]}
        gap = max(source["start"] - cue_end, cue_start - source["end"])
        if gap > _FRAME_GAP or self.layout.sentence(source["start"]) != self.layout.sentence(cue_start):
            return {"start": cue_start, "end": cue_end}
        return {"start": min(source["start"], cue_start), "end": max(source["end"], cue_end)}

    # -- claims -------------------------------------------------------------------------------

    def claims(self, figures: list[Row]) -> list[Row]:
        """One linked row per claim, the mentions of a repeated figure merged."""
        linked = _shared_report_parts(sorted((self._link(figure) for figure in figures), key=lambda mention: mention["start"]))
        merged: list[list[Row]] = []
        for mention in linked:
            for group in merged:
                if _same_claim(group[0], mention, self.keys.get(mention["table"], ())):
                    group.append(mention)
                    break
            else:
                merged.append([mention])
        claims = [_merge(group) for group in merged]
        for claim in claims:
            claim.pop("_in_heading", None)
        return claims

    def _link(self, figure: Row) -> Row:
        row: Row = {
            "start": figure["start"], "end": figure["end"], "text": figure["text"], "table": figure["table"],
            "count_min": figure["count_min"], "count_max": figure["count_max"],
            **{column: figure.get(column) for column in (*_CARRIED, *self.keys.get(figure["table"], ()))},
        }
        source = self._source(figure)
        row.update(source)
        row.update(self._outlet(figure, source))
        # A speaker's attributed words bound the claim: a place or date outside them in the same
        # sentence is where or when the statement was made.
        sentence = self.layout.sentence(figure["start"])
        if source.get("source_link") == "claim":
            sentence = (max(sentence[0], source["_claim"][0]), min(sentence[1], source["_claim"][1]))
        row.update(self._place(figure, sentence))
        row.update(self._period(figure, sentence))
        row.pop("_claim", None)
        row["_in_heading"] = self.layout.paragraph(figure["start"])[0] in self.layout.headings
        return row

    # -- source -------------------------------------------------------------------------------

    def _source(self, figure: Row) -> Row:
        start, end = figure["start"], figure["end"]
        holding = self.speaker_claims.holding(start, end)
        if holding:
            return _source_columns(min(holding, key=_tightness), "claim")
        sentence = self.layout.sentence(start)
        in_sentence = self.speakers.starting_in(*sentence)
        if in_sentence:
            return _source_columns(min(in_sentence, key=lambda row: (abs(row["start"] - start), row.get("resolved_by") == "affiliation")), "sentence")
        media = self.media_claims.holding(start, end)
        if media:
            return _source_columns(min(media, key=_tightness), "claim")
        paragraph = self.layout.paragraph(start)
        earlier = self.speakers.starting_in(paragraph[0], start)
        if earlier:
            return _source_columns(max(earlier, key=lambda row: (row["start"], row.get("resolved_by") != "affiliation")), "paragraph")
        if self.main_source is not None:
            return _source_columns(self.main_source, "main")
        return {}

    def _main_source(self) -> Row | None:
        """The claimant cited most often (speakers first, media when no one else speaks)."""
        for rows in (self.speakers.rows, self.media.rows):
            if rows:
                claimant = Counter(_claimant(row) for row in rows).most_common(1)[0][0]
                named = [row for row in rows if _claimant(row) == claimant]
                return next((row for row in named if row["source"] == claimant), named[0])
        return None

    # -- outlet -------------------------------------------------------------------------------

    def _outlet(self, figure: Row, source: Row) -> Row:
        start, end = figure["start"], figure["end"]
        holding = [row for row in self.media_claims.holding(start, end) if row["start"] != source.get("source_start")]
        if holding:
            return _outlet_columns(min(holding, key=_tightness), "claim")
        if self.document_wide:
            return _outlet_columns(self.document_wide[0], "source_line")
        if self.lead_outlet is not None and self.lead_outlet["start"] != source.get("source_start"):
            return _outlet_columns(self.lead_outlet, "lead")
        if self.outlet:
            return {"outlet": self.outlet, "outlet_link": "metadata"}
        return {}

    def _lead_outlet(self) -> Row | None:
        """A media outlet cited in the article's first paragraph of twenty words or more."""
        for start, end in self.layout.paragraphs:
            if len(self.text[start:end].split()) >= 20:
                cited = self.media.starting_in(start, end)
                return cited[0] if cited else None
        return None

    # -- place --------------------------------------------------------------------------------

    def _place(self, figure: Row, sentence: tuple[int, int]) -> Row:
        """The place of the figure's clause, sentence, paragraph or article; places the gazetteer
        could not put on the map ("le quartier Manchiyyeh") only when no mapped place is found."""
        for places in (self.mapped_places, self.places):
            found = self._place_among(places, figure, sentence)
            if found:
                return found
        return self._theatre() or self._dateline_place() or self._only_country()

    @cached_property
    def country_mentions(self) -> list[Row]:
        """The countries the article speaks of, in text order: by name, by a capital standing for
        its government, by adjective; an actor's ("Moscou a affirmé", "Russia's defence ministry")
        says who speaks or acts. Read only for a figure the text places nowhere."""
        mentions = [
            {"start": row["start"], "end": row["end"], "text": row["text"], "country": row["country"], "actor": bool(row.get("metonymic"))}
            for row in self.all_places if row.get("country") and (row["kind"] == "country" or row.get("metonymic"))
        ] + [
            {"start": match.start, "end": match.end, "text": match.text, "country": match.value, "actor": False}
            for match in demonyms().iter_matches(self.text)
        ]
        return sorted(
            ({**mention, "actor": mention["actor"] or bool(self.names.holding(mention["start"], mention["start"] + 1))} for mention in mentions),
            key=lambda mention: mention["start"],
        )

    def _theatre(self) -> Row:
        """The country a war is fought in when the article names all its parties ("Russia says
        350 Ukrainian soldiers were killed": Ukraine; ``toolkit/data/theatres.tsv``)."""
        named = {mention["country"] for mention in self.country_mentions}
        for row in core_lexicon("theatres").rows:
            if set(row["parties"].split("|")) <= named:
                return self._country_row(row["country"], "theatre")
        return {}

    def _only_country(self) -> Row:
        """The one country the article speaks of, by name or adjective ("Afghan forces killed 52
        militants"), when it speaks of no other; a country only named as a speaker or an actor
        ("Russia's defence ministry said", "Moscou a affirmé") is not where things happened."""
        named = {mention["country"] for mention in self.country_mentions if not mention["actor"]}
        return self._country_row(named.pop(), "country", actors=False) if len(named) == 1 else {}

    def _country_row(self, code: str, link: str, *, actors: bool = True) -> Row:
        mention = next(m for m in self.country_mentions if m["country"] == code and (actors or not m["actor"]))  # the first, as evidence
        country = self.countries.get(code) or {"name": country_name(code), "kind": "country", "country": code, "admin1": None, "lat": None, "lon": None}
        return _place_columns({**country, "start": mention["start"], "end": mention["end"], "text": mention["text"]}, link)

    def _dateline_place(self) -> Row:
        """The country of the dateline ("KABUL (Reuters) -") when the text ties the figure to no
        place: the city a story was filed from is not where the losses happened, its country most
        often is. A division or a region heading the text ("Haut-Karabakh :", "Gaza:") is the
        theatre itself."""
        if not self.datelines or not self.datelines[0].get("country"):
            return {}
        dateline = self.datelines[0]
        if dateline["kind"] in ("admin1", "feature") and not dateline.get("metonymic"):
            return _place_columns(dateline, "dateline")
        country = self.countries.get(dateline["country"]) or {
            **dateline, "name": country_name(dateline["country"]), "kind": "country", "admin1": None, "lat": None, "lon": None,
        }
        return _place_columns({**country, "start": dateline["start"], "end": dateline["end"], "text": dateline["text"]}, "dateline")

    def _place_among(self, places: _Spans, figure: Row, sentence: tuple[int, int]) -> Row:
        start = figure["start"]
        own_clause = clause(self.text, sentence, start)
        in_clause = places.starting_in(*own_clause)
        if in_clause:
            return _place_columns(min(in_clause, key=lambda row: (_is_landmark(row), _PLACE_PRECISION.get(row["kind"], 3), _distance(row, figure))), "clause")
        in_sentence = places.starting_in(*sentence)
        if in_sentence:
            closest = min(in_sentence, key=lambda row: (_is_landmark(row), _distance(row, figure), _PLACE_PRECISION.get(row["kind"], 3)))
            return _place_columns(closest, "sentence")
        # the last sentence of the paragraph that names places ("an incursion at a village near
        # Biu, Borno State. Troops neutralised six terrorists"), then the last paragraph before
        # that names places ("Deraa : attaque conjointe" then "dans la ville de Deraa, ... en
        # Syrie"): its most precise place
        paragraph = self.layout.paragraph(start)
        for low, high, link, unit in ((paragraph[0], start, "paragraph", self.layout.sentence), (0, paragraph[0], "document", self.layout.paragraph)):
            earlier = places.starting_in(low, high)[-1:]
            if earlier:
                last = unit(earlier[-1]["start"])
                recent = [row for row in places.starting_in(max(low, last[0]), high) if not _is_landmark(row)] or earlier
                return _place_columns(min(reversed(recent), key=lambda row: _PLACE_PRECISION.get(row["kind"], 3)), link)
        return {}

    def _inside_speaker(self, place: Row) -> bool:
        return bool(self.names.holding(place["start"], place["start"] + 1))

    def _is_dateline(self, place: Row) -> bool:
        """The place a story was filed from, at the head of a line: "KABUL (Sputnik) -",
        "Ouagadougou:", "Bogota, 10 sept (EFE). -", "KIGALI, Aug 5 -"."""
        line_start = self.text.rfind("\n", 0, place["start"]) + 1
        return not self.text[line_start : place["start"]].strip() and bool(_DATELINE.match(self.text, place["end"]))

    def _is_origin(self, place: Row) -> bool:
        """"venus de l'Irak", "fighters from Chad", "ont décollé de Niamey", "l'OSDH, basé à Londres";
        not "15 kilometres from Jamaame", a distance."""
        if place.get("distance_km") is not None:
            return False
        before = self.text[max(0, place["start"] - 40) : place["start"]]
        return bool(_ORIGIN.search(before) or _SEAT.search(before))

    def _in_speaker_apposition(self, place: Row) -> bool:
        """A place in the words set off by commas between a speaker's name and the reporting verb
        ("Yohannes Nigusu, of Fano in Gondar, said"): where the speaker is from."""
        for speaker in self.speakers.starting_in(place["start"] - 2 * _FRAME_GAP, place["start"]):
            cue_start = speaker.get("cue_start")
            if cue_start is None or not speaker["end"] <= place["start"] < place["end"] <= cue_start <= speaker["end"] + _FRAME_GAP:
                continue
            between = self.text[speaker["end"] : cue_start].strip()
            if between.startswith(",") and between.endswith(","):
                return True
        return False

    def _names_an_office(self, place: Row) -> bool:
        """A place that only says whose official speaks ("spokesman for the Herat governor", "le
        gouverneur du Darfour-Nord"): not where things happened."""
        return bool(_OFFICE_BEFORE.search(self.text[max(0, place["start"] - 40) : place["start"]]) or _OFFICE_AFTER.match(self.text, place["end"]))

    def _across_border(self, place: Row) -> bool:
        """A country named as the other side ("près du Mali", "near the border with Burkina Faso"):
        where things happened is next to it, not in it."""
        return place["kind"] == "country" and bool(_ACROSS_BORDER.search(self.text[max(0, place["start"] - 50) : place["start"]]))

    # -- period -------------------------------------------------------------------------------

    def _in_dateline(self, period: Row) -> bool:
        """A date in a dateline ("RAWALPINDI, Jan 26 -", "Bogota, 10 sept (EFE). -") dates the
        dispatch, not the losses."""
        line_start = self.text.rfind("\n", 0, period["start"]) + 1
        head = self.text[line_start : period["start"]]
        return bool(_DATELINE_HEAD.fullmatch(head) and _DATELINE_TAIL.match(self.text, period["end"]))

    def _dates_statement(self, period: Row) -> bool:
        """A date among the words that introduce a speaker or right after them dates the statement:
        "a annoncé ce samedi le ministère", "a annoncé samedi que", "said on Monday that"."""
        start = period["start"]
        if _POSSESSIVE.match(self.text, period["end"]):
            return False  # "said Monday's attack": the date of the attack
        return any(
            start < frame["end"] or not self.text[frame["end"] : start].strip() or self._told_before(frame, start)
            for frame in self.frames.holding(start, start, slack=_ADDRESSEE_GAP)
        )

    def _told_before(self, frame: Row, start: int) -> bool:
        """Whom the statement was made to stands between the speaker's words and ``start``
        ("told reporters on Tuesday", "a déclaré à la presse samedi")."""
        between = self.text[frame["end"] : start]
        told = _TOLD.search(self.text, frame["start"], frame["end"]) is not None
        return bool(_ADDRESSEE.fullmatch(between)) and (told or _DATIVE.match(between) is not None)

    def _period(self, figure: Row, sentence: tuple[int, int]) -> Row:
        """A dated expression of the figure's sentence, else the last one before it in its
        paragraph ("une attaque survenue mercredi 6 octobre. Le bilan est de 3 morts"), else the
        last recent one before it in the article ("De violents combats ont opposé lundi ..." then,
        a paragraph later, "17 personnes ont été tuées dans ces affrontements") under the same
        heading."""
        candidates = [row for row in self.periods.starting_in(*sentence) if not self._dates_statement(row) and not self._in_dateline(row)]
        if candidates:
            best = min(candidates, key=lambda row: (not _is_dated(row), _distance(row, figure)))
            return _period_columns(best, "sentence")
        paragraph = self.layout.paragraph(figure["start"])
        earlier = [
            row for row in self.periods.starting_in(paragraph[0], sentence[0])
            if _is_dated(row) and not self._dates_statement(row) and not self._in_dateline(row)
        ]
        if earlier:
            return _period_columns(earlier[-1], "paragraph")
        section = self.layout.section(figure["start"])
        for row in reversed(self.periods.starting_in(section, paragraph[0])):
            if _is_dated(row) and not self._dates_statement(row) and not self._in_dateline(row) and self._recent(row):
                return _period_columns(row, "document")
        return self._lead_event(figure, paragraph)

    def _lead_event(self, figure: Row, paragraph: tuple[int, int]) -> Row:
        """A figure of the headline or of the lead with no date before it takes the first recent
        date the next paragraph gives the news event ("Al-Shabaab militants killed seven soldiers
        ..." then "fighters stormed the base at dawn on Sunday")."""
        index = self.layout.paragraphs.index(paragraph) if paragraph in self.layout.paragraphs else len(self.layout.paragraphs)
        lead = next((i for i, (start, end) in enumerate(self.layout.paragraphs) if len(self.text[start:end].split()) >= 20), None)
        if lead is None or index > lead or lead + 1 >= len(self.layout.paragraphs):
            return {}
        following = self.layout.paragraphs[lead + 1]
        for row in self.periods.starting_in(max(figure["end"], self.layout.paragraphs[lead][0]), following[1]):
            if _is_dated(row) and row["kind"] in _EVENT_DAYS and not self._dates_statement(row) and not self._in_dateline(row) and self._recent(row):
                return _period_columns(row, "lead")
        return {}

    def _recent(self, period: Row) -> bool:
        """Whether a period ends within ``RECENT_DAYS`` of the publication (or of the latest date
        the article gives): the news event, not a background date ("in October 2017"). A date
        counted back from the publication ("last month", "hier") is recent by its very words."""
        if self.latest is None or period.get("date_end") is None or period.get("kind") == "relative":
            return True
        return (self.latest - period["date_end"]).days <= RECENT_DAYS


#: Columns of a figure table that claims carry besides its keys, when it has them.
_CARRIED = ("qualifier", "group", "hedged")
#: Period kinds that date an event rather than a report ("on Sunday", "le 3 mars", "hier").
_EVENT_DAYS = {"day", "weekday", "relative", "night"}
_PERIOD_COLUMNS = ("period", "period_kind", "date_start", "date_end", "year_inferred", "period_start", "period_end", "period_text")
_PLACE_COLUMNS = ("place", "place_kind", "country", "admin1", "lat", "lon", "place_start", "place_end", "place_text")
#: Place links weaker than a report's: the place was only found before the figure's sentence.
_DISTANT_PLACE = {None, "paragraph", "document"}
#: Place links of a country found for want of any place tied to the figure.
_COUNTRY_FALLBACKS = {"theatre", "dateline", "country"}
#: Period links weaker than a report's: the period was only found before the figure's paragraph.
_DISTANT_PERIOD = {None, "document"}


def _shared_report_parts(claims: list[Row]) -> list[Row]:
    """A figure that continues a report shares its place and period: a claim with no period, or
    with a place found only before its sentence, takes those of the claim just before it when both
    have the same claimant ("Near Mosul, a strike destroyed a vehicle. Another destroyed two
    fighting positions", "2.359 terroristes éliminés en Syrie du 19 au 29 septembre. Environ
    2.700 ont en outre été blessés, ajoute le ministère")."""
    previous: Row | None = None
    for claim in claims:
        if previous is not None and claim.get("claimant") and claim.get("claimant") == previous.get("claimant"):
            if claim.get("period_link") in _DISTANT_PERIOD and previous.get("period") and previous.get("period_link") not in _DISTANT_PERIOD:
                claim.update({column: previous.get(column) for column in _PERIOD_COLUMNS}, period_link="report")
            if (
                claim.get("place_link") in _DISTANT_PLACE and previous.get("place") and previous.get("place_link") not in _DISTANT_PLACE
                and (claim.get("place_start") or -1) <= previous["place_start"]  # never over a place named since
                and (claim.get("place") is None or previous.get("place_link") not in _COUNTRY_FALLBACKS)  # nor a mere country over a place
            ):
                claim.update({column: previous.get(column) for column in _PLACE_COLUMNS}, place_link="report")
        previous = claim
    return claims


def _tightness(row: Row) -> tuple[int, bool]:
    return row["claim_end"] - row["claim_start"], row.get("resolved_by") == "affiliation"


@cache
def country_name(code: str) -> str:
    """The English name of a country code, as the places table gives it."""
    from babel import Locale

    return Locale("en").territories.get(code, code)


#: A date this many days or fewer before publication can be the article's news event.
RECENT_DAYS = 10

#: Beyond this distance a place given as a reference point is not where things happened.
FAR_LANDMARK_KM = 50.0


def _is_landmark(row: Row) -> bool:
    """A far reference point ("à quelque 200 kilomètres au nord-ouest de Bagdad") comes after
    the places where things happened; a near one ("25 km west of Tuz Khurmatu") locates them."""
    return (row.get("distance_km") or 0.0) > FAR_LANDMARK_KM


def _distance(row: Row, figure: Row) -> int:
    if row["end"] <= figure["start"]:
        return figure["start"] - row["end"]
    return max(0, row["start"] - figure["end"])


def _claimant(row: Row) -> str:
    """Whom a statement commits: a spokesperson's institution, else the speaker."""
    return row.get("affiliation") or row["source"]


def _is_dated(row: Row) -> bool:
    return bool(row.get("label")) and row.get("kind") != "duration"


def _span(prefix: str, row: Row) -> Row:
    return {f"{prefix}_start": row["start"], f"{prefix}_end": row["end"], f"{prefix}_text": row["text"]}


def _source_columns(row: Row, link: str) -> Row:
    return {
        "source": row["source"], "source_kind": row["source_kind"], "claimant": _claimant(row), **_span("source", row),
        "source_link": link, "_claim": (row["claim_start"], row["claim_end"]),
    }


def _outlet_columns(row: Row, link: str) -> Row:
    return {"outlet": row["source"], **_span("outlet", row), "outlet_link": link}


def _place_columns(row: Row, link: str) -> Row:
    return {
        "place": row["name"], "place_kind": row["kind"], "country": row["country"], "admin1": row.get("admin1"),
        "lat": row.get("lat"), "lon": row.get("lon"), **_span("place", row), "place_link": link,
    }


def _period_columns(row: Row, link: str) -> Row:
    return {
        "period": row["label"], "period_kind": row["kind"], "date_start": row["date_start"], "date_end": row["date_end"],
        "year_inferred": row.get("year_inferred"), **_span("period", row), "period_link": link,
    }


def _same_claim(first: Row, other: Row, keys: tuple[str, ...] = ()) -> bool:
    """Two mentions of one article state the same claim: same table, figure and key columns
    (``Extractor.keys``: status, category, movement...), groups that agree, and no two different
    precise places or dated periods."""
    if any(first.get(column) != other.get(column) for column in ("table", "count_min", "count_max", *keys)):
        return False
    if not _groups_agree(first.get("group"), other.get("group")):
        return False
    close = ("clause", "sentence")
    if first.get("place_link") in close and other.get("place_link") in close and not _places_agree(first, other):
        return False
    own = ("sentence",)  # a period carried over from a report does not tell two claims apart
    if (
        first.get("period") and other.get("period") and first["period"] != other["period"]
        and first.get("period_link") in own and other.get("period_link") in own
        and "duration" not in (first["period_kind"], other["period_kind"])
    ):
        return False
    return True


def _people_groups() -> frozenset[str]:
    """Groups that name people by a common noun ("militants", "soldiers") rather than a force."""
    return _people_groups_of(core_lexicon("actors"))


@lru_cache(maxsize=8)
def _people_groups_of(actors: Lexicon) -> frozenset[str]:
    return frozenset(row["canonical"] for row in actors.rows if row.get("kind") == "people")


#: People groups that no armed force's losses can be counted as.
_NON_COMBATANTS = {"civilians"}


def _groups_agree(first: str | None, other: str | None) -> bool:
    """Same group, or one unnamed, or a common noun that can stand for the other's members
    ("200 militants" and "200 ISIS militants"; never civilians for a force)."""
    if not first or not other or first == other or "people" in (first, other):
        return True
    people = _people_groups()
    if (first in people) == (other in people):
        return False
    return (first if first in people else other) not in _NON_COMBATANTS


def _places_agree(first: Row, other: Row) -> bool:
    """Same place, or one within the other (a country, a town in its province)."""
    if first["place"] == other["place"] or "country" in (first["place_kind"], other["place_kind"]):
        return first["country"] == other["country"]
    return first["admin1"] == other["place"] or other["admin1"] == first["place"]


def _merge(mentions: list[Row]) -> Row:
    """One claim from the mentions of a figure: the evidence of the best-sourced mention, and each
    part from the mention that states it most closely; at equal links, the body's mention before
    the headline's ("Military says troops killed 40" then "The Defence Headquarters said ...")."""
    def rank(mention: Row, part: str) -> int:
        return _LINK_RANK.get(mention.get(f"{part}_link") or "", 9)

    claim = dict(min(mentions, key=lambda mention: (rank(mention, "source"), mention["_in_heading"], mention["start"])))
    for part, columns, precision in (
        ("source", ("source", "source_kind", "claimant"), lambda mention: 0),
        ("place", ("place", "place_kind", "country", "admin1", "lat", "lon"), lambda mention: _PLACE_PRECISION.get(mention.get("place_kind") or "", 3)),
        ("period", ("period", "period_kind", "date_start", "date_end", "year_inferred"),
         lambda mention: 0 if mention.get("period") and mention.get("period_kind") != "duration" else 1),
    ):
        best = min(mentions, key=lambda mention: (rank(mention, part), precision(mention), mention["_in_heading"], mention["start"]))
        for column in (*columns, f"{part}_start", f"{part}_end", f"{part}_text", f"{part}_link"):
            claim[column] = best.get(column)
    groups = [mention["group"] for mention in mentions if mention["group"]]
    claim["group"] = next((group for group in groups if group not in _people_groups()), groups[0] if groups else None)
    claim["mentions"] = len(mentions)
    return claim
