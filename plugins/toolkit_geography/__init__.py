"""Geography: every place an article names, resolved to a gazetteer entry.

Names are found by the gazetteer itself (any run of capitalised words it knows, so that a place
spaCy misses is still found) and by spaCy's location entities. Each is resolved in context:

- kind cues ("province de Homs", "the city of Deir ez-Zor", "Raqqa and Homs provinces",
  ``data/place_cues.tsv``) choose between a country, a division, a locality and a feature;
- homonyms are ranked by the document's countries (named, or implied by demonyms such as
  "jordanien" in the sentence), their neighbours, the divisions named in the paragraph, the
  conflict regions and population. A locality that fits none of the divisions named around it
  ("Kirkouk" among villages of Homs province) gets null coordinates and a low confidence rather
  than a far-away namesake;
- a capital that acts ("Moscou a exprimé", "led by Washington") is flagged ``metonymic``;
- "à 8 km de Mayadine", "45 kilomètres à l'est de la ville de Deir ez-Zor" keep the distance and
  direction.

Adjectives ("syrien", "Syrian") and organisations named after a place ("Ahrar al-Sham",
``data/not_places.tsv``) are not places.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl
from babel import Locale
from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from toolkit import (
    AliasMatcher,
    Document,
    Extractor,
    ExtractorContext,
    demonyms,
    distance_km,
    doc_text,
    fold,
    fold_in_place,
    hookimpl,
    read_tsv,
    sentence_spans,
    span_text,
    table_schema,
    transliteration_key,
)
from toolkit_geography.gazetteer import DENSE_COUNTRIES, FULLY_KEPT_COUNTRIES, Entry, Gazetteer

DATA = Path(__file__).parent / "data"
LANGUAGES = ("fr", "en")

SCHEMA = table_schema(
    {
        "name": pl.String(),
        "kind": pl.String(),
        "country": pl.String(),
        "admin1": pl.String(),
        "lat": pl.Float64(),
        "lon": pl.Float64(),
        "geonameid": pl.Int64(),
        "confidence": pl.Float64(),
        "metonymic": pl.Boolean(),
        "distance_km": pl.Float64(),
        "direction": pl.String(),
        "cue": pl.String(),
    }
)

_MAX_TOKENS = 6
_CODE_NAME = re.compile(r"T-?\d")  # airbases known by a code: "T4", "T-4"
_ARTICLES = {"al", "el", "ad", "as", "at", "ar", "an", "az", "ash", "ech", "ed", "es", "et", "er", "en", "ez"}
_ARTICLE = "|".join(sorted(_ARTICLES))
_ARTICLE_GLUED = re.compile(rf"(?:{_ARTICLE})[-‑][A-Z].*")
_ARTICLE_BEFORE = re.compile(rf"\b(?:{_ARTICLE})[-‑]$")  # "al-" glued before a name
#: What follows the place of a dateline: a date or a country after a comma, then the agency or a dash.
_DATELINE_TAIL = re.compile(r"(?:,[^\n(]{1,40})?\s*(?:\([^)\n]{1,30}\)\s*)?(?:[-–—]|/[A-Za-z-]{2,20}/)")
_JOINERS = re.compile(r"^\s*(?:\([^()\n]{0,40}\)\s*)?(?:,|et|and|ou|or)?\s*(?:de\s+la\s+|de\s+l\s+|de\s+|d\s+|du\s+|the\s+)?$")
_RELATIVE = re.compile(
    r"(?P<distance>\d+(?:[.,]\d+)?)\s*(?P<unit>km|kilometres?|kilometers?|miles?)\b(?P<tail>[^.;\d]{0,60})$"
)
_DIRECTIONS = {
    "nord est": "NE", "nord ouest": "NW", "sud est": "SE", "sud ouest": "SW", "north east": "NE",
    "northeast": "NE", "north west": "NW", "northwest": "NW", "south east": "SE", "southeast": "SE",
    "south west": "SW", "southwest": "SW", "nord": "N", "north": "N", "sud": "S", "south": "S",
    "est": "E", "east": "E", "ouest": "W", "west": "W", "autour": "around", "around": "around",
}
#: Entity labels of places (facilities, "FAC", are too often "Air Wing" or "Sabon Gari" market to count).
_LOCATION_LABELS = ("LOC", "GPE")
_ACTING_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "agent", "obl:agent", "poss"}
#: Parts of speech of a capitalised word that never starts a place name ("In", "During", "Près").
_FUNCTION_WORDS = {"ADP", "PRON", "CCONJ", "SCONJ", "ADV", "AUX"}
#: A city this large is named in any story ("Moscou", "Washington" in an article on Syria).
LARGE_CITY = 500_000
#: How far from every place of the document's countries a town of a neighbouring country the
#: document never names may lie and still be the one meant.
NEIGHBOUR_REACH_KM = 400.0
#: The kind of a cue that says a place follows without saying which kind ("near", "près de").
PLACE_CUE = "place"
DESIGNATION_CUE = "designation"  # "hélicoptères Tigre", "Tiger helicopters": a model, not a place


def _contained_in(divisions: set[str]) -> re.Pattern[str]:
    """What may stand between a place and the division or country that holds it: "Daka, dans la
    province du Sourou", "Buenos Aires, in Cauca", "the Gazakh district of western Azerbaijan";
    ``divisions`` are the folded words of the cues that name a division (``place_cues.tsv``)."""
    words = "|".join(sorted(map(re.escape, divisions), key=len, reverse=True)) or "(?!)"
    return re.compile(
        r"\s*(?P<comma>,)?\s*(?P<preposition>(?:dans|en|in|of|within|de|du|d)\s+)?(?:(?:la|le|l|les|the)\s+)?"
        rf"(?:(?:{words})\s+(?:de\s+la\s+|de\s+l\s+|de\s+|du\s+|d\s+|of\s+)?)?"
        r"(?:(?:western|eastern|northern|southern|central|north|south|east|west)\s+)?$"
    )


#: A pronoun standing for the cue noun named before it: "la région de Briansk, ... celle de Tambov".
_ANTECEDENT_CUE = re.compile(r"\b(?:celle|celles|celui|ceux)\s+(?:de\s+la\s+|de\s+l\s+|de\s+|d\s+|du\s+)$|\b(?:that|those)\s+of\s+(?:the\s+)?$")
_CALENDAR_WORDS = frozenset(
    fold(name) for lang in LANGUAGES for names in (Locale(lang).days["format"]["wide"], Locale(lang).months["format"]["wide"]) for name in names.values()
)
_CONTEXT_WEIGHTS = {"adjective": 3.0, "dominant": 3.0, "named": 2.0, "spoken": 1.5, "neighbour": 1.5, "dense": 1.0, "admin1": 4.0}


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    cue: str | None = None
    cue_kind: str | None = None
    entity: bool = False
    single: bool = False

    @property
    def weak(self) -> bool:
        """One word that only the gazetteer reads as a place, with no cue: kept only in context."""
        return self.single and not self.entity and self.cue_kind is None

    @property
    def kind_cue(self) -> str | None:
        """The kind a cue asks for; None for a cue that only says a place follows ("near", "près de")."""
        return None if self.cue_kind == PLACE_CUE else self.cue_kind


class GeographyExtractor:
    """Finds and resolves the places of a parsed document."""

    def __init__(self) -> None:
        self.gazetteer: Gazetteer | None = None
        self.cues: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}  # lang -> (cue, kind, pattern)
        self.cues_after: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        self.cue_words: dict[str, set[str]] = {}  # lang -> the folded first word of each cue
        self.adjectives = AliasMatcher()
        self.not_places = AliasMatcher()
        self.actor_nouns: set[str] = set()  # "le régime de Kiev", "l'appui de Moscou"
        self.contained_in = _contained_in(set())

    def setup(self, context: ExtractorContext) -> None:
        supplement = context.lexicon("gazetteer_supplement", rows=read_tsv(DATA / "supplement.tsv"), key=("name", "country"))
        self.gazetteer = Gazetteer(supplement, context.lexicon("transliteration"))
        divisions = set()
        for row in context.lexicon("place_cues", rows=read_tsv(DATA / "place_cues.tsv"), key=("cue", "lang", "position")):
            cue = fold(row["cue"]).strip()
            if row.get("division") == "yes":
                divisions.add(cue.split()[0])
            self.cue_words.setdefault(row["lang"], set()).add(cue.split()[0])  # "État" of "l'État du Kordofan"
            words = r"\s+".join(map(re.escape, cue.split()))
            if row["position"] == "after":
                self.cues_after.setdefault(row["lang"], []).append((cue, row["kind"], re.compile(rf"\s+{words}\b")))
                continue
            # words may sit between the cue and "de": "provinces orientales de Hama", "province sud-est de Damas"
            pattern = rf"\b{words}(?:\s+[\w-]+){{0,2}}?\s+(?:de\s+la\s+|de\s+l\s+|de\s+|d\s+|du\s+|des\s+)?(?:la\s+ville\s+de\s+|the\s+)?$"
            if cue.rsplit(" ", 1)[-1] in ("of", "de", "du", "d"):  # "state of", "état du": right before the name
                pattern = rf"\b{words}\s+(?:the\s+)?$"
            elif row["kind"] == DESIGNATION_CUE:  # "hélicoptères Tigre": right before the name
                pattern = rf"\b{words}\s+$"
            elif row["kind"] == PLACE_CUE:  # "près de Boni", "near Bardhere": right before the name
                pattern = rf"\b{words}\s+(?:de\s+la\s+|de\s+l\s+|de\s+|d\s+|du\s+|des\s+|of\s+)?(?:the\s+)?$"
            self.cues.setdefault(row["lang"], []).append((cue, row["kind"], re.compile(pattern)))
        self.contained_in = _contained_in(divisions)
        self.adjectives = demonyms()
        self.actor_nouns = {fold(row["noun"]).strip() for row in context.lexicon("actor_nouns", rows=read_tsv(DATA / "actor_nouns.tsv"), key=("noun", "lang"))}
        for row in context.lexicon("not_places", rows=read_tsv(DATA / "not_places.tsv"), key=("name",)):
            self.not_places.add(row["name"], row["name"])

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        assert self.gazetteer is not None
        lang = document.lang if document.lang in LANGUAGES else "en"
        return _Reader(self, doc, lang).read()


class _Reader:
    def __init__(self, extractor: GeographyExtractor, doc: Doc, lang: str) -> None:
        self.gazetteer: Gazetteer = extractor.gazetteer  # type: ignore[assignment]
        self.extractor, self.doc, self.text, self.lang = extractor, doc, doc_text(doc), lang
        self.folded = fold_in_place(self.text)
        self.excluded = [(m.start, m.end) for m in extractor.not_places.iter_matches(self.text)]
        self.others = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in _LOCATION_LABELS]
        self.people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PER", "PERSON")]
        self.locations = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _LOCATION_LABELS]
        self.sentences = sentence_spans(doc)
        self.spoken = {match.value for match in extractor.adjectives.iter_matches(self.text)}  # "soldats azerbaïdjanais"

    # -- finding -------------------------------------------------------------------------------

    def read(self) -> list[dict[str, Any]]:
        mentions = self._with_cues(self._find())
        countries = self._document_countries(mentions)
        rows = []
        for mention in mentions:
            row = self._resolve(mention, mentions, countries)
            if row is not None:
                rows.append(row)
        return self._without_stray_neighbours(rows, countries)

    def _without_stray_neighbours(self, rows: list[dict[str, Any]], countries: Counter) -> list[dict[str, Any]]:
        """A town placed in a neighbouring country the document never names, far from every place
        it does name ("Boni" read as Bonny in the Niger Delta, in a story on Tillabéri), is left
        unplaced in the document's country."""
        named = [(row["lat"], row["lon"]) for row in rows if row.get("lat") is not None and row["country"] in countries]
        if not countries or not named:
            return rows
        dominant = countries.most_common(1)[0][0]
        kept = []
        for row in rows:
            stray = (
                row["kind"] == "locality" and row.get("lat") is not None and row["country"] not in countries
                and row["country"] in self.gazetteer.neighbours.get(dominant, ()) and not self.gazetteer.is_capital(row["geonameid"])
                and min(distance_km(row["lat"], row["lon"], lat, lon) for lat, lon in named) > NEIGHBOUR_REACH_KM
            )
            unplaced = {"name": row["text"], "country": dominant, "admin1": None, "lat": None, "lon": None, "geonameid": None, "confidence": 0.2}
            kept.append(row | unplaced if stray else row)
        return kept

    def _find(self) -> list[_Mention]:
        found: list[_Mention] = []
        tokens = list(self.doc)
        # a name never runs across a line break, punctuation other than a glued hyphen or an
        # apostrophe ("Bamako - At least" is a dateline), or an abbreviation ("M. Ali" is not
        # Mali): the longest name from each token stops there
        free = [0] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            text = tokens[i].text
            spaced = bool(tokens[i].whitespace_) or (i > 0 and bool(tokens[i - 1].whitespace_))
            breaks = "\n" in text or (tokens[i].is_punct and (text not in "-‑'’" or spaced)) or text.endswith(".")
            free[i] = 0 if breaks else free[i + 1] + 1
        index = 0
        while index < len(tokens):
            mention = self._longest_at(tokens, index, free[index])
            if mention is None:
                index += 1
                continue
            found.append(mention)
            while index < len(tokens) and tokens[index].idx < mention.end:
                index += 1
        return found

    def _starts_name(self, token) -> bool:
        text = token.text
        if text[:1].isupper() or _CODE_NAME.fullmatch(text) or _ARTICLE_GLUED.fullmatch(text):
            return True
        if text.lower() not in _ARTICLES or token.i + 1 >= len(token.doc):
            return False
        following = token.doc[token.i + 1]  # "al-Bab": an article glued by a hyphen
        return following.idx == token.idx + len(token) and following.text in ("-", "‑")

    def _longest_at(self, tokens: list, index: int, free: int) -> _Mention | None:
        first = tokens[index]
        if not free or not self._starts_name(first):
            return None
        glued = first.text[-1:] in "'’" and not first.whitespace_  # "N'Djamena", "N'DJAMENA"
        if first.is_stop and first.text.lower() not in _ARTICLES and first.pos_ in _FUNCTION_WORDS and not glued:
            return None  # "In Rafah" at the head of a sentence: the name starts at "Rafah"
        for size in range(min(_MAX_TOKENS, free), 0, -1):
            last = tokens[index + size - 1]
            inner = tokens[index : index + size]
            if not last.text[:1].isalnum():
                continue
            if not (last.text[:1].isupper() or last.text[:1].isdigit() or size == 1):
                continue
            start, end = first.idx, last.idx + len(last)
            # "l'Irak" / "d'Idleb" kept whole by the tokenizer: the name starts after the elision
            elided = re.match(r"(?:[ldLD]|qu|Qu)['’]", self.text[start:end])
            if elided:
                start += elided.end()
            name = self.text[start:end]
            candidates = self.gazetteer.lookup(name) if name else ()
            if not candidates or not self._acceptable(start, end, inner, candidates):
                continue
            entity = any(s < end and start < e for s, e in self.locations)
            return _Mention(start, end, name, candidates, entity=entity, single=size == 1)
        return None

    def _acceptable(self, start: int, end: int, tokens: list, candidates: tuple[Entry, ...]) -> bool:
        name = self.text[start:end]
        if any(s <= start and end <= e for s, e in self.excluded):
            return False  # "Ahrar al-Sham"
        if self.extractor.adjectives.lookup(name) is not None:
            return False  # "Syrian", "russe"
        if re.match(r"[-‑][a-z]", self.text[end : end + 2]):
            return False  # the first part of a compound adjective: "Iran-aligned", "US-led", "Gaza-based"
        compound = re.search(r"(?:\w+[-‑])+$", self.text[max(0, start - 60) : start])
        hyphenated = compound or re.match(r"[-‑]\w", self.text[end : end + 2])
        if hyphenated and self._cue_before(start - len(compound[0]) if compound else start)[1] in ("admin1", "locality"):
            return False  # a part of a division or town the gazetteer lacks: "Sava" of "département du Mayo-Sava"
        if len(tokens) == 1 and tokens[0].text.lower() in _ARTICLES:
            return False  # "El" of "El Kuleybe"
        if DESIGNATION_CUE in (self._cue_before(start)[1], self._cue_after(end)[1]):
            return False  # "hélicoptères Tigre", "Operation Olive Branch"
        if self._head_of_longer_name(start, tokens, candidates):
            return False  # "Adan" of "près d'Adan Yabaal" is not Aden
        if self._in_family_name(start, tokens):
            return False  # "al-Assad" of "Bachar al-Assad", "Baghdadi" of "Abou Bakr al-Baghdadi"
        if fold(name).strip() in self.extractor.cue_words.get(self.lang, set()):
            return False  # "State" of "Shan State": the cue, not a name
        if len(tokens) == 1 and tokens[0].is_stop and tokens[0].text.lower() not in _ARTICLES:
            return False  # "The" of "The town fell"
        if len(tokens) == 1 and self._opens_dateline(start, end):
            return True  # "RAWALPINDI, Pakistan (AP) —", "ERBIL —" (the model may read it as a verb)
        if any(s < end and start < e for s, e in self.locations):
            return True
        cue_kinds = {self._cue_before(start)[1], self._cue_after(end)[1]} - {None}
        if cue_kinds - {PLACE_CUE}:
            return True
        curated = any(e.kind in ("country", "admin1") or e.geonameid is None for e in candidates)
        around = [(s, e) for s, e in self.others if s <= start and end <= e]
        if around and cue_kinds:  # "near Tal Afar", "près de Palmyre" read as a person: a place if
            # spelt like one or in a conflict region
            return curated or any(_spelt_alike(name, e.name) or e.country in FULLY_KEPT_COUNTRIES for e in candidates)
        if around:
            # the model reads a person or an organisation ("Abou Rayyan", "Média de guerre", "Assad"):
            # only a country, a division or a town spelt like the name and likely here counts (a
            # population of 0 is an unknown one), and never a part of a person's name
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in self.people):
                return False  # "Tal" of "Tal Afar" read as a person
            countries_only = all(e.kind == "country" for e in candidates)
            if countries_only and any(s == start and end < e and self.text[end:e].strip()[:1].isupper() for s, e in around):
                return False  # "Syria Direct", "Sudan Doctors Network": a country that begins a name
            return curated or any(
                e.kind == "locality" and _spelt_alike(name, e.name)
                and (e.population >= 100_000 or e.country in FULLY_KEPT_COUNTRIES and (e.population >= 1000 or e.population == 0))
                for e in candidates
            )
        if len(tokens) == 1:
            token = tokens[0]
            if token.is_stop or token.text.lower() in _ARTICLES or token.pos_ not in ("PROPN", "NOUN", "X"):
                return False  # "Selon", "El", a capitalised verb
            if not curated and (token.text.isupper() or len(token.text) <= 3 or len(self._line(start).split()) < 4):
                return False  # an acronym ("SANA", "ID") or page furniture ("Share", "Mobile")
        return True

    def _head_of_longer_name(self, start: int, tokens: list, candidates: tuple[Entry, ...]) -> bool:
        """The first words of a longer name after a place cue, the whole of which the gazetteer
        lacks ("near Adan Yabaal"): a name on its own would not run on into a proper noun."""
        following = tokens[-1].i + 1
        if following >= len(self.doc) or not tokens[-1].whitespace_ == " ":
            return False
        word = self.doc[following]
        if not (word.text[:1].isupper() and word.is_alpha and word.pos_ == "PROPN" and not word.is_sent_start):
            return False
        if word.ent_type_ == "DATE" or fold(word.text) in _CALENDAR_WORDS or fold(word.text) in self.extractor.cue_words.get(self.lang, set()):
            return False  # "near Bakhmut Monday", "Homs Governorate"
        curated = any(e.kind in ("country", "admin1") for e in candidates)
        return not curated and self._cue_before(start)[1] in (PLACE_CUE, "locality")

    def _in_family_name(self, start: int, tokens: list) -> bool:
        """A name after an Arabic article that follows a capitalised word: the family name of a
        person ("Bachar al-Assad"), the longer name not being a place the gazetteer knows."""
        article = _ARTICLE_BEFORE.search(self.text[max(0, start - 4) : start])
        first = tokens[0]
        if article:
            span = self.doc.char_span(start - len(article[0]), start, alignment_mode="expand")
            lead = span[0] if span is not None and len(span) and span[0].idx == start - len(article[0]) else None
        else:
            lead = first if _ARTICLE_GLUED.fullmatch("".join(t.text for t in tokens[:3])) or first.lower_ in _ARTICLES else None
        if lead is None or lead.i == 0:
            return False
        previous = lead.nbor(-1)
        return (
            previous.is_alpha and previous.text[:1].isupper() and previous.whitespace_ == " "
            and not previous.is_sent_start and not previous.is_stop and previous.pos_ != "ADP"
        )

    def _opens_dateline(self, start: int, end: int) -> bool:
        """A name that opens a line and is followed by a dateline's date, agency or dash."""
        line_start = self.text.rfind("\n", 0, start) + 1
        return not self.text[line_start:start].strip() and bool(_DATELINE_TAIL.match(self.text, end))

    def _line(self, position: int) -> str:
        first, last = self._paragraph(position)
        return self.text[first:last]

    def _with_cues(self, mentions: list[_Mention]) -> list[_Mention]:
        """Kind cues before or after each name; names joined by "et"/"and" share their cue."""
        cued = []
        for mention in mentions:
            cue, kind = self._cue_before(mention.start)
            if kind in (None, PLACE_CUE):  # "near Vasilyevka in the Zaporozhye Region"
                after = self._cue_after(mention.end)
                cue, kind = after if after[0] else (cue, kind)
            cued.append(replace(mention, cue=cue, cue_kind=kind))
        for i in range(1, len(cued)):  # "provinces d'Idleb, de Hama et d'Alep", "la province d'Idleb et de Hama"
            joined = _JOINERS.match(self.folded[cued[i - 1].end : cued[i].start])
            shared = joined and (_plural(cued[i - 1].cue) or re.search(r"\b(?:de|du|d)\s*$", joined[0]))
            if shared and cued[i].cue_kind is None and cued[i - 1].cue_kind is not None:
                cued[i] = replace(cued[i], cue=cued[i - 1].cue, cue_kind=cued[i - 1].cue_kind)
        cued_after = {i for i, mention in enumerate(cued) if self._cue_after(mention.end)[0]}
        for i in range(len(cued) - 2, -1, -1):  # "Raqqa and Homs provinces", "the Kursk, Tula and Tambov regions"
            joined = _JOINERS.match(self.folded[cued[i].end : cued[i + 1].start])
            if joined and cued[i].cue_kind is None and _plural(cued[i + 1].cue) and i + 1 in cued_after:
                cued[i] = replace(cued[i], cue=cued[i + 1].cue, cue_kind=cued[i + 1].cue_kind)
                cued_after.add(i)
        return cued

    def _cue_before(self, start: int) -> tuple[str | None, str | None]:
        before = self.folded[max(0, start - 60) : start]
        for cue, kind, pattern in self.extractor.cues.get(self.lang, []):
            if pattern.search(before):
                return cue, kind
        if _ANTECEDENT_CUE.search(before):  # "la région de Briansk ... celle de Tambov": the cue of "celle"
            return self._cue_of_antecedent(start)
        return None, None

    def _cue_of_antecedent(self, start: int) -> tuple[str | None, str | None]:
        """The kind cue of the last cued name before ``start`` in its paragraph."""
        first, _ = self._paragraph(start)
        earlier = [
            (match.start(), cue, kind)
            for cue, kind, pattern in self.extractor.cues.get(self.lang, []) if kind not in (PLACE_CUE, DESIGNATION_CUE)
            for match in re.finditer(rf"\b{re.escape(cue)}\b", self.folded[first:start])
        ]
        if not earlier:
            return None, None
        _, cue, kind = max(earlier)
        return cue, kind

    def _cue_after(self, end: int) -> tuple[str | None, str | None]:
        after = self.folded[end : end + 30]
        for cue, kind, pattern in self.extractor.cues_after.get(self.lang, []):
            if pattern.match(after):
                return cue, kind
        return None, None

    # -- context -------------------------------------------------------------------------------

    def _document_countries(self, mentions: list[_Mention]) -> Counter:
        """Countries the document names, or that its unambiguous places lie in."""
        counts: Counter = Counter()
        for mention in mentions:
            named = [entry for entry in mention.candidates if entry.kind == "country"]
            if named and mention.kind_cue is None:
                counts[named[0].country] += 1
        # a place that can only be in one (likely) country counts for it, unless the document names
        # other countries far from it ("la localité de Bayada" in a story about Lebanon is not Libyan)
        around = set(counts).union(*(self.gazetteer.neighbours.get(country, set()) for country in counts))
        for mention in mentions:
            countries = {entry.country for entry in self._fitting(mention) if entry.country}
            if any(entry.kind == "country" for entry in mention.candidates) and mention.kind_cue is None:
                continue
            if len(countries) == 1 and not mention.weak:
                country = next(iter(countries))
                division = mention.kind_cue == "admin1"  # "les régions de Briansk et de Koursk"
                if (country in DENSE_COUNTRIES or country in counts or division) and (not around or country in around):
                    counts[country] += 1
        return counts

    def _container(self, mention: _Mention, mentions: list[_Mention], countries: Counter) -> set[tuple[str, str | None]]:
        """The (country, division) pairs of the division or country said to hold a place ("à Daka,
        dans la province du Sourou", "the town of Buenos Aires, in Cauca"); empty when none is."""
        following = next((other for other in mentions if other.start >= mention.end), None)
        if following is None or following.start - mention.end > 60:
            return set()
        joined = self.extractor.contained_in.match(self.folded[mention.end : following.start])
        if joined is None or not (joined["comma"] or joined["preposition"]):
            return set()
        if not joined["preposition"] and not (
            self._cue_after(following.end)[1] == "admin1" or any(e.kind == "country" for e in following.candidates)
        ):
            return set()  # "Homs, Hama et Idleb": a list; "Bagh, Khyber District" and "Homs, Syria" are not
        holders = [e for e in self._fitting(following) if e.kind in ("country", "admin1") and e.country]
        if not holders and following.kind_cue == "admin1" and countries:
            return {(countries.most_common(1)[0][0], None)}  # a district the gazetteer lacks, in the document's country
        return {(e.country, e.admin1 if e.kind == "admin1" else None) for e in holders}

    def _fitting(self, mention: _Mention) -> list[Entry]:
        """The candidates of the kind the cue asks for (all of them without a cue)."""
        candidates = list(mention.candidates)
        if mention.cue_kind == "admin1":
            divisions = [e for e in candidates if e.kind == "admin1"]
            if divisions:
                return divisions
            # "the Volgograd region": the division its main town, spelt as written, names; never a
            # country ("Chin State" is not China)
            spelt_alike = [e for e in candidates if _spelt_alike(mention.text, e.name)]
            return list(dict.fromkeys(filter(None, map(self.gazetteer.division_named_after, spelt_alike)))) or [
                e for e in spelt_alike if e.kind != "country"
            ]
        if mention.cue_kind == "locality":
            wanted = [e for e in candidates if e.kind in ("locality", "feature")]
        elif mention.cue_kind == "feature":
            wanted = [e for e in candidates if e.kind == "feature"]
        else:
            countries = [e for e in candidates if e.kind == "country"]
            wanted = countries or candidates
        return wanted or ([] if mention.cue_kind == "locality" else candidates)

    def _paragraph(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end

    def _sentence(self, position: int) -> Span | None:
        return next((s for s in self.sentences if s.start_char <= position < s.end_char), None)

    def _admin1_context(self, mention: _Mention, mentions: list[_Mention]) -> set[tuple[str, str]]:
        """The divisions named with a cue in the mention's paragraph ("dans la province de Homs")."""
        first, last = self._paragraph(mention.start)
        context = set()
        for other in mentions:
            if other is not mention and first <= other.start < last and other.cue_kind == "admin1":
                context.update((e.country, e.admin1) for e in other.candidates if e.kind == "admin1" and e.country and e.admin1)
        return context

    def _adjective_countries(self, mention: _Mention) -> set[str]:
        sentence = self._sentence(mention.start)
        if sentence is None:
            return set()
        return {m.value for m in self.extractor.adjectives.iter_matches(span_text(sentence))}

    def _score(self, name: str, entry: Entry, countries: Counter, adjectives: set[str], admin1: set[tuple[str, str]]) -> float:
        weights = _CONTEXT_WEIGHTS
        score = 0.0
        if entry.country in adjectives:
            score += weights["adjective"]
        if countries and entry.country == countries.most_common(1)[0][0]:
            score += weights["dominant"]
        elif entry.country in countries:
            score += weights["named"]
        elif entry.country in self.spoken:
            score += weights["spoken"]
        elif countries and entry.country in self.gazetteer.neighbours.get(countries.most_common(1)[0][0], ()):
            score += weights["neighbour"]
        if entry.country in DENSE_COUNTRIES:
            score += weights["dense"]
        if (entry.country, entry.admin1) in admin1:
            score += weights["admin1"]
        curated = entry.kind in ("admin1", "feature") or (entry.geonameid is None and entry.kind == "locality")
        # "Bakou" is Baku's own name; "Palmyra" is one of Tadmur's, which counts in a story on the
        # region only ("New York" is also a Ukrainian village's)
        nearby = entry.country in countries or entry.country in self.spoken or any(
            entry.country in self.gazetteer.neighbours.get(code, ()) for code in countries
        )
        own_name = _named_like(name, entry) or (nearby and fold(name).strip() in entry.aliases)
        likeness = 100 if own_name else fuzz.ratio(fold(name), fold(entry.name))
        score += 4 * likeness / 100  # "Maan" is Ma'an before Amman
        return score + (1.5 if curated else math.log10(entry.population + 10) / 3)

    # -- resolving -----------------------------------------------------------------------------

    def _resolve(self, mention: _Mention, mentions: list[_Mention], countries: Counter) -> dict[str, Any] | None:
        candidates = self._fitting(mention)
        admin1 = self._admin1_context(mention, mentions)
        container = self._container(mention, mentions, countries)
        if container and candidates and all(e.kind != "country" for e in candidates):
            spelt_alike = mention.kind_cue or any(_named_like(mention.text, e) for e in candidates)
            inside = [e for e in candidates if (e.country, e.admin1) in container or (e.country, None) in container]
            candidates = inside or [e for e in candidates if e.country in {country for country, _ in container}]
            if not candidates and not spelt_alike:
                return None  # "Al-Qaïda en Syrie": only far namesakes spelt otherwise, no place meant
            held = min(container, key=lambda pair: (pair[1] is None, pair))
            admin1 = admin1 | {held} if held[1] else admin1
            countries = countries + Counter({held[0]: max(countries.values(), default=0) + 1})
        adjectives = self._adjective_countries(mention)
        row = {"start": mention.start, "end": mention.end, "text": mention.text, "cue": mention.cue, "metonymic": False}
        row.update(self._relative(mention.start))
        if not candidates:  # "la ville de X" where X is only a division: a locality we cannot place
            return row | self._unplaced(mention, admin1, countries)
        scored = sorted(((self._score(mention.text, e, countries, adjectives, admin1), e) for e in candidates), key=lambda pair: pair[0], reverse=True)
        ranked = [entry for _, entry in scored]
        best = ranked[0]
        dominant = countries.most_common(1)[0][0] if countries else None
        near = set(countries).union(adjectives, *(self.gazetteer.neighbours.get(code, set()) for code in {dominant, *adjectives} if code))
        far_namesake = best.kind == "locality" and best.geonameid is not None and best.country not in (near or DENSE_COUNTRIES)
        if mention.kind_cue and far_namesake:
            return row | self._unplaced(mention, admin1, countries)  # "le quartier Manchiyyeh" is not Muncie, Indiana
        if self._out_of_context(mention, best, near):
            return None  # "Abou" (a first name) is not Abu, India; "Latest" is not La Teste
        if self._unspoken_namesake(mention, best, countries):
            return row | self._unplaced(mention, admin1, countries)  # "Bima" near Konna (Mali) is not Bilma, Niger
        if best.kind != "country" and mention.kind_cue is None:
            # a city named like its division ("Homs", "Idleb") is the city unless a cue says
            # otherwise or the bare name means the division ("Gaza")
            towns = [e for e in ranked if e.kind == "locality" and (e.country, e.admin1) == (best.country, best.admin1)]
            if best.kind == "admin1" and towns and not best.called_by_town_name:
                best = towns[0]
            divisions = [e for e in ranked if e.called_by_town_name and (e.country, e.admin1) == (best.country, best.admin1) and e.named(mention.text)]
            if best.kind == "locality" and divisions:
                best = divisions[0]
        dateline = self._opens_dateline(mention.start, mention.end)  # "KIGALI, July 29 (ANA) -": filed from abroad
        # "Moscou", "Washington" in a paragraph on Idleb province: a capital or a large city far away,
        # not a village's namesake (a large city of a neighbouring country may be one)
        far = not any(best.country == country or best.country in self.gazetteer.neighbours.get(country, ()) for country, _ in admin1)
        world_city = mention.kind_cue is None and (best.capital or best.population >= LARGE_CITY and far) and _named_like(mention.text, best)
        if best.kind in ("locality", "feature") and admin1 and best.country not in {country for country, _ in admin1} and not (dateline or world_city):
            return row | self._unplaced(mention, admin1, countries)  # "Kirkouk" among villages of Homs province
        scores = [score for score, _ in scored[:2]]
        margin = scores[0] - scores[1] if len(scores) > 1 and ranked[1] != best else 3.0
        confidence = round(min(0.95, 0.55 + 0.1 * margin + (0.05 if mention.cue_kind else 0.0)), 2)
        division = self.gazetteer.admin1.get((best.country or "", best.admin1 or ""))
        return row | {
            "name": best.name,
            "kind": best.kind,
            "country": best.country,
            "admin1": best.name if best.kind == "admin1" else (division.name if division else best.admin1),
            "lat": best.lat,
            "lon": best.lon,
            "geonameid": best.geonameid,
            "confidence": confidence,
            "metonymic": (best.capital or best.kind == "country") and self._acts(mention),
        }

    def _out_of_context(self, mention: _Mention, best: Entry, near: set[str]) -> bool:
        """A name read as a town far from the conflict regions, spelt unlike it ("Défense" is not
        Defiance), or as one far from every country of the document: kept only when it is a large
        city or a capital ("Moscou", "Washington" in an article on Syria)."""
        if mention.kind_cue or best.kind != "locality" or best.geonameid is None:
            return False
        if best.country not in DENSE_COUNTRIES and not _named_like(mention.text, best):
            return True
        if best.country in near:
            return False
        if mention.weak:
            return bool(near) or best.country not in DENSE_COUNTRIES
        if not near:
            return False  # the model reads it as a place and nothing says otherwise
        # a namesake outside the document's countries: only a capital or a large city spelt alike
        return not ((best.capital or best.population >= LARGE_CITY) and _named_like(mention.text, best))

    def _unspoken_namesake(self, mention: _Mention, best: Entry, countries: Counter) -> bool:
        """A town spelt unlike the name, in a country the document neither names nor describes,
        while it speaks of others: a village the gazetteer lacks, not that namesake."""
        return (
            bool(countries) and best.kind == "locality" and best.geonameid is not None
            and best.country not in countries and best.country not in self.spoken
            and not _named_like(mention.text, best) and fold(mention.text).strip() not in best.aliases
        )

    def _unplaced(self, mention: _Mention, admin1: set[tuple[str, str]], countries: Counter) -> dict[str, Any]:
        country = next(iter(sorted(admin1)))[0] if admin1 else (countries.most_common(1)[0][0] if countries else None)
        division = self.gazetteer.admin1.get(next(iter(sorted(admin1)))) if admin1 else None
        return {
            "name": mention.text, "kind": mention.kind_cue or "locality", "country": country,
            "admin1": division.name if division else None, "lat": None, "lon": None, "geonameid": None,
            "confidence": 0.2,
        }

    def _acts(self, mention: _Mention) -> bool:
        """A capital standing for its government: subject, agent, possessor or source ("Moscou a
        exprimé", "selon Moscou", "according to Kyiv")."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if root.dep_ in _ACTING_DEPS:
            return True
        if any(child.dep_ == "case" and child.lower_ == "selon" for child in root.children):
            return True  # "selon Moscou"
        if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according":
            return True  # "according to Kyiv"
        if root.dep_ in ("obj", "dobj") and any(
            child.dep_ in ("nsubj", "nsubj:pass") and self._names_a_state(child) for child in root.head.children
        ):
            return True  # "Kinshasa accuse Kigali", "Moscow warned Kyiv"
        if self._complements_an_actor_noun(root):
            return True  # "le régime de Kiev", "with the backing of Moscow"
        if root.dep_ in ("pobj", "obl") and root.head.dep_ in ("agent",) or (
            root.dep_ == "obl:arg" and any(c.text.lower() == "par" for c in root.children)
        ):
            return True
        return self._heads_a_clause(span)

    def _names_a_state(self, token) -> bool:
        """Whether a subject is a country or a capital by name ("Kinshasa", "la Russie")."""
        name = span_text(self.doc[token.left_edge.i : token.right_edge.i + 1]) if token.pos_ != "PROPN" else token.text
        return any(entry.kind == "country" or entry.capital for entry in self.gazetteer.lookup(re.sub(r"^(?:la|le|l'|the)\s+", "", name, flags=re.I)))

    def _complements_an_actor_noun(self, root) -> bool:
        """A name that complements a noun of will or power ("régime", "appui", "backing"): the
        government, not the place."""
        head = root.head
        if root.dep_ == "pobj" and head.lower_ == "of":
            head = head.head  # English attaches "of Moscow" to the preposition
        elif root.dep_ not in ("nmod", "nmod:poss"):
            return False
        return head.pos_ == "NOUN" and fold(head.lemma_ or head.text).strip() in self.extractor.actor_nouns

    def _heads_a_clause(self, span: Span) -> bool:
        """A name that opens a clause and is followed by its finite verb, alone or with another
        name ("Washington et Paris mènent des frappes"), whatever the parser made of it."""
        opens = span.start == 0 or span[0].is_sent_start or self.doc[span.start - 1].text in (",", ";")
        if span.start >= 2 and self.doc[span.start - 1].lower_ in ("et", "and") and self.doc[span.start - 2].pos_ == "PROPN":
            first = self.doc[span.start - 2]  # "Washington et Londres mènent": the second name acts with the first
            opens = first.i == 0 or first.is_sent_start or self.doc[first.i - 1].text in (",", ";")
        following = list(self.doc[span.end : span.end + 3])
        if len(following) == 3 and following[0].lower_ in ("et", "and") and following[1].pos_ == "PROPN":
            following = following[2:]
        return opens and bool(following) and following[0].pos_ in ("VERB", "AUX") and "Fin" in following[0].morph.get("VerbForm")

    def _relative(self, start: int) -> dict[str, Any]:
        """Distance and direction of "à 8 km de Mayadine", "45 kilomètres à l'est de la ville de"."""
        before = self.folded[max(0, start - 90) : start]
        match = next(reversed(list(_RELATIVE.finditer(before))), None)
        if match is None or re.search(r"[A-Z]", self.text[start - len(match.group("tail")) : start]):
            return {"distance_km": None, "direction": None}
        tail = match.group("tail")
        distance = float(match.group("distance").replace(",", "."))
        if match.group("unit").startswith("mile"):
            distance = round(distance * 1.609344, 1)
        direction = next((code for word, code in _DIRECTIONS.items() if re.search(rf"\b{word}\b", tail)), None)
        return {"distance_km": distance, "direction": direction}


def _plural(cue: str | None) -> bool:
    """A cue that names several places ("provinces", "the Kursk and Tula regions")."""
    return cue is not None and any(len(word) > 4 and word.endswith(("s", "x")) for word in cue.split())


def _named_like(name: str, entry: Entry) -> bool:
    """Whether ``name`` is spelt like ``entry``'s name or is one of its own names ("Londres")."""
    return _spelt_alike(name, entry.name) or entry.named(name)


def _spelt_alike(name: str, other: str) -> bool:
    """Two spellings close enough once accents, punctuation and article prefixes are set aside."""
    def bare(text: str) -> str:
        return re.sub(r"[^a-z]", "", re.sub(r"^(?:al|el|ad|as|at|ar|an|az)\s+", "", fold(text).strip()))

    return max(fuzz.ratio(bare(name), bare(other)), fuzz.ratio(bare(transliteration_key(name)), bare(transliteration_key(other)))) >= 90


@hookimpl
def toolkit_register_extractors() -> list[Extractor]:
    extractor = GeographyExtractor()
    return [
        Extractor(
            name="places",
            links_as="place",
            needs=frozenset({"sentences", "parse", "tags", "entities"}),
            version=1,
            languages=set(LANGUAGES),
            schema=SCHEMA,
            extract=extractor,
            setup=extractor.setup,
            description="Places named in the text, resolved to countries, divisions, localities and features with coordinates.",
        )
    ]
