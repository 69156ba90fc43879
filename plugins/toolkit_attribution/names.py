"""The names of a document: every source it mentions (lexicon names, people and organisations
the model finds, anaphors with a head), and the lines that name nobody (photo credits)."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.symbols import PROPN
from spacy.tokens import Doc, Span

from toolkit import doc_text, fold, fold_key
from toolkit_attribution.lexicons import AttributionLexicons, Mention, Source, SpeakerWord, name_key

_STOP_WORDS = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "the", "a", "an", "d"}
_PERSON_LABELS, _ORGANIZATION_LABELS = {"PER", "PERSON"}, {"ORG"}
#: How alike (rapidfuzz ratio of transliteration keys) a person's name must be to a known one:
#: "Konatchenkov" is Konashenkov. An organisation must be spelt as listed ("turc" is not "russe").
PERSON_SIMILARITY = 86.0
ORGANIZATION_SIMILARITY = 100.0
#: Characters between an interview cue and its outlet ("interrogé par l'AFP").
INTERVIEW_GAP = 6
#: Characters before an acronym's brackets where its spelt-out name is looked for.
ACRONYM_REACH = 120
_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z]{1,7})\)")
#: Words an acronym leaves out ("Forces de défense et de sécurité" is FDS).
_CONNECTORS = {"de", "des", "du", "d", "et", "and", "of", "the", "for", "pour", "la", "le", "les", "l", "en", "in", "on", "sur", "a", "au", "aux"}
#: Characters at the head of a line where a credit label is looked for ("© Photo :").
CREDIT_LABEL_CHARS = 40


class DocumentNames:
    """The sources a document names, in order, and where no source can be read."""

    def __init__(self, doc: Doc, lexicons: AttributionLexicons) -> None:
        self.doc, self.text, self.lexicons = doc, doc_text(doc), lexicons
        self.excluded = self._furniture_lines()
        self.mentions = self._named_mentions()
        self.interviewers = self._interviewers()

    def _interviewers(self) -> set[int]:
        """Starts of the outlets a statement was given to ("interrogé par l'AFP", "told Reuters"):
        they relay the speaker, they are not the speaker of the clause they sit in."""
        starts = set()
        for match in self.lexicons.interviews.iter_matches(self.text):
            starts.update(m.start for m in self.mentions if match.end <= m.start <= match.end + INTERVIEW_GAP and m.source.kind == "media")
        return starts

    def _furniture_lines(self) -> list[tuple[int, int]]:
        """Lines that credit a photo or a translation: no source is read there."""
        spans, offset = [], 0
        for line in self.text.splitlines(keepends=True):
            head = line.lstrip()
            matches = self.lexicons.furniture.find(head[:CREDIT_LABEL_CHARS])
            if matches and matches[0].start == 0 and re.match(r"\s*[:©-]", head[matches[0].end :] or ":"):
                spans.append((offset, offset + len(line)))
            elif head.startswith("©"):
                spans.append((offset, offset + len(line)))
            offset += len(line)
        return spans

    def is_excluded(self, start: int) -> bool:
        return any(first <= start < last for first, last in self.excluded)

    def _named_mentions(self) -> list[Mention]:
        mentions = [
            Mention(match.start, match.end, match.text, match.value, "lexicon")
            for match in self.lexicons.sources.iter_matches(self.text)
            if not self.is_excluded(match.start)
        ]
        for entity in self.doc.ents:
            if entity.label_ not in _PERSON_LABELS | _ORGANIZATION_LABELS or self.is_excluded(entity.start_char):
                continue
            if any(m.start < entity.end_char and entity.start_char < m.end for m in mentions):
                continue
            mention = self._entity_mention(entity, mentions)
            if mention is not None:
                mentions.append(mention)
        mentions.extend(self._names_missed_by_the_model(mentions))
        mentions.sort(key=lambda mention: mention.start)
        defined = self._defined_acronyms(mentions)
        mentions = [
            replace(m, source=defined[m.text], resolved_by="acronym") if m.text in defined and m.source.canonical != defined[m.text].canonical else m
            for m in mentions
        ]
        for word in self.lexicons.speaker_words.iter_matches(self.text):
            info: SpeakerWord = word.value
            if info.role != "anaphor" or not info.head or any(m.start < word.end and word.start < m.end for m in mentions):
                continue
            earlier = [m for m in mentions if m.end <= word.start and m.source.kind == info.kind and info.names(m.source)]
            if earlier:
                mentions.append(Mention(word.start, word.end, word.text, earlier[-1].source, "anaphora"))
        return sorted(mentions, key=lambda mention: mention.start)

    def _defined_acronyms(self, mentions: list[Mention]) -> dict[str, Source]:
        """Acronyms the text defines ("the country's Defence and Security Forces (FDS)", "Forces de
        défense et de sécurité (FDS)"): the words before the brackets whose initials are the
        acronym's letters, connectors aside. In that document the acronym names them, whatever another
        country's body of the same initials ("FDS", the Syrian Democratic Forces) is called: the
        source named there when one is, else the spelt-out words."""
        defined: dict[str, Source] = {}
        for match in _ACRONYM.finditer(self.text):
            acronym = match.group(1)
            words = list(re.finditer(r"[\w'’-]+", self.text[max(0, match.start() - ACRONYM_REACH) : match.start()]))
            content = [word for word in words if fold(word.group()) not in _CONNECTORS][-len(acronym) :]
            # initials in any order: an English text may keep a French acronym ("Defence and Security Forces (FDS)")
            if len(content) < len(acronym) or sorted(word.group()[0].upper() for word in content) != sorted(acronym.upper()):
                continue
            first = content[0]
            offset = max(0, match.start() - ACRONYM_REACH)
            named = [m for m in mentions if m.start <= offset + first.start() < m.end and m.end <= match.start() + 1]
            if named:
                defined[acronym] = named[0].source
                continue
            name = self.text[offset + first.start() : match.start()].strip()
            known = self.lexicons.sources.lookup(name, fuzzy=True, score_cutoff=ORGANIZATION_SIMILARITY)
            kind = "media" if self.lexicons.outlet_words.find(name) else "organization"
            defined[acronym] = known or Source(name, kind)
        return defined

    def rename(self, source: Source, resolved: Source) -> None:
        """Every mention of ``source`` is one of ``resolved`` (a generic name found to be a
        country's institution)."""
        self.mentions = [replace(mention, source=resolved) if mention.source == source else mention for mention in self.mentions]

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
                known = None if self.is_excluded(start) else self.lexicons.people.lookup(self.text[start:end], fuzzy=True, score_cutoff=PERSON_SIMILARITY)
                if known is not None:
                    extra.append(Mention(start, end, self.text[start:end], known, "fuzzy"))
            run = []
        return extra

    def _entity_mention(self, entity: Span, earlier: list[Mention]) -> Mention | None:
        line_break = next((token.i for token in entity if "\n" in token.text), None)
        if line_break is not None:  # a name never runs across a line: "selon le ministère de la Santé\nBeyrouth"
            if line_break == entity.start:
                return None
            entity = Span(self.doc, entity.start, line_break, label=entity.label_)
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
        known = matcher.lookup(name, fuzzy=True, score_cutoff=PERSON_SIMILARITY if person else ORGANIZATION_SIMILARITY)
        if known is not None:
            return Mention(entity.start_char, entity.end_char, entity.text, known, "fuzzy")
        key = fold_key(name)
        for other in earlier:  # "Ali Mohtadi" after "Mohammad Ali Mohtadi", "Al-Qudra" after "Ashraf al-Qudra"
            same_kind = other.source.kind == kind or (other.source.kind == "person" and len(key) == 1)  # a surname read as an organisation
            if not same_kind:
                continue
            for other_key in {name_key(other.source.canonical), name_key(other.text)}:
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
