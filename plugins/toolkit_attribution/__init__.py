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
quotation a cue introduces or closes, else the reported clause, else the sentence. The second
extractor of this plugin, ``periods``, writes the dated expressions claims can cover.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from toolkit import Document, Extractor, ExtractorContext, doc_text, hookimpl, read_tsv, span_text, table_schema
from toolkit.figures import sentence_spans
from toolkit.lexicons import DATA_DIR, AliasMatcher, fold, fold_key
from toolkit.periods import find_periods

DATA = Path(__file__).parent / "data"
LANGUAGES = ("fr", "en")

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

PERIODS_SCHEMA = table_schema(
    {
        "kind": pl.String(),
        "date_start": pl.Date(),
        "date_end": pl.Date(),
        "year_inferred": pl.Boolean(),
        "label": pl.String(),
    }
)

_OPENING, _CLOSING = "«“„‹", "»”‟›"
#: A dateline and the agency that filed the story: "CAIRO (Reuters) -", "MOSCOW, December 24. /TASS/.",
#: "KABUL, Afghanistan (AP) —"; and a closing credit: "(avec AFP)", "With AFP", "— AFP".
_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][\w'’ .-]{1,40}(?:,[^()\n/]{1,40})?\s*(?:\((?P<paren>[^)\n]{2,30})\)|/(?P<slash>[^/\n]{2,20})/)\s*[.,]?\s*[-–—:.]",
)
_CREDIT = re.compile(r"^\s*(?:\(?\s*(?:[Aa]vec|[Ww]ith)\s+|[-–—]\s*)(?P<agency>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s*\)?\s*$")
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›"}
_STOP_WORDS = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "the", "a", "an", "d"}
_PERSON_LABELS, _ORGANIZATION_LABELS = {"PER", "PERSON"}, {"ORG"}
_PLACE_OR_TIME_LABELS = {"LOC", "GPE", "FAC", "DATE", "TIME"}
#: Bodies a description does not identify without its complement or an antecedent.
_VAGUE_BODIES = {"ministere", "ministry", "organisation", "organization", "groupe", "group"}
_MAX_WINDOW_TOKENS = 18
#: Words between a reporting verb and its subject placed after it ("a fait remarquer pour sa part le porte-parole").
_ADVERBIAL_WORDS = {"pour", "sa", "son", "leur", "part", "en", "outre", "de", "cote", "aussi", "egalement", "further", "also", "then", "later", "earlier", "in", "a", "statement", "on"}


@dataclass(frozen=True)
class Source:
    canonical: str
    kind: str
    affiliation: str | None = None


@dataclass(frozen=True)
class Mention:
    """A source named (or referred to) at ``start``..``end``."""

    start: int
    end: int
    text: str
    source: Source
    resolved_by: str  # lexicon, fuzzy, entity, anaphora, description


@dataclass(frozen=True)
class SpeakerWord:
    role: str  # pronoun, anaphor, statement, title, description, ignore
    kind: str
    head: str  # words one of which the antecedent's name contains, separated by "|"
    national: str = ""  # alias template of the institution meant when no antecedent is found

    def names(self, source: Source) -> bool:
        """Whether ``source`` is a possible antecedent by its name ("l'état-major": a General Staff)."""
        name = fold(source.canonical)
        return any(fold(head) in name for head in self.head.split("|"))


@dataclass
class _Lexicons:
    sources: AliasMatcher
    people: AliasMatcher
    verbs: dict[str, set[str]]  # first lemma -> following lemmas ("" for a one-word verb)
    inverted_only: set[str]  # verbs that report only with their subject after them ("a poursuivi le ministre")
    prepositions: AliasMatcher
    interviews: AliasMatcher
    lines: AliasMatcher
    furniture: AliasMatcher
    speaker_words: AliasMatcher
    titles: set[tuple[str, ...]]
    outlet_words: AliasMatcher
    countries: AliasMatcher  # country names and demonyms -> a row of nationalities.tsv


