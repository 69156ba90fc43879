"""Figures: a count, the noun it counts, and the predicate that says what happened to it.

Shared by the loss extractors and any plugin's figure extractor (people displaced, area taken). Given a matcher of *terms* (the
nouns that can be counted: "terroristes", "chars", "dépôts de munitions") and a matcher of *cues*
(the words that say what happened to them: "éliminés", "destroyed", "l'élimination de", and
blockers such as "encerclés", "delivered" whose value is ``None``), ``find_figures`` reads
each sentence of a spaCy ``Doc`` that holds a cue:

- every countable figure of the number parser, and every indefinite article before a term ("une
  grande base", "a staging area") or an elliptical head ("un autre", "another");
- the noun phrase each figure counts and the predicate that governs it, read from the dependency
  parse by ``toolkit.structure`` (``found_by="parse"``, with the ``relation`` that ties them);
  an elliptical figure without a predicate of its own shares the one of an earlier figure that
  governs it ("et quatre autres pendant les affrontements");
- where the parse ties a figure to no verb (a heading, a broken list), the proximity rules decide
  (``found_by="window"``): the term after the figure, items of a list sharing one predicate, the
  closest cue of the sentence, a closer blocker meaning the figure is not a loss;
- each figure is flagged ``hedged``, ``negated`` (its clause negated or denied) or ``irrealis``
  (an aim, a threat) from the words of ``modality.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import polars as pl
from spacy.tokens import Doc, Span

from toolkit.lexicons import AliasMatch, AliasMatcher, Lexicon, core_lexicon, fold
from toolkit.nlp import doc_text, require, span_text
from toolkit.numbers import Quantity, find_counts
from toolkit.structure import Governor, counted_head, governing_predicate, is_word, noun_phrase, structure_words

_WORD = re.compile(r"\w+")
_CONJUNCTIONS = {"et", "and", "ou", "or", "mais", "but"}
_LIST_JOINERS = {"", "et", "and", "ainsi que", "as well as", "plus", "de meme que", "ou", "or"}
#: Sentence-internal barriers a predicate is not looked for across.
_BARRIER = re.compile(r"[;:()\[\]«»\"“”]|\s[–—-]\s")
_EDGE_QUOTES = " \t«»\"“”"


@dataclass(frozen=True)
class Figure:
    """One claimed figure: the count, what it counts, what happened to it, and how it is stated."""

    quantity: Quantity
    term: AliasMatch | None
    cue: AliasMatch | None
    sentence: tuple[int, int]
    hedged: bool
    negated: bool
    irrealis: bool
    found_by: str = "window"
    relation: str = "window"
    joint: tuple[Any, ...] = ()
    phrase: tuple[int, int] | None = None

    @property
    def end(self) -> int:
        return max(self.quantity.end, self.term.end if self.term else 0)


#: Columns every figure table carries about its figure and predicate, with ``figure_columns``.
FIGURE_COLUMNS: dict[str, pl.DataType] = {
    "count_min": pl.Int64(),
    "count_max": pl.Int64(),
    "qualifier": pl.String(),
    "hedged": pl.Boolean(),
    "figure": pl.String(),
    "noun": pl.String(),
    "cue": pl.String(),
    "cue_start": pl.Int64(),
    "cue_end": pl.Int64(),
    "sentence_start": pl.Int64(),
    "sentence_end": pl.Int64(),
    "found_by": pl.String(),
    "relation": pl.String(),
}


def figure_columns(figure: Figure) -> dict[str, Any]:
    """The values of ``FIGURE_COLUMNS`` for one figure."""
    quantity, term, cue = figure.quantity, figure.term, figure.cue
    return {
        "count_min": quantity.count_min,
        "count_max": quantity.count_max,
        "qualifier": quantity.qualifier,
        "hedged": figure.hedged,
        "figure": quantity.text,
        "noun": term.text if term else None,
        "cue": cue.text if cue else None,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "sentence_start": figure.sentence[0],
        "sentence_end": figure.sentence[1],
        "found_by": figure.found_by,
        "relation": figure.relation,
    }


@dataclass(frozen=True)
class Modality:
    """Hedge, negation, denial and irrealis cues, one matcher each; ``deny_words``: the denial
    cues folded, for the parse ("a démenti", "denied")."""

    hedge: AliasMatcher
    negation: AliasMatcher
    deny: AliasMatcher
    irrealis: AliasMatcher
    deny_words: frozenset[str]


def modality(lang: str | None) -> Modality:
    """The modality cues of ``modality.tsv`` for ``lang`` (both languages when unknown)."""
    return _modality(lang, core_lexicon("modality"))


@lru_cache(maxsize=8)
def _modality(lang: str | None, lexicon: Lexicon) -> Modality:
    matchers = {name: AliasMatcher() for name in ("hedge", "negation", "deny", "irrealis")}
    deny_words = set()
    for row in lexicon.rows:
        if lang not in ("fr", "en") or row["lang"] in (lang, "*"):
            matchers[row["modality"]].add(row["cue"], row["modality"])
            if row["modality"] == "deny":
                deny_words.add(fold(row["cue"]))
    return Modality(**matchers, deny_words=frozenset(deny_words))


def words_between(text: str, start: int, end: int) -> list[str]:
    """Folded words of ``text[start:end]``."""
    return [fold(word) for word in _WORD.findall(text[start:end])] if end > start else []


def find_figures(
    doc: Doc,
    lang: str | None,
    *,
    terms: AliasMatcher,
    cues: AliasMatcher,
    max_gap_words: int = 3,
    max_cue_distance: int = 30,
    bare_figures: bool = False,
) -> list[Figure]:
    """Loss figures of ``doc`` (see the module docstring).

    The parse decides first (``toolkit.structure``): the noun each figure counts, then the
    predicate that governs that noun. Proximity decides only where the parse ties the figure to
    no verb (a heading, a fragment): then ``max_gap_words`` words are allowed between a figure and
    its term and ``max_cue_distance`` words between a figure (or its list) and its predicate.
    ``bare_figures``: also keep a figure that counts no noun ("the strike killed 20", "30 morts").
    Reads the sentences, the dependency parse, the tags and the lemmas: an extractor that calls it
    declares them in ``needs``.
    """
    require("find_figures", "sentences", "parse", "tags", "lemmas")
    text = doc_text(doc)
    counts = find_counts(text, lang)
    cues_modality = modality(lang)
    deny = cues_modality.deny_words
    figures: list[Figure] = []
    antecedent: AliasMatch | None = None
    for sentence in sentence_spans(doc):
        offset = sentence.start_char
        term_matches = [_shift(m, offset) for m in terms.iter_matches(span_text(sentence))]
        in_sentence = [q for q in counts if sentence.start_char <= q.start < sentence.end_char]
        cue_matches = _cue_matches(sentence, cues, offset) if in_sentence or term_matches else []
        if cue_matches:  # no loss word, no loss figure
            in_sentence = sorted(in_sentence + _article_figures(doc, sentence, term_matches, in_sentence), key=lambda q: q.start)
        if not in_sentence or not cue_matches:
            if term_matches:
                antecedent = term_matches[-1]
            continue
        cue_tokens = _token_map(doc, cue_matches)
        cue_values = {index: match.value for index, match in cue_tokens.items()}
        term_tokens = _token_map(doc, term_matches)
        window_items = []
        read: list[tuple[Quantity, _Reading]] = []
        for quantity in in_sentence:
            counted = next((r.term for _, r in reversed(read) if r.term is not None and not r.elliptical), None)
            reading = _parse_reading(doc, quantity, lang, term_tokens, cue_values, deny, antecedent, counted)
            if reading is None:
                window_items.append(quantity)
                continue
            reading = _gapped(reading, read)
            if reading.governor.relation == "fragment":
                window_items.append(quantity)
                continue
            read.append((quantity, reading))
            if reading.term is not None and not reading.elliptical:
                antecedent = reading.term
            if reading.governor.found and (reading.term is not None or bare_figures):
                cue = cue_tokens[reading.governor.index]
                figures.append(
                    Figure(
                        quantity=quantity,
                        term=reading.term,
                        cue=cue,
                        sentence=(sentence.start_char, sentence.end_char),
                        hedged=_hedged(sentence, cues_modality),
                        negated=reading.governor.negated or reading.governor.denied,
                        irrealis=_irrealis(doc, text, sentence, cue, cues_modality),
                        found_by="parse",
                        relation=reading.governor.relation,
                        joint=tuple(cue_tokens[i].value for i in reading.governor.coordinated),
                        phrase=reading.phrase,
                    )
                )
        figures.extend(
            _window_figures(doc, text, sentence, window_items, term_matches, cue_matches, cues_modality,
                            max_gap_words=max_gap_words, max_cue_distance=max_cue_distance, bare_figures=bare_figures)
        )
        if term_matches:
            antecedent = term_matches[-1]
    figures.sort(key=lambda figure: figure.quantity.start)
    return figures


@dataclass(frozen=True)
class _Reading:
    """What the parse says of one figure: its term, its governor, its head token and phrase."""

    term: AliasMatch | None
    governor: Governor
    head: Any
    elliptical: bool

    @property
    def phrase(self) -> tuple[int, int]:
        """Character bounds of the noun phrase of the figure."""
        first, last = noun_phrase(self.head)
        doc = self.head.doc
        return doc[first].idx, doc[last - 1].idx + len(doc[last - 1])


def _parse_reading(
    doc: Doc,
    quantity: Quantity,
    lang: str | None,
    term_tokens: dict[int, AliasMatch],
    cue_values: dict[int, Any],
    deny: frozenset[str],
    antecedent: AliasMatch | None,
    listed_antecedent: AliasMatch | None,
) -> _Reading | None:
    """The term and governor of ``quantity`` read from the parse, or None where the parse gives
    nothing to go on (no verb governs the figure's phrase): the window rules decide there.
    ``antecedent``: the last term read before; ``listed_antecedent``: the term of the last figure
    of the sentence, which a list item without a noun counts."""
    head = counted_head(doc, quantity.start, quantity.end, lang=lang)
    if head is None:
        return None
    token = doc[head.index]
    term = None if head.bare else _phrase_term(token, term_tokens, quantity)
    if head.elliptical and term is None:
        if head.listed:  # "eight over Tambov": the noun of an earlier figure of the sentence only
            antecedent = listed_antecedent
        if antecedent is None:  # "12 autres" after nothing this extractor counts
            return _Reading(None, Governor(None, "other"), token, True)
        term = antecedent
    if not head.bare and term is None and token.pos_ in ("NOUN", "PROPN") and head.index not in cue_values:
        return None if _fragment(token) else _Reading(None, Governor(None, "other"), token, False)
    governor = governing_predicate(token, cues=cue_values, terms=term_tokens, lang=lang, deny=deny, figure=head.figure)
    if governor.relation == "fragment" and not head.elliptical:
        return None
    return _Reading(term, governor, token, head.elliptical)


def _gapped(reading: _Reading, earlier: list[tuple[Quantity, _Reading]]) -> _Reading:
    """"Deux soldats ont été tués et quatre autres pendant les affrontements": an elliptical figure
    without a predicate of its own shares the one of an earlier figure of the sentence that
    governs it."""
    if not reading.elliptical or reading.governor.found or reading.governor.relation not in GAPPED:
        return reading
    ancestors = {token.i for token in reading.head.ancestors}
    for _quantity, previous in reversed(earlier):
        if previous.governor.found and previous.governor.index in ancestors:
            governor = replace(previous.governor, relation="ellipsis", coordinated=())
            return replace(reading, governor=governor)
    return reading


#: Relations after which an elliptical figure may take the predicate of an earlier one.
GAPPED = frozenset({"other", "adjunct", "fragment"})


def _phrase_term(head, term_tokens: dict[int, AliasMatch], quantity: Quantity) -> AliasMatch | None:
    """The term of a noun phrase: the one its head belongs to ("dépôts de munitions"), else the
    last one among its modifiers ("11 mortar systems", "80 units of air defence equipment"). A
    loss noun as head ("40 soldiers prisoner") gives way to the people it counts; "N tanks and
    other armoured vehicles" counts the wider class."""
    term = term_tokens.get(head.i)
    if (term is None or term.start == head.idx and term.end == head.idx + len(head)) and is_word(head, structure_words(None).classifier):
        inside = [t for t in dict.fromkeys(term_tokens.values()) if quantity.end <= t.start <= head.idx]
        inside = [t for t in inside if t is not term]
        term = inside[-1] if inside else term
    elif term is not None and term.value is None:
        term = next((t for t in term_tokens.values() if quantity.end <= t.start and t.end <= term.start and t.value is not None), term)
    for child in head.children:
        if child.dep_ == "conj" and any(fold(grandchild.text) in OTHER for grandchild in child.children) and not any(
            grandchild.dep_ == "nummod" for grandchild in child.children
        ):
            term = term_tokens.get(child.i, term)
    return term


#: "N tanks and other armoured vehicles": the figure counts the class after "other".
OTHER = frozenset({"other", "autres", "autre"})


def _fragment(token) -> bool:
    """No verb above ``token``: a heading or a parse without a clause."""
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return False
    return token.pos_ not in ("VERB", "AUX")


def _token_map(doc: Doc, matches: list[AliasMatch]) -> dict[int, AliasMatch]:
    """Every token inside a match, by index."""
    found: dict[int, AliasMatch] = {}
    for match in matches:
        span = doc.char_span(match.start, match.end, alignment_mode="expand")
        for token in span or ():
            found.setdefault(token.i, match)
    return found


def _window_figures(
    doc: Doc,
    text: str,
    sentence: Span,
    quantities: list[Quantity],
    term_matches: list[AliasMatch],
    cue_matches: list[AliasMatch],
    cues_modality: Modality,
    *,
    max_gap_words: int,
    max_cue_distance: int,
    bare_figures: bool,
) -> list[Figure]:
    """Figures the parse gives nothing on, read by proximity: the term after the figure and the
    closest predicate of the sentence."""
    items = []
    for quantity in quantities:
        term = _term_after(doc, text, quantity, term_matches, max_gap_words)
        if term is None and (not bare_figures or _next_word_is_noun(doc, text, quantity)):
            continue
        items.append((quantity, term))
    figures = []
    for group in _lists(text, items):
        group_start = group[0][0].start
        group_end = max(q.end if t is None else t.end for q, t in group)
        for quantity, term in group:
            cue = _term_cue(term, cue_matches) or _closest_cue(
                text, group_start, group_end, cue_matches, max_cue_distance, sentence
            )
            if cue is None or cue.value is None:
                continue
            if term is None and not _touches(text, quantity, cue):
                continue
            figures.append(
                Figure(
                    quantity=quantity,
                    term=term,
                    cue=cue,
                    sentence=(sentence.start_char, sentence.end_char),
                    hedged=_hedged(sentence, cues_modality),
                    negated=_negated(text, sentence, quantity, cue, cues_modality),
                    irrealis=_irrealis(doc, text, sentence, cue, cues_modality),
                    found_by="window",
                    relation="window",
                )
            )
    return figures


def sentence_spans(doc: Doc) -> list[Span]:
    """spaCy's sentences, with a boundary kept only after final punctuation or a line break (the
    parser sometimes cuts inside a noun phrase such as "pick-up"). Computed once per ``Doc``; an
    extractor that calls it declares ``sentences`` in ``needs``."""
    require("sentence_spans", "sentences")
    cached = doc.user_data.get(_SENTENCES)
    if cached is None:
        cached = doc.user_data[_SENTENCES] = _merged_sentences(doc)
    return list(cached)


_SENTENCES = "toolkit.sentences"


def _merged_sentences(doc: Doc) -> list[Span]:
    try:
        parsed = list(doc.sents)
    except ValueError:  # no sentence boundaries in this pipeline
        return [doc[:]]
    text = doc_text(doc)
    merged: list[Span] = []
    for sentence in parsed:
        if merged and not _ends_sentence(text[merged[-1].start_char : sentence.start_char]):
            merged[-1] = doc[merged[-1].start : sentence.end]
        else:
            merged.append(sentence)
    return merged


def _ends_sentence(text: str) -> bool:
    return "\n" in text or bool(re.search(r"[.!?…;»\"”)]\s*$", text))


@lru_cache(maxsize=8)
def _ellipsis_pattern(ellipsis: frozenset[str]) -> re.Pattern[str]:
    """The ellipsis words of ``structure_words.tsv``, to skip sentences that have none."""
    words = sorted(ellipsis, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


#: Indefinite articles that count one ("un char", "a heavy machine gun", "d'un QG", "another soldier").
ARTICLES = frozenset({"un", "une", "a", "an", "another"})


def _article_figures(doc: Doc, sentence: Span, term_matches: list[AliasMatch], counts: list[Quantity]) -> list[Quantity]:
    """An indefinite article that determines a term counts one, whatever modifiers stand between
    them ("une grande base", "a staging area"); not when a figure of its own counts the term. So
    do "un autre" and "another" standing alone ("un autre a été blessé", "another was wounded")."""
    found = []
    ellipsis = structure_words(None).ellipsis
    heads = [span.root for term in term_matches if (span := doc.char_span(term.start, term.end, alignment_mode="expand")) is not None]
    for token in sentence if _ellipsis_pattern(ellipsis).search(span_text(sentence)) else ():
        if fold(token.text) not in ellipsis or token.dep_ == "det":
            continue
        if fold(token.text) == "another" and not any(child.like_num for child in token.children):
            found.append(Quantity(token.idx, token.idx + len(token), token.text, 1.0, 1, 1, "exact", "count"))
        else:
            heads.append(token)
    for head in heads:
        while head.dep_ == "compound" and head.head.i > head.i:  # "a mortar system"
            head = head.head
        if is_word(head, structure_words(None).aggregate):
            continue
        article = next((child for child in head.children if child.dep_ == "det" and child.i < head.i and fold(child.text) in ARTICLES), None)
        if article is None or any(child.dep_ == "nummod" for child in head.children):
            continue
        start, end = article.idx, article.idx + len(article)
        if any(q.start <= start < q.end or start <= q.start < head.idx for q in counts):
            continue
        found.append(Quantity(start, end, article.text, 1.0, 1, 1, "exact", "count"))
    return found


def _shift(match: AliasMatch, offset: int) -> AliasMatch:
    return AliasMatch(match.start + offset, match.end + offset, match.text, match.value, match.alias)


def _cue_matches(sentence: Span, cues: AliasMatcher, offset: int) -> list[AliasMatch]:
    """Cues of a sentence, matched on the words and, for single words, on spaCy's lemmas."""
    found = {(m.start, m.end): m for m in (_shift(m, offset) for m in cues.iter_matches(span_text(sentence)))}
    covered = {i for start, end in found for i in range(start, end)}
    for token in sentence:
        if token.idx in covered or not token.is_alpha:
            continue
        lemma = token.lemma_
        if not lemma or lemma.lower() == token.lower_:
            continue
        value = cues.word(lemma)
        if value is not None:
            found[(token.idx, token.idx + len(token))] = AliasMatch(token.idx, token.idx + len(token), token.text, value[0], lemma)
    return sorted(found.values(), key=lambda m: m.start)


def _term_after(
    doc: Doc, text: str, quantity: Quantity, term_matches: list[AliasMatch], max_gap_words: int
) -> AliasMatch | None:
    """The term counted by ``quantity``: the next term, with only modifiers in between
    ("20 autres miliciens", "200 ISIS militants"), never across another noun or a verb."""
    for match in term_matches:
        if match.start < quantity.end:
            continue
        gap = text[quantity.end : match.start]
        gap_words = words_between(text, quantity.end, match.start)
        if re.search(r"[,;:.!?()\d]", gap) or len(gap_words) > max_gap_words or _CONJUNCTIONS & set(gap_words):
            return None
        return None if _has_content_word(doc, quantity.end, match.start) else match
    return None


def _has_content_word(doc: Doc, start: int, end: int) -> bool:
    """A common noun or a verb between ``start`` and ``end`` (acronyms and model names aside)."""
    if end <= start:
        return False
    span = doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(
        token.pos_ in {"NOUN", "VERB", "AUX"} and not any(char.isupper() or char.isdigit() for char in token.text)
        for token in span
    )


def _next_word_is_noun(doc: Doc, text: str, quantity: Quantity) -> bool:
    """A bare figure followed by a noun counts something else ("90 sorties")."""
    following = doc.char_span(quantity.end, min(len(text), quantity.end + 40), alignment_mode="contract")
    words = [token for token in following or [] if not token.is_space]
    return bool(words) and words[0].pos_ in {"NOUN", "PROPN"}


def _lists(text: str, items: list[tuple[Quantity, AliasMatch | None]]) -> list[list[tuple[Quantity, AliasMatch | None]]]:
    """Group items written as one list: "67 bastions, 27 chars et 51 dépôts"."""
    groups: list[list[tuple[Quantity, AliasMatch | None]]] = []
    for item in items:
        if groups:
            previous_quantity, previous_term = groups[-1][-1]
            previous_end = previous_term.end if previous_term else previous_quantity.end
            gap = text[previous_end : item[0].start]
            joiner = " ".join(words_between(text, previous_end, item[0].start))
            if item[1] is not None and previous_term is not None and _is_list_gap(gap, joiner):
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


def _is_list_gap(gap: str, joiner: str) -> bool:
    if joiner in _LIST_JOINERS and (gap.strip() in {",", ""} or joiner):
        return True
    # a short complement of the previous item: "dépôts de munitions et d'armes, 27 chars"
    return "," in gap and len(joiner.split()) <= 6 and not re.search(r"[;:.!?]", gap)


def _term_cue(term: AliasMatch | None, cue_matches: list[AliasMatch]) -> AliasMatch | None:
    """A term that is itself a predicate ("30 morts", "des milliers de victimes")."""
    if term is None:
        return None
    return next((cue for cue in cue_matches if term.start <= cue.start and cue.end <= term.end), None)


def _closest_cue(
    text: str, start: int, end: int, cue_matches: list[AliasMatch], max_distance: int, sentence: Span
) -> AliasMatch | None:
    """The cue nearest to the figure (or its list), in words; a comma or "mais"/"but" in between
    counts as a clause boundary and costs more."""
    best, best_distance = None, max_distance + 1
    for cue in cue_matches:
        if start <= cue.start < end:
            continue  # inside the list itself: a noun of another item
        between = text[cue.end : start] if cue.end <= start else text[end : cue.start]
        if _BARRIER.search(between.strip(_EDGE_QUOTES)):  # a quoted noun phrase ("200 militants" have been killed) is no barrier
            continue
        words = words_between(between, 0, len(between))
        distance = len(words) + 4 * (between.count(",") + sum(word in {"mais", "but", "while", "alors"} for word in words))
        if distance < best_distance:
            best, best_distance = cue, distance
    return best


def _touches(text: str, quantity: Quantity, cue: AliasMatch) -> bool:
    if cue.end <= quantity.start:
        return len(words_between(text, cue.end, quantity.start)) <= 2
    return len(words_between(text, quantity.end, cue.start)) <= 3


def _hedged(sentence: Span, cues: Modality) -> bool:
    return bool(cues.hedge.find(span_text(sentence)))


def _negated(text: str, sentence: Span, quantity: Quantity, cue: AliasMatch, cues: Modality) -> bool:
    """A denial before the figure, or a negation from three words before the claim to its end
    (not the figure's own qualifier: "pas moins de", "no fewer than")."""
    if any(sentence.start_char + m.start < quantity.start for m in cues.deny.iter_matches(span_text(sentence))):
        return True
    start = _word_boundary_before(text, min(cue.start, quantity.start), 3, floor=sentence.start_char)
    end = max(cue.end, quantity.end)
    return any(
        not quantity.start <= start + m.start < quantity.end for m in cues.negation.iter_matches(text[start:end])
    )


def _word_boundary_before(text: str, position: int, words: int, *, floor: int) -> int:
    """Where the ``words``-th word before ``position`` starts, never before ``floor``."""
    matches = list(_WORD.finditer(text, floor, position))
    return matches[-words].start() if len(matches) >= words else floor


def _irrealis(doc: Doc, text: str, sentence: Span, cue: AliasMatch, cues: Modality) -> bool:
    """The predicate is an aim, a plan or a threat: an infinitive after "visant à", "afin de", "pour"...,
    or an English base-form verb ("to kill", "would destroy")."""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span[0]
    if head.tag_ == "VB":
        return True
    if "Inf" not in head.morph.get("VerbForm"):
        return False
    window = text[_word_boundary_before(text, cue.start, 8, floor=sentence.start_char) : cue.start]
    return bool(cues.irrealis.find(window))


def cue_values(rows: Iterable[dict[str, Any]], lang: str | None, *, key: str = "cue", value: str = "status") -> AliasMatcher:
    """An AliasMatcher of predicate cues from lexicon rows (an empty value is a blocker: ``None``)."""
    matcher = AliasMatcher()
    for row in rows:
        if lang in ("fr", "en") and row.get("lang") not in (lang, "*"):
            continue
        matcher.add(row[key], row.get(value) or None)
    return matcher
