"""Cues that attribute words to a source: reporting verbs before or after their subject,
prepositions ("selon", "according to"), relays ("cité par", "carried by"), interviews ("told
Reuters"), "Source :" lines, datelines and credits; each with the span of the words it attributes."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from toolkit import doc_text, find_periods, fold, fold_key, sentence_spans, span_text
from toolkit_attribution.lexicons import AttributionLexicons, Mention, Source
from toolkit_attribution.names import INTERVIEW_GAP, DocumentNames
from toolkit_attribution.quotes import _CLOSING, _OPENING, Quotes
from toolkit_attribution.speakers import SpeakerResolver

#: A dateline and the agency that filed the story: "CAIRO (Reuters) -", "MOSCOW, December 24. /TASS/.",
#: "KABUL, Afghanistan (AP) —"; and a closing credit: "(avec AFP)", "With AFP", "— AFP".
_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][\w'’ .-]{1,40}(?:,[^()\n/]{1,40})?\s*(?:\((?P<paren>[^)\n]{2,30})\)|/(?P<slash>[^/\n]{2,20})/)\s*[.,]?\s*[-–—:.]",
)
_CREDIT = re.compile(r"^\s*(?:\(?\s*(?:[Aa]vec|[Ww]ith)\s+|[-–—]\s*)(?P<agency>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s*\)?\s*$")
_MAX_WINDOW_TOKENS = 18
#: How far into the words after a verb a speaker's name may start ("a annoncé ce samedi le ministère").
SPEAKER_NAME_REACH = 40
#: Words that open a contrasting clause after a comma: what follows them is not reported by the cue.
_CONTRASTS = {"while", "whereas", "but", "tandis", "alors", "mais"}
#: Prepositions of the one a statement is given to ("a précisé à Koaci", "said to Reuters").
_DATIVE_PREPOSITIONS = {"a", "au", "aux", "to"}
#: Words between a reporting verb and its subject placed after it ("a fait remarquer pour sa part le porte-parole").
_ADVERBIAL_WORDS = {
    "pour", "sa", "son", "leur", "part", "en", "outre", "de", "cote", "aussi", "egalement",
    "further", "also", "then", "later", "earlier", "in", "a", "statement", "on",
}


class CueReader:
    """Attributed statements of one parsed document."""

    def __init__(self, doc: Doc, lexicons: AttributionLexicons, lang: str) -> None:
        self.doc, self.text, self.lexicons, self.lang = doc, doc_text(doc), lexicons, lang
        self.names = DocumentNames(doc, lexicons)
        self.quotes = Quotes(self.text)
        self.resolver = SpeakerResolver(doc, lexicons, self.names)

    def read(self) -> list[dict[str, Any]]:
        found: list[tuple[int, dict[str, Any] | None, Any]] = []
        for sentence in self._sentences():
            if not self.names.is_excluded(sentence.start_char):
                found.extend(self._sentence_cues(sentence))
        found.extend(self._source_lines())
        found.extend(self._wire_credits())
        rows, seen = [], set()
        for _, row, speaker_finder in sorted(found, key=lambda item: item[0]):
            self.resolver.affiliations.clear()
            mention = speaker_finder()
            if mention is None or (mention.start, mention.end) in seen:
                continue  # two cues of one statement ("were reported by the BBC") give one row
            seen.add((mention.start, mention.end))
            self.resolver.speakers.append(mention)
            rows.append({**row, **_mention_columns(mention)})
            # the organisation a named spokesperson speaks for is a source of the statement too
            rows.extend({**row, **_mention_columns(organization), "resolved_by": "affiliation"} for organization in self.resolver.affiliations)
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
            # "the defence forces reported, according to Censor.NET": after a speaker's report, the
            # source of "according to" relays it
            relays = not at_start and any(self._verb_cue(token) is not None for token in sentence if token.idx < start)
            found.append((start, row, lambda end=end, window_end=window_end, outlet_only=outlet_only, relays=relays:
                          self._preposition_source(end, window_end, outlet_only=outlet_only, relays=relays)))
        for match in self.lexicons.interviews.iter_matches(span_text(sentence)):
            start, end = base + match.start, base + match.end
            outlet = next((m for m in self.names.mentions if end <= m.start <= end + INTERVIEW_GAP and m.start in self.names.interviewers), None)
            if outlet is not None:
                row = self._row(match.text, start, end, sentence, (sentence.start_char, sentence.end_char))
                found.append((start, row, lambda outlet=outlet: outlet))
        for token in sentence:
            cue = self._verb_cue(token)
            if cue is None:
                continue
            found.append(self._verb_attribution(token, cue, sentence))
            found.append(self._told_outlet(cue, sentence))
        return [item for item in found if item is not None]

    def _told_outlet(self, cue: tuple[Token, Token], sentence: Span):
        """The outlet a statement was given to, in a phrase on the reporting verb ("a précisé à
        Koaci", "a expliqué au Monde"): it relays the speaker."""
        first, last = cue
        start = min([first, *(child for verb in cue for child in verb.children if child.dep_.startswith("aux") and child.i < first.i)], key=lambda t: t.i).idx
        for token in self.doc[last.i + 1 : sentence.end]:
            if token.is_punct and token.text not in "'’-" or (token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")):
                return None  # past the words that introduce the statement
            outlet = self._dative_outlet(token)
            if outlet is not None:
                after = token.idx + len(token)
                row = self._row(self.text[start:after], start, after, sentence, (sentence.start_char, sentence.end_char))
                return (start, row, lambda outlet=outlet: outlet)
        return None

    def _dative_outlet(self, token: Token) -> Mention | None:
        """The outlet named right after ``token`` when ``token`` is "à", "au" or "to" ("à l'AFP")."""
        if token.pos_ != "ADP" or fold(token.text) not in _DATIVE_PREPOSITIONS:
            return None
        after = token.idx + len(token)
        return next((m for m in self.names.mentions if after <= m.start <= after + INTERVIEW_GAP and m.source.kind == "media"), None)

    def _preposition_source(self, start: int, end: int, *, outlet_only: bool, relays: bool) -> Mention | None:
        found = self.resolver.speaker_in(start, end, outlet_only=outlet_only)
        if relays and found is not None and found.source.kind == "organization":
            return replace(found, source=replace(found.source, kind="media"))
        return found

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
        lemma = self._cue_lemma(token)
        if lemma in self.lexicons.toll_verbs and token.pos_ == "VERB" and any(
            child.dep_ in ("obj", "dobj") and child.lemma_.lower() in self.lexicons.toll_nouns for child in token.children
        ):
            return token, token  # "the ministry put the toll at 32,810", "a porté le bilan à 40 morts"
        followers = self.lexicons.verbs.get(lemma)
        if followers is None or token.pos_ not in ("VERB", "AUX") or (token.pos_ == "AUX" and "" in followers):
            return None
        if _names_its_noun(token):
            return None  # "la zone dite des trois frontières": so called, not said
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
            row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=self.quotes.after(cue_end, sentence.end_char) is not None)
            return (cue_start, row, lambda: self.resolver.previous_speaker(sentence, cue_start))
        # after a comma or a closing quote, the noun phrase after the verb is its subject, named or
        # not: ", a indiqué la cellule des médias" never takes a name of the reported clause before
        clause_before = any(
            token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm") for token in self.doc[sentence.start : group_start.i]
        )  # "Cinq membres ont été tués, a indiqué X" but not "Le porte-parole, Igor Konachenkov, a annoncé"
        bare = before.rstrip(" ,;:")
        closes_clause = bool(before) and before[-1] in ",;:" + _CLOSING + '"' and (clause_before or not bare or bare[-1] in _CLOSING + '"')
        after = self._speaker_after(last, sentence, any_phrase=closes_clause)
        if after is not None and _addressee_in(last, *after):
            after = None  # "NAME, the group's spokesman, told Reuters": whom it was told to
        inverted = after is not None and (not before or closes_clause or _pronoun_follows(last))
        if inverted:
            window_start, window_end = after
            quote = self.quotes.before(cue_start)
            claim = (quote[0], quote[1]) if quote else (sentence.start_char, cue_start)
            row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=quote is not None)
            return (cue_start, row, lambda: self.resolver.speaker_in(window_start, window_end) or self.resolver.unrecognised_name(window_start, window_end))
        if self._cue_lemma(verb) in self.lexicons.inverted_only:
            return None
        if any(child.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for child in head.children):
            return self._passive_attribution(head, cue_text, cue_start, cue_end, sentence)
        subjects = [child for child in head.children if child.dep_ in ("nsubj", "expl:subj") and child.i < verb.i]
        if not subjects and head.dep_ == "conj":  # "Al Masirah TV did not mention casualties and said"
            subjects = [child for child in head.head.children if child.dep_ in ("nsubj", "expl:subj") and child.i < head.head.i]
        if subjects:
            # two subjects parsed for one verb ('23 "terrorists" neutralised ..., the army said'):
            # the one next to the verb speaks
            subject = max(subjects, key=lambda token: token.i)
            right = subject.right_edge
            window = (max(subject.left_edge.idx, sentence.start_char), right.idx + len(right))
        else:  # no subject parsed: the clause before the verb ("Durant un point de presse, M. Konachenkov, a annoncé")
            window = (sentence.start_char, cue_start)
        quote = self.quotes.after(cue_end, sentence.end_char)
        quoted = quote is not None or self.quotes.any_in(cue_end, sentence.end_char)
        claim = quote or (cue_end, sentence.end_char)
        reports_object = _counted_object(head, cue_end) or self._cue_lemma(verb) in self.lexicons.toll_verbs  # "put the number at 30"
        if not quote and not self._clause_follows(cue_end, sentence) and not reports_object:
            # "Six soldiers were wounded, the army said.": the clause before the speaker
            anchor = min(window[0], cue_start)  # "« ... », a-t-il ajouté": the clitic sits inside the verb
            quote = self.quotes.before(anchor)
            quoted = quote is not None
            claim = quote or (sentence.start_char, anchor)
        row = self._row(cue_text, cue_start, cue_end, sentence, claim, quoted=quoted)
        return (cue_start, row, lambda: self.resolver.speaker_in(*window, subject=True))

    def _passive_attribution(self, verb: Token, cue_text: str, cue_start: int, cue_end: int, sentence: Span):
        """"were reported by the BBC", "confirmées par le ministère": the agent speaks; without
        one ("could not be confirmed") nobody is named."""
        agents = [child for child in verb.children if child.dep_ in ("agent", "obl:agent")]
        if not agents:
            return None
        window = (agents[0].left_edge.idx, agents[0].right_edge.idx + len(agents[0].right_edge))
        row = self._row(cue_text, cue_start, cue_end, sentence, (sentence.start_char, cue_start))
        return (cue_start, row, lambda: self.resolver.speaker_in(*window, subject=True))

    def _speaker_after(self, last: Token, sentence: Span, *, any_phrase: bool = False) -> tuple[int, int] | None:
        """The window of a subject placed after its verb ("a annoncé ce samedi le ministère",
        "a-t-il indiqué"): adverbials and dates are skipped, and the first noun phrase must be a
        speaker (a name, a pronoun, an anaphor or a description), else None; with ``any_phrase``,
        any noun phrase that is not a clause."""
        tokens = self.doc[last.i + 1 : sentence.end]
        periods = [(p.start + sentence.start_char, p.end + sentence.start_char) for p in find_periods(span_text(sentence), self.lang)]
        skip_to = -1
        for token in tokens:
            if token.i <= skip_to:
                continue
            if token.text.startswith("-") and _pronoun_follows(last):
                return token.idx, token.idx + len(token) + (len(token.nbor(1)) + 1 if token.text == "-t" else 0)
            if _adjunct_of(token, last):  # "a précisé à Koaci une source militaire": whom it was told to
                skip_to = self._adjunct_end(token)
                continue
            in_period = any(first <= token.idx < end for first, end in periods)
            if in_period or token.pos_ in ("ADV", "PUNCT") or fold(token.text) in _ADVERBIAL_WORDS:
                continue
            if token.pos_ not in ("DET", "NOUN", "PROPN", "PRON", "ADJ", "X"):
                return None
            start = token.idx
            end = self._window_end(self.doc[token.i : sentence.end])
            adjunct = next(
                (t for t in self.doc[token.i + 1 : sentence.end]
                 if t.idx < end and (_adjunct_of(t, last) and not _is_participle(t.nbor(-1)) or self._dative_outlet(t) is not None)),
                None,
            )
            if adjunct is not None:  # "a déclaré le ministre devant la presse": where it was said
                end = self.text.rindex(self.doc[adjunct.i - 1].text, 0, adjunct.idx) + len(self.doc[adjunct.i - 1])
            window = self.doc.char_span(start, end, alignment_mode="expand")
            if window is not None and any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm") for t in window):
                return None  # "said the army had regained": the subject of the reported clause
            head = self.text[start:end]
            named = any(m.start <= start + SPEAKER_NAME_REACH and start <= m.start for m in self.names.mentions if m.end <= end)
            if named and self._starts_speaker(start, end):
                return start, end
            words = self.lexicons.speaker_words.find(head)
            if words and words[0].start <= 3 and words[0].value.role != "ignore":
                return start, end
            return (start, end) if any_phrase else None
        return None

    def _adjunct_end(self, preposition: Token) -> int:
        """The last token of the phrase ``preposition`` opens; an outlet's name ends it ("à l'AFP
        Moustafa al-Mejii": the parser may hang the speaker's name on the outlet)."""
        last = _phrase_end(preposition.head)
        end_char = self.doc[last].idx + len(self.doc[last])
        outlet = next((m for m in self.names.mentions if preposition.idx < m.start < end_char and m.source.kind == "media"), None)
        if outlet is None or outlet.end >= end_char:
            return last
        return self.doc.char_span(preposition.idx, outlet.end, alignment_mode="expand").end - 1

    def _starts_speaker(self, start: int, end: int) -> bool:
        """A noun phrase whose first noun is a name or a speaker word ("le ministère russe",
        "le porte-parole du ministère"), not a common noun ("l'échec de l'offensive de Daech")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        for token in span:
            if token.pos_ in ("NOUN", "PROPN", "PRON", "X") or token.text[:1].isupper() and token.pos_ != "DET":
                covered = any(m.start <= token.idx < m.end for m in self.names.mentions)
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

    def _clause_follows(self, position: int, sentence: Span) -> bool:
        """Whether reported words follow a cue: a quotation or a verb, not only adjuncts
        ("the army said on Monday.", "a indiqué l'armée dans un communiqué.")."""
        rest = self.doc.char_span(position, sentence.end_char, alignment_mode="expand")
        if rest is None or not self.text[position : sentence.end_char].strip(" .!?…"):
            return False
        if self.quotes.any_in(position, sentence.end_char):
            return True
        for token in rest:
            if token.text == "," and token.i + 1 < len(self.doc) and self.doc[token.i + 1].lower_ in _CONTRASTS:
                return False  # "..., a journalist told Reuters, while activists put the toll at 60"
            if token.pos_ in ("VERB", "AUX"):
                return True
        return False

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
        named = [m for m in self.names.mentions if start <= m.start and m.end <= end]
        if named:
            return named[0]
        words = self.lexicons.speaker_words.find(self.text[start:end])
        name = self.text[start:end].strip(" .")
        if any(word.value.role == "ignore" for word in words) or not name[:1].isupper() or len(name.split()) > 5:
            return None
        first = start + self.text[start:end].index(name)
        return Mention(first, first + len(name), name, Source(name, "media"), "line")


def _phrase_end(noun: Token) -> int:
    """The last token of ``noun``'s own phrase: its modifiers, not an apposition the parser hung
    on it ("à Reuters Ahmed Khalil": the speaker is not part of the outlet's phrase)."""
    own = [noun, *(child.right_edge for child in noun.rights if child.dep_ not in ("appos", "conj", "punct", "cc"))]
    return max(token.i for token in own)


def _counted_object(verb: Token, after: int) -> bool:
    """A figure in the object of ``verb`` ("a fait état de deux morts", "confirmed the death of
    five soldiers"): the verb reports what follows it, not the clause before."""
    objects = [child for child in verb.children if child.idx >= after and child.dep_ in ("obj", "dobj", "obl:arg", "iobj")]
    return any(token.like_num or token.pos_ == "NUM" for child in objects for token in child.subtree)


def _adjunct_of(token: Token, verb: Token) -> bool:
    """The preposition of a phrase that hangs on ``verb`` ("devant la presse", "à l'AFP"), not
    on a noun ("le porte-parole du ministère")."""
    if token.pos_ != "ADP":
        return False
    if token.dep_ == "prep":  # English scheme: the preposition hangs on the verb itself
        return token.head.i == verb.i
    return token.dep_ == "case" and token.head.dep_.startswith("obl") and token.head.head.i == verb.i


def _is_participle(token: Token) -> bool:
    """A participle or a clause on a noun ("le communiqué lu à la télévision"): a phrase after it
    hangs on it, whatever the parser says; a modifier not tagged as an adjective is one too."""
    return token.dep_ == "acl" or "Part" in token.morph.get("VerbForm") or (token.dep_ == "amod" and token.pos_ != "ADJ")


#: Reporting verbs whose object is the one told, never an inverted speaker ("told Reuters").
_TOLD_VERBS = frozenset({"tell", "inform", "brief", "assure"})


def _addressee_in(verb: Token, start: int, end: int) -> bool:
    """The words ``start:end`` after ``verb`` are whom it was told to ("told Reuters"), not its subject."""
    return verb.lemma_.lower() in _TOLD_VERBS and any(
        child.dep_ in ("dobj", "obj", "dative", "iobj") and start <= child.idx < end for child in verb.children
    )


def _names_its_noun(token: Token) -> bool:
    """A past participle on a noun, with no agent and nothing reported: "la zone dite des trois
    frontières", "the so-called", not "le bilan communiqué par le ministère"."""
    return (
        "Past" in token.morph.get("Tense") and "Part" in token.morph.get("VerbForm") and token.dep_ in ("acl", "amod")
        and token.head.pos_ in ("NOUN", "PROPN") and token.head.i < token.i and not _agent_follows(token)
        and not any(child.dep_ in ("ccomp", "mark") for child in token.children)
        and not _reports_after(token) and not _tense_auxiliary_before(token)
    )


def _reports_after(token: Token) -> bool:
    """A clause or a quote right after the verb: "indiqué que", "said that", "précisé :"."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and (following.lower_ in ("que", "qu'", "qu’", "that", ":") or following.text in _OPENING + '"')


def _tense_auxiliary_before(token: Token) -> bool:
    """A finite "a", "ont", "has" a few words before: a compound tense the parser split ("a de son
    côté indiqué")."""
    before = token.doc[max(0, token.i - 5) : token.i]
    return any(word.pos_ == "AUX" and "Fin" in word.morph.get("VerbForm") for word in before) and not any(
        word.pos_ == "VERB" for word in before
    )


def _agent_follows(token: Token) -> bool:
    """A participle followed by its agent ("communiqué par", "released by", "annoncé en soirée par")."""
    if "Part" not in token.morph.get("VerbForm"):
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.lower_ in ("par", "by"):
        return True
    return any(child.dep_ in ("agent", "obl:agent") and child.i > token.i for child in token.children)


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

