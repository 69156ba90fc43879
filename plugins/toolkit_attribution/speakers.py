"""Who speaks: the source named or referred to in the words a cue points at, resolved to a name,
an antecedent, the institution of the country the text speaks of, or a description."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Span

from toolkit import doc_text, fold
from toolkit_attribution.lexicons import AttributionLexicons, Mention, Source, SpeakerWord
from toolkit_attribution.names import _STOP_WORDS, DocumentNames

#: Entity labels of a name that stands for no speaker: a place for its government, a date.
_PLACE_OR_TIME_LABELS = {"LOC", "GPE", "FAC", "DATE", "TIME"}
#: Bodies a description does not identify without its complement or an antecedent.
_VAGUE_BODIES = {"ministere", "ministry", "organisation", "organization", "groupe", "group"}

#: Nouns of armed men and their arms that a country adjective before ("Israeli soldiers", "Turkish
#: jets") or after ("soldats maliens") gives a nationality to.
_TROOP_NOUNS = (
    r"(?:soldiers?|troops|servicemen|forces|army|military|jets|warplanes|aircraft|drones|artillery"
    r"|soldats?|militaires?|troupes|armée|avions|chasseurs|aviation|artillerie)"
)
_TROOPS_AFTER = re.compile(rf"\s+(?:[a-z-]+\s+)?{_TROOP_NOUNS}\b")
_TROOPS_BEFORE = re.compile(rf"\b{_TROOP_NOUNS}\s+$", re.IGNORECASE)


class SpeakerResolver:
    """Speakers of one document; ``speakers`` are the ones found so far, in reading order."""

    def __init__(self, doc: Doc, lexicons: AttributionLexicons, names: DocumentNames) -> None:
        self.doc, self.text, self.lexicons, self.names = doc, doc_text(doc), lexicons, names
        self.speakers: list[Mention] = []
        self.affiliations: list[Mention] = []

    def speaker_in(self, start: int, end: int, *, subject: bool = False, outlet_only: bool = False) -> Mention | None:
        """The speaker named or referred to in ``text[start:end]``; in a ``subject`` window a name
        that heads the phrase comes before one that modifies it; with ``outlet_only``, an outlet or nobody."""
        if end <= start:
            return None
        if outlet_only:
            found = self.speaker_in(start, end, subject=subject)
            return found if found is not None and found.source.kind == "media" else None
        named = sorted(
            (m for m in self.names.mentions if m.start < end and start < m.end and m.start not in self.names.interviewers),
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
        if named and named[0].resolved_by == "entity" and referring and referring[0].value.role == "anaphor" and (
            start + referring[0].start <= named[0].start and named[0].end <= start + referring[0].end
        ):
            # "du ministère de la Défense" tagged as a name the lexicons lack: the ministry named
            # before, else the one of the country the text speaks of
            resolved = self._resolve(referring[0], start) or self._national(referring[0], start)
            if resolved is not None:
                self.names.rename(named[0].source, resolved.source)  # "the ministry" later is that one too
                return resolved
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
        return self.unrecognised_name(start, end) if subject else None

    def _names_a_body(self, text: str) -> bool:
        """A one-word description that names a body by itself ("état-major"), not a word that
        needs its complement ("ministère": which one?)."""
        words = self.lexicons.speaker_words.find(text)
        return len(words) == 1 and words[0].text == text and words[0].value.role == "description" and words[0].value.kind != "person" \
            and fold(text) not in _VAGUE_BODIES

    def unrecognised_name(self, start: int, end: int) -> Mention | None:
        """A subject headed by a proper noun the model did not tag ("The Defence Headquarters
        said", "..., précise la DIRPA"): an organisation under its own name."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not (span.root.pos_ == "PROPN" and span.root.text[:1].isupper() or _is_acronym(span.root)):
            return None
        name = [token for token in span.root.subtree if (token.pos_ == "PROPN" or _is_acronym(token)) and start <= token.idx < end]
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
        matches = list(self.lexicons.countries.iter_matches(self.text[:start]))
        if not matches:
            return None
        cited = [match.value for match in matches]
        counts = Counter(country["country"] for country in cited)
        latest = {country["country"]: index for index, country in enumerate(cited)}
        # "Four Israeli soldiers were killed in southern Lebanon, the military said": the country of
        # the troops, not of the place
        troops = {match.value["country"] for match in matches if self._qualifies_troops(match.start, match.end)}
        code = max(counts, key=lambda code: (code in troops, counts[code], latest[code]))
        country = next(country for country in cited if country["country"] == code)
        source = self.lexicons.sources.lookup(info.national.format(**country))
        if source is None:
            return None
        return Mention(start, offset + word.end, word.text, source, "context")

    def _qualifies_troops(self, start: int, end: int) -> bool:
        """A country adjective next to a noun of armed men ("Israeli soldiers", "soldats maliens")."""
        return bool(_TROOPS_AFTER.match(self.text, end) or _TROOPS_BEFORE.search(self.text[max(0, start - 30) : start]))

    def _last(self, fits, before: int, *, mentions: bool) -> Mention | None:
        candidates = list(self.speakers)
        if mentions:
            candidates += [m for m in self.names.mentions if m.end <= before]
        candidates = [c for c in candidates if c.start < before and fits(c.source)]
        return max(candidates, key=lambda mention: mention.start) if candidates else None

    def previous_speaker(self, sentence: Span, before: int) -> Mention | None:
        agents = [
            m for m in self.names.mentions
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


def _is_acronym(token) -> bool:
    """A word in capitals the model may tag as a common noun ("la DIRPA", "the ISPR")."""
    return token.is_alpha and token.is_upper and len(token) >= 3