class AttributionExtractor:
    """Reads attributed statements from a parsed document."""

    def __init__(self) -> None:
        self.lexicons: dict[str, _Lexicons] = {}

    def setup(self, context: ExtractorContext) -> None:
        known = context.lexicon("sources", rows=read_tsv(DATA / "sources.tsv"))
        sources = known + institution_rows(known)
        cues = context.lexicon("attribution_cues", rows=read_tsv(DATA / "attribution_cues.tsv"))
        words = context.lexicon("speaker_words", rows=read_tsv(DATA / "speaker_words.tsv"))
        countries = AliasMatcher()
        for country in read_tsv(DATA_DIR / "nationalities.tsv"):
            feminine_plural = country["adjective_fr_f"] + ("" if country["adjective_fr_f"].endswith("s") else "s")
            for form in (*(country.get(column) for column in ("name_en", "name_fr", "adjective_en", "adjective_fr", "adjective_fr_f", "adjective_fr_pl")), feminine_plural):
                if form:
                    countries.add(form, country)
        for lang in LANGUAGES:
            here = lambda row: row.get("lang") in (lang, "*")  # noqa: E731
            source_matcher, people = AliasMatcher(), AliasMatcher()
            for row in filter(here, sources):
                source = Source(row["canonical"], row.get("kind") or "organization", row.get("affiliation") or None)
                source_matcher.add(row["alias"], source)
                if source.kind == "person":
                    people.add(row["alias"], source)
            verbs: dict[str, set[str]] = {}
            inverted_only: set[str] = set()
            matchers = {kind: AliasMatcher() for kind in ("preposition", "interview", "line", "furniture")}
            for row in filter(here, cues):
                if row["type"] == "inverted_verb":
                    inverted_only.add(row["cue"])
                if row["type"] in ("verb", "inverted_verb"):
                    first, _, rest = row["cue"].partition("_")
                    verbs.setdefault(first, set()).add(rest.replace("_", " "))
                elif row["type"] == "relay":  # a preposition whose source must be an outlet
                    matchers["preposition"].add(row["cue"], "relay")
                elif row["type"] in matchers:
                    matchers[row["type"]].add(row["cue"], row["type"])
            speaker_words, outlet_words = AliasMatcher(), AliasMatcher()
            titles = set()
            for row in filter(here, words):
                if row["role"] == "outlet_word":
                    outlet_words.add(row["phrase"], row["phrase"])
                    continue
                speaker_words.add(row["phrase"], SpeakerWord(row["role"], row.get("kind") or "any", row.get("head") or "", row.get("national") or ""))
                if row["role"] == "title":
                    titles.add(fold_key(row["phrase"]))
            self.lexicons[lang] = _Lexicons(
                source_matcher, people, verbs, inverted_only, matchers["preposition"], matchers["interview"], matchers["line"], matchers["furniture"],
                speaker_words, titles, outlet_words, countries,
            )

    def __call__(self, doc: Doc, document: Document) -> list[dict[str, Any]]:
        lang = document.lang if document.lang in self.lexicons else "en"
        return _Reader(doc, self.lexicons[lang], lang).read()


def institution_rows(known: list[dict[str, str]] = ()) -> list[dict[str, str]]:
    """Rows of the sources lexicon for the national institutions of ``data/institutions.tsv``
    ("ministère turc de la Défense" -> "Turkish Ministry of National Defence"), one set per country.
    When a row of ``known`` (sources.tsv) gives one of an institution's forms another name ("Israeli
    military" -> "Israel Defense Forces"), every form of that institution takes that name ("Israel's
    military" too)."""
    named = {fold_key(row["alias"]): row["canonical"] for row in known}
    rows, templates = [], read_tsv(DATA / "institutions.tsv")
    for country in read_tsv(DATA_DIR / "nationalities.tsv"):
        forms: dict[str, list[dict[str, str]]] = {}
        for template in templates:
            canonical = template["canonical"].format(**country)
            forms.setdefault(canonical, []).append(
                {"canonical": canonical, "alias": template["alias"].format(**country), "lang": "*", "kind": template["kind"], "affiliation": ""}
            )
        for canonical, group in forms.items():
            override = next((named[fold_key(row["alias"])] for row in group if fold_key(row["alias"]) in named), canonical)
            rows.extend({**row, "canonical": override} for row in group)
    return rows


