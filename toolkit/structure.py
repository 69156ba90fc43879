"""Sentence structure of figures: the noun phrase a figure counts and the predicate that governs it.

Shared by every figure extractor (``toolkit.figures`` builds loss figures on it). Read from spaCy's
dependency parse, in French (Universal Dependencies labels) and English (ClearNLP labels):

- ``counted_head(doc, start, end)``: the noun a figure counts. "27 chars" -> chars; "des dizaines de
  civils" and "16 units of armored vehicles" -> the noun after "de"/"of"; a figure that counts no
  noun ("the strike killed 20") is its own head (``bare``); "12 autres", "another" stand for the noun
  of an earlier figure (``elliptical``).
- ``governing_predicate(head, cues=..., terms=...)``: what the sentence says happened to that noun.
  The head may be the predicate itself ("30 morts"), a participle may modify it ("27 chars
  détruits"), or the reader climbs the dependency tree through the noun phrase's own relations:
  coordination ("67 bastions, 27 chars et 51 dépôts ont été détruits"), apposition, inclusion
  ("including 5 children", "in addition to 40 militants"), complements of a nominalisation
  ("l'élimination de 43"), up to the verb whose subject, passive subject or object the phrase is.
  A verb that carries no loss itself lends it from its complement ("were reported killed",
  "annonce 35 terroristes neutralisés") or from another dependent ("parmi les morts figurent 4
  civils", "the attack left 12 people dead"). A phrase attached by any other preposition ("dans
  une base", "near 3 villages") is where something happened, not what happened to it. The agent of
  a passive and the subject of an active transitive loss verb caused the losses.
- the predicate's own clause says whether it is negated ("n'a pas été tué", "aucun soldat", "no
  soldiers") or denied ("a démenti que", "denied that"), and which loss words are coordinated with
  it without a figure of their own ("killed or wounded", "30 morts et blessés").

The grammar words the reader needs (light verbs, classifier nouns, inclusive words, ellipsis heads)
are in ``data/structure_words.tsv``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from toolkit.lexicons import Lexicon, core_lexicon, fold
from toolkit.nlp import require

SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj", "csubj:pass", "expl:subj"})
OBJECTS = frozenset({"obj", "dobj", "iobj", "obl:arg", "attr", "oprd", "dative", "xcomp", "ccomp"})
COMPLEMENTS = frozenset({"xcomp", "acomp", "oprd", "attr", "ccomp"})
MODIFIERS = frozenset({"acl", "amod", "acl:relcl", "relcl", "appos"})
COORDINATION = frozenset({"conj", "appos", "flat", "flat:name", "fixed"})
AGENTS = frozenset({"obl:agent", "agent"})
NUMBER_LINKS = frozenset({"nummod", "det", "amod", "quantmod", "nmod", "compound", "advmod", "npadvmod", "fixed", "flat"})
INCLUSIVE_LINKS = frozenset({"case", "mark", "nmod", "advmod", "cc", "fixed", "prep", "det"})
OBLIQUES = frozenset({"obl", "obl:mod", "obl:arg", "nmod", "pobj", "prep", "advcl"})
#: Prepositions that introduce the figure a light verb gives: "rose to 85", "puts losses at 4,708
#: tanks", "s'élève à 85".
TO = frozenset({"to", "at", "a", "au", "aux"})
OF = frozenset({"de", "d", "du", "des", "of"})
NEGATIONS = frozenset({
    "pas", "rien", "guere", "nullement", "jamais", "plus", "aucun", "aucune", "nul", "nulle", "not", "n't", "never", "no", "none", "sans", "without",
})
#: French negation words that negate only beside "ne": "plus de 300" is a figure.
NEEDS_NE = frozenset({"plus"})
NE = frozenset({"ne", "n"})
NEGATING_DETERMINERS = frozenset({"aucun", "aucune", "nul", "nulle", "no", "zero"})
MAX_CLIMB = 12
AUXILIARIES = frozenset({"aux", "auxpass", "aux:pass", "aux:tense", "cop"})
#: How deep a light verb's other dependents are searched for the loss word.
LIGHT_DEPTH = 3
LIGHT_SKIPPED = frozenset({"punct", "cc", "aux", "aux:tense", "aux:pass", "auxpass", "mark", "ccomp", "advcl", "conj", "parataxis", "relcl", "acl:relcl"})


@dataclass(frozen=True)
class CountedHead:
    """The noun a figure counts (``index`` of its token), or the figure itself when ``bare``;
    ``figure``: the indices of the figure's own tokens; ``listed``: an elliptical figure of a list
    that counts the noun of an earlier figure of its sentence ("14 drones over Bryansk, eight
    over Tambov")."""

    index: int
    bare: bool
    elliptical: bool
    figure: range = range(0)
    listed: bool = False


@dataclass(frozen=True)
class Governor:
    """What the parse says happened to a counted noun.

    ``index``: the token of the predicate (a loss word of ``cues``) or None. ``relation``: how the
    noun phrase is tied to it: ``self`` ("30 morts"), ``modifier`` ("27 chars détruits"),
    ``subject``, ``passive_subject``, ``object``, ``nominal`` ("l'élimination de 43"),
    ``complement`` ("reported killed"), ``light`` ("the attack left 12 people dead"); or why there
    is no loss: ``blocked`` (a non-loss word of ``cues``: encircled, delivered), ``agent`` (the
    phrase caused the losses), ``adjunct`` (a place or circumstance: "dans une base"), ``other``
    (a verb that says nothing of losses governs the phrase), ``term`` (the phrase complements
    another counted noun: "le chef de 30 combattants"); ``fragment`` when no verb governs the phrase
    (a heading, a parse the reader cannot use), where a caller may fall back to proximity.
    """

    index: int | None
    relation: str
    negated: bool = False
    denied: bool = False
    coordinated: tuple[int, ...] = ()

    @property
    def found(self) -> bool:
        return self.index is not None


@dataclass(frozen=True)
class StructureWords:
    light: frozenset[str]
    classifier: frozenset[str]
    inclusive: frozenset[str]
    ellipsis: frozenset[str]
    aggregate: frozenset[str]
    preposition: frozenset[str]


def structure_words(lang: str | None) -> StructureWords:
    """The words of ``structure_words.tsv`` for ``lang`` (both languages when unknown), folded."""
    return _structure_words(lang, core_lexicon("structure_words"))


@lru_cache(maxsize=8)
def _structure_words(lang: str | None, lexicon: Lexicon) -> StructureWords:
    roles: dict[str, set[str]] = {"light": set(), "classifier": set(), "inclusive": set(), "ellipsis": set(), "aggregate": set(), "preposition": set()}
    for row in lexicon.rows:
        if lang not in ("fr", "en") or row["lang"] in (lang, "*"):
            roles[row["role"]].add(fold(row["word"]))
    return StructureWords(**{role: frozenset(words) for role, words in roles.items()})


def is_word(token: Token, words: frozenset[str]) -> bool:
    """``token``'s lemma or word, folded, is one of ``words`` (a set of ``StructureWords``)."""
    return fold(token.lemma_ or token.text) in words or fold(token.text) in words


def _case(token: Token) -> str | None:
    """The preposition of a French oblique or nominal complement ("de", "dans", "parmi")."""
    cases = [child for child in token.children if child.dep_ in ("case", "mark") and child.i < token.i]
    return " ".join(fold(child.text) for child in cases) if cases else None


def counted_head(doc: Doc, start: int, end: int, *, lang: str | None) -> CountedHead | None:
    """The noun counted by the figure written at characters ``start:end`` of ``doc``."""
    require("counted_head", "parse", "tags", "lemmas")
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return replace(_counted_head(doc, span, structure_words(lang)), figure=range(span.start, span.end))


def _counted_head(doc: Doc, span: Span, words: StructureWords) -> CountedHead:
    outer = [token for token in span if token.head.i == token.i or not span.start <= token.head.i < span.end]
    token = outer[-1] if outer else span[-1]
    if is_word(token, words.ellipsis) and token.dep_ != "det":  # "another was wounded"
        return CountedHead(token.i, bare=False, elliptical=True)
    following = doc[span.end] if span.end < len(doc) else None
    if following is not None and is_word(following, words.ellipsis) and (
        span.end + 1 == len(doc) or doc[span.end + 1].pos_ not in ("NOUN", "PROPN", "ADJ")
    ):  # "quatre autres pendant les affrontements", whatever the parser hung them on
        return _resolve(following, words)
    numeric = token.like_num or any(char.isdigit() for char in token.text)
    if numeric and _listed_without_noun(doc, span, words):
        return CountedHead(token.i, bare=False, elliptical=True, listed=True)
    if token.pos_ == "NOUN" and not numeric:
        # "des dizaines de civils", "hundreds of soldiers": the noun after "de"/"of"
        complement = _of_complement(token)
        if complement is not None:
            return _resolve(complement, words)
        if token.dep_ in NUMBER_LINKS and token.head.i >= span.end:  # "two dozen insurgents"
            return _resolve(token.head, words)
        return CountedHead(token.i, bare=True, elliptical=False)
    if token.dep_ in NUMBER_LINKS and token.head.i >= span.end:
        return _resolve(token.head, words)
    partitive = _of_complement(token)  # "two of the group's bases", "deux de leurs chars"
    if partitive is not None:
        return _resolve(partitive, words)
    for child in token.children:  # a parse that hangs the noun on the number: "27 <- chars"
        if span.end <= child.i <= span.end + 2 and child.pos_ in ("NOUN", "ADJ") and (
            child.dep_ not in OBLIQUES or (child.i == span.end and _case(child) is None)
        ):
            return _resolve(child, words)
    if following is not None and following.pos_ == "NOUN" and following.head.i != token.i:
        return _resolve(following, words)  # "perdu 1.671 chars" parsed as two phrases
    return CountedHead(token.i, bare=True, elliptical=False)


def _listed_without_noun(doc: Doc, span: Span, words: StructureWords) -> bool:
    """A number that follows a list separator or an inclusive word and comes right before a
    preposition: an item of a list whose noun was given once ("14 drones over Bryansk, eight over
    Tambov and five over Oryol", "200 combattants, dont 116 à Zaouïa")."""
    start = span.start
    while start > 0 and doc[start - 1].pos_ == "ADV":  # "et environ 75 à Aïn Zara"
        start -= 1
    before = doc[start - 1] if start > 0 else None
    following = doc[span.end] if span.end < len(doc) else None
    if before is None or following is None or fold(following.text) in OF:
        return False  # "deux de leurs chars": a partitive
    if following.pos_ != "ADP" and not is_word(following, words.preposition):
        return False
    return before.text == "," or before.pos_ == "CCONJ" or is_word(before, words.inclusive)


#: Relations that end a noun phrase: what follows is another phrase or clause.
PHRASE_ENDS = frozenset({"conj", "cc", "punct", "acl:relcl", "relcl", "parataxis", "dep", "advcl", "mark"})


def noun_phrase(head: Token) -> tuple[int, int]:
    """Token bounds ``(first, last + 1)`` of the noun phrase ``head`` heads: its modifiers,
    compounds and complements ("14 vehicles fitted with heavy machine guns", "dépôts de munitions
    et d'armes"), not a coordinated phrase, a relative clause or what follows a comma."""
    first = last = head.i
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in PHRASE_ENDS:
                continue
            if child.i > token.i and any(t.text in (",", ";", "(", "—", "–") for t in head.doc[token.i + 1 : child.i]):
                continue
            if child.i > head.i and any(t.like_num or t.pos_ == "NUM" for t in child.subtree):
                continue  # another figure: the next item of a list
            first, last = min(first, child.i), max(last, child.i)
            stack.append(child)
    return first, last + 1


def _of_complement(token: Token) -> Token | None:
    for child in token.children:
        if child.i <= token.i:
            continue
        if child.dep_ == "prep" and fold(child.text) in OF:
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            if objects:
                return objects[0]
        if child.dep_ in ("nmod", "obl", "obl:arg") and _case(child) in OF:
            return child
    return None


def _resolve(head: Token, words: StructureWords) -> CountedHead:
    """Classifier nouns pass to what they count ("16 units of armored vehicles"); a designation
    to the noun it names ("five D-20 howitzers"); "autres", "others" stand for an earlier noun."""
    while head.dep_ in ("nummod", "compound") and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    if is_word(head, words.classifier):
        complement = _of_complement(head)
        if complement is not None:
            head = complement
    if is_word(head, words.ellipsis):
        complement = _of_complement(head)  # "12 autres de ses compagnons"
        return CountedHead((complement or head).i, bare=False, elliptical=complement is None)
    return CountedHead(head.i, bare=False, elliptical=False)


def governing_predicate(
    head: Token,
    *,
    cues: Mapping[int, Any],
    terms: Mapping[int, Any],
    lang: str | None,
    deny: frozenset[str] = frozenset(),
    figure: range = range(0),
) -> Governor:
    """What the parse says happened to the noun phrase headed by ``head`` (see ``Governor``).

    ``cues`` maps the index of every token inside a loss word to its value (None for a blocker);
    ``terms`` maps the tokens of every countable noun of the same extractor; ``deny`` holds the
    folded verbs and nouns of denial; ``figure``, the token indices of the figure itself, whose
    words are no preposition ("wounded up to 2,470 others").
    """
    require("governing_predicate", "parse", "tags", "lemmas")
    words = structure_words(lang)
    if head.i in cues:
        if cues[head.i] is None:
            return Governor(None, "blocked")
        return _governor(head, head, "self", cues, deny)
    # "17 terroristes neutralisés" parsed with the noun as an adjective of the figure: the
    # participle then hangs on the figure
    phrase = [head, head.head] if head.head.i in figure and head.head.i != head.i else [head]
    for child in (child for token in phrase for child in token.children):
        if child.dep_ in MODIFIERS and child.i in cues and cues[child.i] is not None and _passive_modifier(child):
            return _governor(child, head, "modifier", cues, deny)
    shared = _shared_modifier(head, cues) or _list_participle(head, cues)  # "196 avions et 156 hélicoptères abattus"
    if shared is not None:
        return _governor(shared, head, "modifier", cues, deny)
    node, joined, loose = head, False, False

    def refuse(relation: str) -> Governor:
        # a loose attachment on the way ("Selon le ministère, 1.500 extrémistes ...": the parser
        # hung the subject on the opening phrase) is no evidence against a loss
        return Governor(None, "fragment" if loose else relation)

    for _ in range(MAX_CLIMB):
        governor, dep, case = _hop(node, figure)
        if governor is None:
            return _modifier_blocker(head, cues) or Governor(None, "fragment")
        inclusive = bool(case and set(case.split()) & words.inclusive) or any(
            is_word(child, words.inclusive) for child in node.children if child.i < node.i and child.dep_ in INCLUSIVE_LINKS
        )
        if dep == "conj" and governor.pos_ == "VERB" and node.pos_ in ("NOUN", "PROPN") and cues.get(governor.i) is not None:
            # "had lost 1,210 personnel, 48 artillery systems, ...": a noun the parser joined to the
            # verb itself is one more object of it
            return _governor(governor, head, "object", cues, deny)
        if dep in COORDINATION or inclusive or (is_word(governor, words.inclusive) and governor.pos_ in ("NOUN", "ADV", "ADP")):
            node, joined = governor, True
            continue
        loose = loose or (dep in ("nmod", "appos", "dep") and case is None and _comma_between(node, governor)) or (
            dep in SUBJECTS and governor.pos_ in ("NOUN", "PROPN")  # a noun with a subject: a broken list
        )
        if dep in AGENTS:
            return Governor(None, "agent")
        adjunct = dep in ("nmod", "obl", "obl:mod", "prep") and case is not None and case not in OF and not joined
        if governor.i in cues:
            if cues[governor.i] is None:
                return Governor(None, "blocked")
            if adjunct and governor.pos_ in ("VERB", "AUX"):
                return refuse("adjunct")
            relation = _relation(dep, governor)
            if relation == "subject" and _has_object(governor, cues):
                return Governor(None, "agent")
            return _governor(governor, head, relation, cues, deny)
        if adjunct and not (case in TO and is_word(governor, words.light)):  # "the toll rose to 85"
            return refuse("adjunct")
        if governor.pos_ in ("NOUN", "PROPN") and dep not in SUBJECTS | OBJECTS:
            if governor.i in terms and case is not None and terms[governor.i] is not terms.get(head.i):
                return refuse("term")
            node, joined = governor, False  # "un convoi de 12 véhicules" is what the verb governs
            continue
        if governor.pos_ in ("VERB", "AUX", "ADJ") or dep in SUBJECTS | OBJECTS:
            found = _through_verb(governor, node, head, dep, cues, words, deny)
            return refuse("other") if found.relation == "other" else found
        node, joined = governor, False
    return refuse("other")


def _between(a: Token, b: Token) -> Span:
    """The tokens strictly between ``a`` and ``b``."""
    low, high = sorted((a.i, b.i))
    return a.doc[low + 1 : high]


def _comma_between(a: Token, b: Token) -> bool:
    return any(token.text == "," for token in _between(a, b))


def _shared_modifier(head: Token, cues: Mapping[int, Any]) -> Token | None:
    """A participle after the last of coordinated noun phrases applies to them all."""
    conjuncts = [child for child in head.children if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN")]
    if not conjuncts or head.dep_ == "conj":
        return None
    last = conjuncts[-1]
    return next(
        (child for child in last.children
         if child.dep_ in ("acl", "amod") and child.i > last.i and child.i in cues and cues[child.i] is not None and _passive_modifier(child)),
        None,
    )


#: Prepositions inside an item of a list ("systèmes d'artillerie", "rounds of ammunition").
_LIST_LINKS = frozenset({"de", "d", "du", "des", "of"})
#: Parts of speech inside a list of counted noun phrases ("278 avions, 261 hélicoptères et 1 537
#: drones"): numbers, nouns, their adjectives and determiners, "de"/"of", commas and "et"/"and".
_LIST_POS = frozenset({"NUM", "NOUN", "PROPN", "ADJ", "DET", "ADP", "PUNCT", "CCONJ"})


def _list_participle(head: Token, cues: Mapping[int, Any]) -> Token | None:
    """A participle right after a list of counted noun phrases applies to each item, read from
    the word order when the parser broke the list ("Il fait état de 278 avions, 261 hélicoptères
    et 1 537 drones abattus": "avions" hung on "état", "hélicoptères" on the verb)."""
    sentence_end = head.sent.end
    joined = False
    for token in head.doc[head.i + 1 : sentence_end]:
        if token.i in cues:
            if cues[token.i] is None or not joined or token.pos_ not in ("VERB", "ADJ") or "Part" not in token.morph.get("VerbForm"):
                return None
            previous = token.doc[token.i - 1]
            active = token.tag_ == "VBG" or any(child.dep_ in OBJECTS for child in token.children)  # "... destroyed the village"
            return token if previous.pos_ in ("NOUN", "PROPN") and not active else None
        if (token.pos_ not in _LIST_POS or (token.pos_ == "PUNCT" and token.text != ",")
                or (token.pos_ == "ADP" and fold(token.text).strip() not in _LIST_LINKS)):
            return None
        joined = joined or token.text == "," or token.pos_ == "CCONJ"
    return None


def _hop(node: Token, figure: range = range(0)) -> tuple[Token | None, str, str | None]:
    """The governor of ``node``, the relation, and the preposition in between if any. English
    prepositions are tokens of their own ("of" -> pobj); French ones are "case" children."""
    if node.head.i == node.i or _crosses_sentence(node, node.head):
        return None, node.dep_, None
    dep = node.dep_
    if dep == "pobj" and node.head.dep_ in ("prep", "agent", "dative"):
        preposition = node.head
        if preposition.head.i == preposition.i or _crosses_sentence(node, preposition.head):
            return None, dep, None
        if preposition.i in figure:
            return preposition.head, "dobj", None
        return preposition.head, ("agent" if preposition.dep_ == "agent" else "prep"), fold(preposition.text)
    if dep in ("nmod", "obl", "obl:arg", "obl:mod", "obl:agent"):
        return node.head, dep, _case(node)
    return node.head, dep, None


def _crosses_sentence(a: Token, b: Token) -> bool:
    """A line break or a full stop between two tokens: the parser joined two sentences."""
    return any("\n" in token.text or token.text in (".", "!", "?") for token in _between(a, b))


def _relation(dep: str, governor: Token) -> str:
    if dep in ("nsubj:pass", "nsubjpass", "csubj:pass") or (dep in SUBJECTS and _passive(governor)):
        return "passive_subject"
    if dep in SUBJECTS:
        return "subject"
    if dep in OBJECTS or dep == "obl:arg":
        return "object"
    if governor.pos_ in ("NOUN", "PROPN"):
        return "nominal"
    return "object"


def _passive(verb: Token) -> bool:
    return "Pass" in verb.morph.get("Voice") or any(child.dep_ in ("aux:pass", "auxpass") for child in verb.children)


def _passive_modifier(token: Token) -> bool:
    """A participle or adjective that says what happened to the noun ("chars détruits", "militants
    killed"), not an active relative clause ("qui ont tué 3 civils")."""
    if token.dep_ in ("acl:relcl", "relcl"):
        return _passive(token)
    return token.tag_ != "VBG" and "Inf" not in token.morph.get("VerbForm")


def _has_object(verb: Token, cues: Mapping[int, Any]) -> bool:
    """An active verb with an object of its own (not one inside the loss word: "déposer les armes")."""
    return not _passive(verb) and any(
        child.dep_ in ("obj", "dobj") and cues.get(child.i, False) != cues[verb.i] for child in verb.children
    )


def _through_verb(
    verb: Token, node: Token, head: Token, dep: str, cues: Mapping[int, Any], words: StructureWords, deny: frozenset[str]
) -> Governor:
    """A verb that is no loss word governs the phrase: a loss word may still be its complement
    ("reported killed", "retrouvés morts") or, for a light verb, another of its dependents; an
    auxiliary the parser made the phrase's head passes to its verb ("also recovered were 31 rounds")."""
    if verb.dep_ in AUXILIARIES and verb.head.i != verb.i and cues.get(verb.head.i) is not None:
        return _governor(verb.head, head, "passive_subject" if _passive(verb.head) else "object", cues, deny)
    for child in verb.children:
        if child.dep_ in COMPLEMENTS and child.i != node.i and child.i in cues:
            if cues[child.i] is None:
                return Governor(None, "blocked")
            return _governor(child, head, "complement", cues, deny)
    if dep in SUBJECTS:  # "12 pick-up ... ont été attaqués puis détruits": a coordinated verb shares the subject
        for child in verb.children:
            if child.dep_ == "conj" and child.i in cues and cues[child.i] is not None and not any(
                grandchild.dep_ in SUBJECTS for grandchild in child.children
            ):
                return _governor(child, head, _relation(dep, child), cues, deny)
    if is_word(verb, words.light):
        # "parmi les morts figurent 4 civils", "among the seized items were 48 rifles", "arms
        # recovered from them include 14 rifles": the loss word sits in another dependent
        layer = [child for child in verb.children if child.i != node.i and child.dep_ not in LIGHT_SKIPPED]
        for _ in range(LIGHT_DEPTH):
            for token in layer:
                if token.i in cues and cues[token.i] is not None and token.pos_ in ("NOUN", "ADJ", "VERB", "PROPN"):
                    return _governor(token, head, "light", cues, deny)
            layer = [child for token in layer for child in token.children if child.dep_ not in LIGHT_SKIPPED and child.i != node.i]
    blocker = _modifier_blocker(head, cues)
    return blocker or Governor(None, "other")


def _modifier_blocker(head: Token, cues: Mapping[int, Any]) -> Governor | None:
    """"12 000 soldats déployés": a non-loss participle on the phrase itself."""
    if any(child.dep_ in MODIFIERS and child.i in cues and cues[child.i] is None for child in head.children):
        return Governor(None, "blocked")
    return None


def _governor(predicate: Token, head: Token, relation: str, cues: Mapping[int, Any], deny: frozenset[str]) -> Governor:
    return Governor(
        predicate.i,
        relation,
        negated=_negated(predicate, head),
        denied=_denied(predicate, deny),
        coordinated=_coordinated(predicate, cues),
    )


def _negated(predicate: Token, head: Token) -> bool:
    """A negation in the predicate's own clause, or a negating determiner on the counted noun."""
    if any(is_word(child, NEGATING_DETERMINERS) for child in head.children if child.dep_ in ("det", "amod", "nummod", "advmod")):
        return True
    clause = [predicate]
    if predicate.dep_ in ("xcomp", "acomp", "oprd") or predicate.pos_ in ("NOUN", "ADJ"):
        clause.append(predicate.head)
    for token in clause:
        for child in token.children:
            if child.dep_ in ("neg", "advmod", "det", "cc:preconj") and is_word(child, NEGATIONS) and child.i != head.i:
                if is_word(child, NEEDS_NE) and not any(is_word(sibling, NE) for sibling in token.children):
                    continue  # "plus de 1.800 morts" is a figure, "n'a plus" a negation
                return True
    return False


def _denied(predicate: Token, deny: frozenset[str]) -> bool:
    """A verb or noun of denial above the predicate ("a démenti que 10 soldats aient été tués")."""
    if not deny:
        return False
    token = predicate
    for _ in range(MAX_CLIMB):
        if token.head.i == token.i:
            return False
        token = token.head
        if is_word(token, deny):
            return True
    return False


def _coordinated(predicate: Token, cues: Mapping[int, Any]) -> tuple[int, ...]:
    """Loss words coordinated with the predicate that have no figure or subject of their own
    ("killed or wounded", "30 morts et blessés")."""
    found = []
    for child in predicate.children:
        if child.dep_ != "conj" or child.i not in cues or cues[child.i] is None:
            continue
        if any(grandchild.dep_ in SUBJECTS | OBJECTS for grandchild in child.children) or any(
            token.like_num or token.pos_ == "NUM" for token in child.subtree if token.i != child.i
        ):
            continue
        found.append(child.i)
    return tuple(found)