class _Reader:
    """Attribution reading of one document."""

    def __init__(self, doc: Doc, lexicons: _Lexicons, lang: str) -> None:
        self.doc, self.text, self.lexicons, self.lang = doc, doc_text(doc), lexicons, lang
        self.excluded = self._furniture_lines()
        self.quotes = find_quotes(self.text)
        self.mentions = self._named_mentions()
        self.interviewers = self._interviewers()
        self.speakers: list[Mention] = []
        self.affiliations: list[Mention] = []

    # -- the document's names ----------------------------------------------------------------

    def _interviewers(self) -> set[int]:
        """Starts of the outlets a statement was given to ("interrogé par l'AFP", "told Reuters"):
        they relay the speaker, they are not the speaker of the clause they sit in."""
        starts = set()
        for match in self.lexicons.interviews.iter_matches(self.text):
            starts.update(m.start for m in self.mentions if match.end <= m.start <= match.end + 6 and m.source.kind == "media")
        return starts

    def _furniture_lines(self) -> list[tuple[int, int]]:
        """Lines that credit a photo or a translation: no source is read there."""
        spans, offset = [], 0
        for line in self.text.splitlines(keepends=True):
            head = line.lstrip()
            matches = self.lexicons.furniture.find(head[:40])
            if matches and matches[0].start == 0 and re.match(r"\s*[:©-]", head[matches[0].end :] or ":"):
                spans.append((offset, offset + len(line)))
            elif head.startswith("©"):
                spans.append((offset, offset + len(line)))
            offset += len(line)
        return spans

    def _is_excluded(self, start: int) -> bool:
        return any(first <= start < last for first, last in self.excluded)

    def _named_mentions(self) -> list[Mention]:
        mentions = [
            Mention(match.start, match.end, match.text, match.value, "lexicon")
            for match in self.lexicons.sources.iter_matches(self.text)
            if not self._is_excluded(match.start)
        ]
        for entity in self.doc.ents:
            if entity.label_ not in _PERSON_LABELS | _ORGANIZATION_LABELS or self._is_excluded(entity.start_char):
                continue
            if any(m.start < entity.end_char and entity.start_char < m.end for m in mentions):
                continue
            mention = self._entity_mention(entity, mentions)
            if mention is not None:
                mentions.append(mention)
        mentions.extend(self._names_missed_by_the_model(mentions))
        mentions.sort(key=lambda mention: mention.start)
        for word in self.lexicons.speaker_words.iter_matches(self.text):
            info: SpeakerWord = word.value
            if info.role != "anaphor" or not info.head or any(m.start < word.end and word.start < m.end for m in mentions):
                continue
            earlier = [m for m in mentions if m.end <= word.start and m.source.kind == info.kind and info.names(m.source)]
            if earlier:
                mentions.append(Mention(word.start, word.end, word.text, earlier[-1].source, "anaphora"))
        return sorted(mentions, key=lambda mention: mention.start)

    def _names_missed_by_the_model(self, found: list[Mention]) -> list[Mention]:
        """Runs of proper nouns no entity covers ("Igor Konatchenkov" untagged) that are a known
        person under another spelling."""
        extra, run = [], []
        for token in [*self.doc, None]:
            if token is not None and token.pos == PROPN and token.text[:1].isupper():
                run.append(token)
                continue
            if len(run) >= 2 and not any(m.start < run[-1].idx + len(run[-1]) and run[0].idx < m.end for m in found):
                start, end = run[0].idx, run[-1].idx + len(run[-1])
                known = None if self._is_excluded(start) else self.lexicons.people.lookup(self.text[start:end], fuzzy=True, score_cutoff=86.0)
                if known is not None:
                    extra.append(Mention(start, end, self.text[start:end], known, "fuzzy"))
            run = []
        return extra

    def _entity_mention(self, entity: Span, earlier: list[Mention]) -> Mention | None:
        person = entity.label_ in _PERSON_LABELS
        tokens = [token for token in entity if not (person and fold_key(token.text) in self.lexicons.titles)]
        while tokens and (tokens[0].is_punct or fold(tokens[0].text) in _STOP_WORDS):
            tokens = tokens[1:]
        if not tokens or not any(token.text[:1].isupper() for token in tokens):
            return None
        name = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        kind = "person" if person else "media" if self._names_outlet(entity, name) else "organization"
        matcher = self.lexicons.people if kind == "person" else self.lexicons.sources
        # a person's name may be spelt any way; an organisation's differs by a word that matters ("turc" / "russe")
        known = matcher.lookup(name, fuzzy=True, score_cutoff=86.0 if person else 100.0)
        if known is not None:
            return Mention(entity.start_char, entity.end_char, entity.text, known, "fuzzy")
        key = fold_key(name)
        for other in earlier:  # "Ali Mohtadi" after "Mohammad Ali Mohtadi", "Al-Qudra" after "Ashraf al-Qudra"
            same_kind = other.source.kind == kind or (other.source.kind == "person" and len(key) == 1)  # a surname read as an organisation
            if not same_kind:
                continue
            for other_key in {_name_key(other.source.canonical), _name_key(other.text)}:
                if len(other_key) > len(key) and other_key[-len(key) :] == key:
                    return Mention(entity.start_char, entity.end_char, entity.text, other.source, "entity")
        if kind == "person" and len(key) == 1 and not any(token.pos_ == "PROPN" for token in tokens):
            return None
        return Mention(entity.start_char, entity.end_char, entity.text, Source(name, kind), "entity")

    def _names_outlet(self, entity: Span, name: str) -> bool:
        """An organisation's name that is an outlet's: by a word of the name ("Saudi Press Agency",
        "Shafaq News") or by the media noun it stands in apposition to ("l'agence italienne Adnkronos")."""
        if self.lexicons.outlet_words.find(name):
            return True
        before = [token for token in self.doc[max(0, entity.start - 3) : entity.start] if token.pos_ in ("NOUN", "ADJ", "PROPN")]
        nouns = [token for token in before if token.pos_ == "NOUN"]
        if not nouns:
            return False
        words = self.lexicons.speaker_words.find(nouns[-1].text)
        return any(word.value.role == "description" and word.value.kind == "media" for word in words)

    # -- reading -----------------------------------------------------------------------------

    def read(self) -> list[dict[str, Any]]:
        found: list[tuple[int, dict[str, Any] | None, Any]] = []
        for sentence in self._sentences():
            if not self._is_excluded(sentence.start_char):
                found.extend(self._sentence_cues(sentence))
        found.extend(self._source_lines())
        found.extend(self._wire_credits())
        rows, seen = [], set()
        for _, row, speaker_finder in sorted(found, key=lambda item: item[0]):
            self.affiliations.clear()
            mention = speaker_finder()
            if mention is None or (mention.start, mention.end) in seen:
                continue  # two cues of one statement ("were reported by the BBC") give one row
            seen.add((mention.start, mention.end))
            self.speakers.append(mention)
            rows.append({**row, **_mention_columns(mention)})
            # the organisation a named spokesperson speaks for is a source of the statement too
            rows.extend({**row, **_mention_columns(organization), "resolved_by": "affiliation"} for organization in self.affiliations)
        return rows

    def _sentences(self) -> list[Span]:
        """The document's sentences, also cut at line breaks (a credit line is not part of the
        next paragraph's first sentence)."""
        pieces = []
        for sentence in sentence_spans(self.doc):
            start = sentence.start_char
            for match in re.finditer(r"\n+", span_text(sentence)):
                piece = self.doc.char_span(start, sentence.start_char + match.start(), alignment_mode="expand")
                if piece is not None and len(piece):
                    pieces.append(piece)
                start = sentence.start_char + match.end()
            piece = self.doc.char_span(start, sentence.end_char, alignment_mode="expand")
            if piece is not None and len(piece):
                pieces.append(piece)
        return pieces

    def _source_lines(self) -> list[tuple[int, dict[str, Any], Any]]:
        """"Source : Sputnik News" lines: the source of the whole article."""
        found, offset = [], 0
        for line in self.text.splitlines(keepends=True):
            stripped = line.strip()
            lead = len(line) - len(line.lstrip())
            matches = self.lexicons.lines.find(stripped[:12])
            if matches and matches[0].start == 0 and re.match(r"\s*:", stripped[matches[0].end :]):
                colon = stripped.index(":", matches[0].end)
                start = offset + lead + colon + 1
                end = offset + lead + len(stripped)
                cue_start, cue_end = offset + lead, offset + lead + matches[0].end
                row = {
                    "cue": stripped[: matches[0].end],
                    "cue_start": cue_start,
                    "cue_end": cue_end,
                    "quote": False,
                    "claim_start": 0,
                    "claim_end": len(self.text),
                    "sentence_start": offset + lead,
                    "sentence_end": end,
                }
                found.append((cue_start, row, lambda start=start, end=end: self._line_source(start, end)))
            offset += len(line)
        return found

    def _wire_credits(self) -> list[tuple[int, dict[str, Any], Any]]:
        """The agency of a dateline or of a closing credit line: the source of the whole story."""
        found, offset = [], 0
        for line in self.text.splitlines(keepends=True):
            match = _DATELINE.match(line) or _CREDIT.match(line)
            if match is not None:
                group = next(name for name in ("paren", "slash", "agency") if name in match.groupdict() and match.group(name))
                start, end = offset + match.start(group), offset + match.end(group)
                row = {
                    "cue": line[match.start() : match.end()].strip(), "cue_start": offset + match.start(), "cue_end": offset + match.end(),
                    "quote": False, "claim_start": 0, "claim_end": len(self.text),
                    "sentence_start": offset, "sentence_end": offset + len(line.rstrip()),
                }
                found.append((offset + match.start(), row, lambda start=start, end=end: self._agency(start, end)))
            offset += len(line)
        return found

    def _agency(self, start: int, end: int) -> Mention | None:
        """The outlet a dateline or credit names: a known name, else the words as an outlet's name."""
        name = self.text[start:end].strip()
        known = self.lexicons.sources.lookup(name)
        if known is not None:
            return Mention(start, end, name, known, "lexicon")
        if not name[:1].isupper() or any(word.value.role == "ignore" for word in self.lexicons.speaker_words.find(name)):
            return None
        return Mention(start, end, name, Source(name, "media"), "line")

    def _sentence_cues(self, sentence: Span) -> list[tuple[int, dict[str, Any], Any]]:
        found = []
        base = sentence.start_char
        for match in self.lexicons.prepositions.iter_matches(span_text(sentence)):
            start, end = base + match.start, base + match.end
            if self._inside_line_label(start):
                continue
            window_end = self._window_end(self.doc.char_span(end, sentence.end_char, alignment_mode="expand"))
            at_start = not self.text[base:start].strip(" \t\"'«“,")
            claim = (window_end, sentence.end_char) if at_start else (base, start)
            row = self._row(match.text, start, end, sentence, claim)
            outlet_only = match.value == "relay"  # "repris par l'AFP", not "repris par l'armée" (retaken)
            found.append((start, row, lambda end=end, window_end=window_end, outlet_only=outlet_only: self._speaker_in(end, window_end, outlet_only=outlet_only)))
        for match in self.lexicons.interviews.iter_matches(span_text(sentence)):
            start, end = base + match.start, base + match.end
            outlet = next((m for m in self.mentions if end <= m.start <= end + 6 and m.start in self.interviewers), None)
            if outlet is not None:
                row = self._row(match.text, start, end, sentence, (sentence.start_char, sentence.end_char))
                found.append((start, row, lambda outlet=outlet: outlet))
        for token in sentence:
            cue = self._verb_cue(token)
            if cue is None:
                continue
            found.append(self._verb_attribution(token, cue, sentence))
        return [item for item in found if item is not None]

    def _inside_line_label(self, start: int) -> bool:
        line_start = self.text.rfind("\n", 0, start) + 1
        return not self.text[line_start:start].strip()  and bool(re.match(r"\w+\s*:", self.text[start:start + 12]))

    def _cue_lemma(self, token: Token) -> str:
        """The token's lemma, or the infinitive of a French present form the lemmatiser left
        as it is ("indique" -> "indiquer")."""
        lemma = token.lemma_.lower()
        if lemma not in self.lexicons.verbs and self.lang == "fr" and lemma.endswith("e") and lemma + "r" in self.lexicons.verbs:
            return lemma + "r"
        return lemma

    def _verb_cue(self, token: Token) -> tuple[Token, Token] | None:
        """(first, last) tokens of a reporting verb at ``token``, or None."""
        followers = self.lexicons.verbs.get(self._cue_lemma(token))
        if followers is None or token.pos_ not in ("VERB", "AUX") or (token.pos_ == "AUX" and "" in followers):
            return None
        following = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if following is not None and following.lemma_.lower() in followers - {""}:
            return token, following
        if "" in followers:
            return token, token
        return None

    def _verb_attribution(self, verb: Token, cue: tuple[Token, Token], sentence: Span):
        first, last = cue
        head = last if first.i != last.i and first.head.i == last.i else verb  # "a fait remarquer": the auxiliary hangs on "remarquer"
        group_start = min([verb, *[child for child in head.children if child.dep_.startswith("aux") and child.i < verb.i]], key=lambda t: t.i)
        cue_start, cue_end = group_start.idx, last.idx + len(last)
        before = self.text[sentence.start_char : cue_start].rstrip()
        participle = "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense")
        cue_text = self.text[cue_start:cue_end]
        if participle:  # "..., précisant que": the speaker of the clause it hangs on
            claim = (cue_end, sentence.end_char)
            row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=self._quote_after(cue_end, sentence) is not None)
            return (cue_start, row, lambda: self._previous_speaker(sentence, cue_start))
        # after a comma or a closing quote, the noun phrase after the verb is its subject, named or
        # not: ", a indiqué la cellule des médias" never takes a name of the reported clause before
        clause_before = any(
            token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm") for token in self.doc[sentence.start : group_start.i]
        )  # "Cinq membres ont été tués, a indiqué X" but not "Le porte-parole, Igor Konachenkov, a annoncé"
        bare = before.rstrip(" ,;:")
        closes_clause = bool(before) and before[-1] in ",;:" + _CLOSING + '"' and (clause_before or not bare or bare[-1] in _CLOSING + '"')
        after = self._speaker_after(last, sentence, any_phrase=closes_clause)
        inverted = after is not None and (not before or closes_clause or _pronoun_follows(last))
        if inverted:
            window_start, window_end = after
            quote = self._quote_before(cue_start)
            claim = (quote[0], quote[1]) if quote else (sentence.start_char, cue_start)
            row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=quote is not None)
            return (cue_start, row, lambda: self._speaker_in(window_start, window_end))
        if self._cue_lemma(verb) in self.lexicons.inverted_only:
            return None
        if any(child.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for child in head.children):
            return self._passive_attribution(head, cue_text, cue_start, cue_end, sentence)
        subjects = [child for child in head.children if child.dep_ in ("nsubj", "expl:subj") and child.i < verb.i]
        if not subjects and head.dep_ == "conj":  # "Al Masirah TV did not mention casualties and said"
            subjects = [child for child in head.head.children if child.dep_ in ("nsubj", "expl:subj") and child.i < head.head.i]
        if subjects:
            right = max((subject.right_edge for subject in subjects), key=lambda token: token.i)
            left = max(min(subject.left_edge.idx for subject in subjects), sentence.start_char)
            window = (left, right.idx + len(right))
        else:  # no subject parsed: the clause before the verb ("Durant un point de presse, M. Konachenkov, a annoncé")
            window = (sentence.start_char, cue_start)
        quote = self._quote_after(cue_end, sentence)
        quoted = quote is not None or self._has_quote(cue_end, sentence.end_char)
        claim = quote or (cue_end, sentence.end_char)
        if not quote and not self._clause_follows(cue_end, sentence):
            # "Six soldiers were wounded, the army said.": the clause before the speaker
            anchor = min(window[0], cue_start)  # "« ... », a-t-il ajouté": the clitic sits inside the verb
            quote = self._quote_before(anchor)
            quoted = quote is not None
            claim = quote or (sentence.start_char, anchor)
        row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=quoted)
        return (cue_start, row, lambda: self._speaker_in(*window, subject=True))

    def _passive_attribution(self, verb: Token, cue_text: str, cue_start: int, cue_end: int, sentence: Span):
        """"were reported by the BBC", "confirmées par le ministère": the agent speaks; without
        one ("could not be confirmed") nobody is named."""
        agents = [child for child in verb.children if child.dep_ in ("agent", "obl:agent")]
        if not agents:
            return None
        window = (agents[0].left_edge.idx, agents[0].right_edge.idx + len(agents[0].right_edge))
        row = self._row(cue_text, cue_start, cue_end, sentence, (sentence.start_char, cue_start))
        return (cue_start, row, lambda: self._speaker_in(*window, subject=True))

    def _speaker_after(self, last: Token, sentence: Span, *, any_phrase: bool = False) -> tuple[int, int] | None:
        """The window of a subject placed after its verb ("a annoncé ce samedi le ministère",
        "a-t-il indiqué"): adverbials and dates are skipped, and the first noun phrase must be a
        speaker (a name, a pronoun, an anaphor or a description), else None; with ``any_phrase``,
        any noun phrase that is not a clause."""
        tokens = self.doc[last.i + 1 : sentence.end]
        periods = [(p.start + sentence.start_char, p.end + sentence.start_char) for p in find_periods(span_text(sentence), self.lang)]
        for token in tokens:
            if token.text.startswith("-") and _pronoun_follows(last):
                return token.idx, token.idx + len(token) + (len(token.nbor(1)) + 1 if token.text == "-t" else 0)
            in_period = any(first <= token.idx < end for first, end in periods)
            if in_period or token.pos_ in ("ADV", "PUNCT") or fold(token.text) in _ADVERBIAL_WORDS:
                continue
            if token.pos_ not in ("DET", "NOUN", "PROPN", "PRON", "ADJ", "X"):
                return None
            start = token.idx
            end = self._window_end(self.doc[token.i : sentence.end])
            window = self.doc.char_span(start, end, alignment_mode="expand")
            if window is not None and any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm") for t in window):
                return None  # "said the army had regained": the subject of the reported clause
            head = self.text[start:end]
            if any(m.start <= start + 40 and start <= m.start for m in self.mentions if m.end <= end) and self._starts_speaker(start, end):
                return start, end
            words = self.lexicons.speaker_words.find(head)
            if words and words[0].start <= 3 and words[0].value.role != "ignore":
                return start, end
            return (start, end) if any_phrase else None
        return None

    def _starts_speaker(self, start: int, end: int) -> bool:
        """A noun phrase whose first noun is a name or a speaker word ("le ministère russe",
        "le porte-parole du ministère"), not a common noun ("l'échec de l'offensive de Daech")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        for token in span:
            if token.pos_ in ("NOUN", "PROPN", "PRON", "X") or token.text[:1].isupper() and token.pos_ != "DET":
                covered = any(m.start <= token.idx < m.end for m in self.mentions)
                described = any(
                    w.start + start <= token.idx < w.end + start for w in self.lexicons.speaker_words.find(self.text[start:end])
                )
                return covered or described
        return False

    def _row(self, cue: str, start: int, end: int, sentence: Span, claim: tuple[int, int], *, quoted: bool = False) -> dict[str, Any]:
        claim_start, claim_end = claim
        while claim_start < claim_end and self.text[claim_start] in " \t\n,;:":
            claim_start += 1
        while claim_end > claim_start and self.text[claim_end - 1] in " \t\n,;:":
            claim_end -= 1
        claim = (claim_start, claim_end)
        return {
            "cue": cue,
            "cue_start": start,
            "cue_end": end,
            "quote": quoted,
            "claim_start": claim[0],
            "claim_end": claim[1],
            "sentence_start": sentence.start_char,
            "sentence_end": sentence.end_char,
        }

    # -- quotations ----------------------------------------------------------------------------

    def _quote_before(self, position: int) -> tuple[int, int] | None:
        """The quotation that closes right before ``position`` (", a précisé le ministère")."""
        head = self.text[:position].rstrip(" \t,")
        for start, end in self.quotes:
            if end == len(head):
                return start, end
        return None

    def _quote_after(self, position: int, sentence: Span) -> tuple[int, int] | None:
        """The quotation a cue opens ("a déclaré : « ... »", 'said: "..."')."""
        rest = self.text[position : sentence.end_char]
        lead = re.match(r"[\s,:]*(?:(?:que|qu'|qu’|that)\s*)?", rest)
        opening = position + (lead.end() if lead else 0)
        for start, end in self.quotes:
            if start == opening:
                return start, end
        return None

    def _clause_follows(self, position: int, sentence: Span) -> bool:
        """Whether reported words follow a cue: a quotation or a verb, not only adjuncts
        ("the army said on Monday.", "a indiqué l'armée dans un communiqué.")."""
        rest = self.doc.char_span(position, sentence.end_char, alignment_mode="expand")
        if rest is None or not self.text[position : sentence.end_char].strip(" .!?…"):
            return False
        return self._has_quote(position, sentence.end_char) or any(token.pos_ in ("VERB", "AUX") for token in rest)

    def _has_quote(self, start: int, end: int) -> bool:
        return any(start <= first < end for first, _ in self.quotes)

    # -- speakers ------------------------------------------------------------------------------

    def _window_end(self, tokens: Span | None) -> int:
        """Where the speaker's noun phrase after a cue ends: at the sentence's end, a strong
        punctuation mark or a comma not followed by an apposition (a name or a title)."""
        if tokens is None or not len(tokens):
            return tokens.start_char if tokens is not None else 0
        end = tokens[0].idx
        for count, token in enumerate(tokens):
            if count >= _MAX_WINDOW_TOKENS or token.text in {".", ";", ":", "?", "!"} or token.text in _OPENING + _CLOSING + '"':
                break
            if token.text == "," and not self._apposition_follows(token):
                break
            if self._is_cue_word(token) and count and not _agent_follows(token):
                break  # "le bilan communiqué par le ministère": the agent is the speaker
            end = token.idx + len(token)
        return end

    def _apposition_follows(self, comma: Token) -> bool:
        """A name in apposition after ``comma``, closed by punctuation ("le porte-parole du
        ministère, Igor Konachenkov, ..."), not the subject of a new clause ("..., Daech n'a pu")."""
        index = comma.i + 1
        doc = comma.doc
        while index < len(doc) and (doc[index].pos_ in ("PROPN", "DET") or fold_key(doc[index].text) in self.lexicons.titles):
            if self._is_cue_word(doc[index]):
                return False
            index += 1
        named = index > comma.i + 1 and any(doc[i].pos_ == "PROPN" for i in range(comma.i + 1, index))
        return named and (index == len(doc) or doc[index].is_punct or doc[index].is_space)

    def _is_cue_word(self, token: Token) -> bool:
        return bool(self.lexicons.prepositions.find(token.text)) or self._verb_cue(token) is not None

    def _line_source(self, start: int, end: int) -> Mention | None:
        """The outlet a "Source :" line names: a known or recognised name, else the line's words
        when they look like a name ("Source : Divers" names no one)."""
        named = [m for m in self.mentions if start <= m.start and m.end <= end]
        if named:
            return named[0]
        words = self.lexicons.speaker_words.find(self.text[start:end])
        name = self.text[start:end].strip(" .")
        if any(word.value.role == "ignore" for word in words) or not name[:1].isupper() or len(name.split()) > 5:
            return None
        first = start + self.text[start:end].index(name)
        return Mention(first, first + len(name), name, Source(name, "media"), "line")

    def _speaker_in(self, start: int, end: int, *, subject: bool = False, outlet_only: bool = False) -> Mention | None:
        """The speaker named or referred to in ``text[start:end]``; in a ``subject`` window a name
        that heads the phrase comes before one that modifies it; with ``outlet_only``, an outlet or nobody."""
        if end <= start:
            return None
        if outlet_only:
            found = self._speaker_in(start, end, subject=subject)
            return found if found is not None and found.source.kind == "media" else None
        named = sorted(
            (m for m in self.mentions if m.start < end and start < m.end and m.start not in self.interviewers),
            key=lambda mention: (self._dependent_rank(mention) if subject else 0, mention.start),
        )
        people = [m for m in named if m.source.kind == "person"]
        if people:
            speaker = people[0]
            organizations = [m for m in named if m.source.kind == "organization"]
            if organizations:
                self.affiliations.append(organizations[0])
                speaker = replace(speaker, source=replace(speaker.source, affiliation=organizations[0].source.canonical))
            return speaker
        words = [m for m in self.lexicons.speaker_words.iter_matches(self.text[start:end])]
        referring = [w for w in words if w.value.role in ("pronoun", "anaphor", "statement")]
        if named:
            # "le porte-parole du ministère": the ministry's spokesperson when known, else the ministry
            if referring and referring[0].value.kind == "person" and referring[0].start + start < named[0].start:
                person = self._last(lambda s: s.kind == "person" and s.affiliation == named[0].source.canonical, start, mentions=True)
                if person is not None:
                    word = referring[0]
                    return Mention(start + word.start, start + word.end, word.text, person.source, "anaphora")
            return named[0]
        if referring:
            resolved = self._resolve(referring[0], start)
            if resolved is not None or referring[0].value.role != "anaphor":
                return resolved
            national = self._national(referring[0], start)
            if national is not None:
                return national
            described = self._described(start, end, referring[0].value.kind)
            if described is not None and (len(described.text.split()) > 1 or self._names_a_body(described.text)):
                return described  # "the ministry of defence" with no ministry named before
        if any(w.value.role == "ignore" for w in words):
            return None
        descriptions = [w for w in words if w.value.role in ("description", "title")]  # "un commandant local"
        if descriptions:
            kind = descriptions[0].value.kind
            return self._described(start, end, "person" if kind == "any" else kind)
        return self._unrecognised_name(start, end) if subject else None

    def _names_a_body(self, text: str) -> bool:
        """A one-word description that names a body by itself ("état-major"), not a word that
        needs its complement ("ministère": which one?)."""
        words = self.lexicons.speaker_words.find(text)
        return len(words) == 1 and words[0].text == text and words[0].value.role == "description" and words[0].value.kind != "person" \
            and fold(text) not in _VAGUE_BODIES

    def _unrecognised_name(self, start: int, end: int) -> Mention | None:
        """A subject headed by a proper noun the model did not tag ("The Defence Headquarters
        said"): an organisation under its own name."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.root.pos_ != "PROPN" or not span.root.text[:1].isupper():
            return None
        name = [token for token in span.root.subtree if token.pos_ == "PROPN" and start <= token.idx < end]
        if not name or name[-1].i - name[0].i + 1 != len(name):
            return None
        first, last = name[0].idx, name[-1].idx + len(name[-1])
        if any(entity.start_char < last and first < entity.end_char for entity in self.doc.ents if entity.label_ in _PLACE_OR_TIME_LABELS):
            return None  # a place standing for its government ("Moscou a démenti"), a date
        return Mention(first, last, self.text[first:last], Source(self.text[first:last], "organization"), "entity")

    def _dependent_rank(self, mention: Mention) -> int:
        """0 for a name that heads its phrase (subject, apposition), 1 for one that modifies
        another noun ("the UN's humanitarian office, OCHA": OCHA speaks, not the UN)."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return 0
        return 1 if span.root.dep_ in ("poss", "nmod", "pobj", "obl", "obl:mod", "case") else 0  # a compound is part of a name ("Al Masirah TV")

    def _resolve(self, word, offset: int) -> Mention | None:
        info: SpeakerWord = word.value
        start, end = offset + word.start, offset + word.end
        wanted = info.kind

        def fits(source: Source) -> bool:
            if wanted == "any":
                return source.kind != "media"
            return source.kind == wanted and (not info.head or info.names(source))

        # an anaphor names the last speaker it fits, else the last name it fits ("le porte-parole"
        # after a spokesman spoke is him, not a commander only mentioned); "la même source", which
        # fits any kind, only a speaker
        found = self._last(fits, start, mentions=False)
        if found is None and info.role == "anaphor" and wanted != "any":
            found = self._last(fits, start, mentions=True)
        if found is None and info.role == "statement":
            found = self._last(lambda source: source.kind != "media", start, mentions=False)
        if found is None and wanted == "any":
            found = self._last(lambda source: True, start, mentions=False)
        if found is None:
            return None
        return Mention(start, end, self.text[start:end], found.source, "anaphora")

    def _national(self, word, offset: int) -> Mention | None:
        """The institution an anaphor with no antecedent names in the country the text spoke of
        most before it ("the army said" after "Pakistan's northwest": the Pakistan Army)."""
        info: SpeakerWord = word.value
        start = offset + word.start
        if not info.national:
            return None
        cited = [match.value for match in self.lexicons.countries.iter_matches(self.text[:start])]
        if not cited:
            return None
        counts = Counter(country["country"] for country in cited)
        latest = {country["country"]: index for index, country in enumerate(cited)}
        code = max(counts, key=lambda code: (counts[code], latest[code]))
        country = next(country for country in cited if country["country"] == code)
        source = self.lexicons.sources.lookup(info.national.format(**country))
        if source is None:
            return None
        return Mention(start, offset + word.end, word.text, source, "context")

    def _last(self, fits, before: int, *, mentions: bool) -> Mention | None:
        candidates = list(self.speakers)
        if mentions:
            candidates += [m for m in self.mentions if m.end <= before]
        candidates = [c for c in candidates if c.start < before and fits(c.source)]
        return max(candidates, key=lambda mention: mention.start) if candidates else None

    def _previous_speaker(self, sentence: Span, before: int) -> Mention | None:
        agents = [
            m for m in self.mentions
            if sentence.start_char <= m.start < before
            and re.search(r"\b(?:par|by)\s+(?:le |la |les |l'|l’|the )?$", self.text[sentence.start_char : m.start])
        ]
        if agents:  # "... par le ministère des Affaires étrangères, affirmant que"
            return agents[-1]
        earlier = [m for m in self.speakers if sentence.start_char <= m.start < before]
        return earlier[-1] if earlier else None

    def _described(self, start: int, end: int, kind: str) -> Mention | None:
        """A speaker without a name: the noun phrase itself ("les sites de comités de coordination")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        tokens = []
        for token in span:  # the noun phrase ends at a comma or a clause ("un commandant, interrogé par l'AFP")
            if tokens and (token.text in ",;:()" or token.pos_ in ("VERB", "AUX")):
                break
            if not token.is_punct:
                tokens.append(token)
        if tokens and fold(tokens[0].text) in ("by", "par"):
            tokens = tokens[1:]  # "was reported by the military's media wing": the agent
        if tokens and tokens[0].pos_ in ("ADP", "ADV", "SCONJ"):
            return None  # an adjunct, not a speaker: "Lors d'une conférence de presse", "Dans son bulletin"
        while tokens and fold(tokens[0].text).strip() in _STOP_WORDS:
            tokens = tokens[1:]
        while tokens and (tokens[-1].pos_ in ("ADV", "AUX", "VERB", "ADP", "DET", "SCONJ") or tokens[-1].is_punct):
            tokens = tokens[:-1]
        if not tokens or len(tokens) > 8:
            return None
        first, last = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        name = self.text[first:last]
        return Mention(first, last, name, Source(name, kind), "description")


@lru_cache(maxsize=4096)
def _name_key(name: str) -> tuple[str, ...]:
    return fold_key(name)


def _agent_follows(token: Token) -> bool:
    """A participle followed by its agent ("communiqué par", "released by")."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return "Part" in token.morph.get("VerbForm") and following is not None and following.lower_ in ("par", "by")


def _pronoun_follows(token: Token) -> bool:
    """A subject clitic after the verb ("a-t-il indiqué" is parsed with "-t", "-il" after "a")."""
    following = token.doc[token.i + 1 : token.i + 3]
    return any(re.fullmatch(r"-(?:t-)?(?:il|elle|ils|elles|on)", t.text, re.IGNORECASE) for t in following)


def _mention_columns(mention: Mention) -> dict[str, Any]:
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "source": mention.source.canonical,
        "source_kind": mention.source.kind,
        "affiliation": mention.source.affiliation,
        "resolved_by": mention.resolved_by,
    }


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quotations, marks included: « », “ ”, „ “, ‹ › and straight double quotes paired
    within a paragraph. Nested quotations are kept inside their outer one."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
            straight = None
        elif char in _QUOTE_PAIRS and not (char == "“" and stack and stack[-1][0] == "„"):
            stack.append((char, index))
        elif char in _CLOSING or (char == "“" and stack and stack[-1][0] == "„"):
            for depth in range(len(stack) - 1, -1, -1):
                if _QUOTE_PAIRS[stack[depth][0]] == char:
                    opening = stack[depth][1]
                    del stack[depth:]
                    if not stack:
                        spans.append((opening, index + 1))
                    break
        elif char == '"':
            if straight is None:
                straight = index
            else:
                if not stack:
                    spans.append((straight, index + 1))
                straight = None
    return sorted(spans)


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
        Extractor(
            name="periods",
            links_as="period",
            needs=frozenset(),  # read from the text alone
            version=1,
            languages=set(LANGUAGES),
            schema=PERIODS_SCHEMA,
            extract=extract_periods,
            description="Dated expressions (ranges, days, weekdays, relative dates, durations) resolved against the publication date.",
        ),
    ]
