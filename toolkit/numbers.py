"""The one number parser of the toolkit: figures in digits or words, with their qualifier and kind.

``find_quantities(text, lang)`` returns every figure of a text as a ``Quantity``: its span, its
value, ``count_min`` / ``count_max`` and ``qualifier`` in the gold vocabulary (exact, approx,
at_least, at_most, range, vague), and its ``kind``: ``count`` for a figure that can count people
or things, or what else it is (date, year, time, percent, distance, area, duration, frequency,
money, weight, age, ordinal, designation, furniture, or measure for a figure with decimals). Extractors keep counts and ignore the rest.

The words involved live in data files: ``number_words.tsv``, ``quantity_words.tsv``,
``qualifiers.tsv``, ``units.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from text_to_num import text2num

from toolkit.lexicons import REMEMBERED_ARTICLE_CHARS, REMEMBERED_TEXT_CHARS, Lexicon, core_lexicon, fold

LANGUAGES = ("fr", "en")
COUNT = "count"

_TOKEN = re.compile(
    r"""
    (?P<time>(?<![\w.,:])\d{1,2}(?::|h(?=\d{2}))\d{2}(?![\d:]))
    | (?P<number>(?<![\w.,])(?:\d{1,3}(?:(?:[\u00a0\u202f\u2009 ]|[.,])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?))
    | (?P<word>[^\W\d_]+)
    | (?P<symbol>\S)
    """,
    re.VERBOSE,
)
_TRANSPARENT = set("'’‘`´ʼ-‐‑‒–—―−:°.")
_ORDINAL_SUFFIXES = {"e", "er", "ere", "eme", "emes", "es", "ers", "nd", "st", "rd", "th", "re", "de"}
_RANGE_CONNECTORS = {"-", "–", "—", "‑", "à", "a", "au", "aux", "to", "ou", "or", "et", "and"}
_RANGE_OPENERS = {"entre", "between", "de", "d", "du", "from"}
_BOUNDED_CONNECTORS = {"et", "and"}  # a range only after "entre" / "between"
_DETERMINERS = {"un", "une", "des", "les", "plusieurs", "quelques", "a", "an", "several", "the", "many", "de", "d"}
_OF = {"de", "d", "of"}


@dataclass(frozen=True)
class Quantity:
    """A figure found in a text."""

    start: int
    end: int
    text: str
    value: float | None
    count_min: int | None
    count_max: int | None
    qualifier: str
    kind: str
    unit: str | None = None

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT


class _Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int
    norm: str


@dataclass(frozen=True)
class _Atom:
    first: int  # index of the first token
    last: int  # index of the last token
    low: float
    high: float | None
    qualifier: str
    kind: str = COUNT
    plain_digits: bool = False


# -- vocabularies --------------------------------------------------------------------------------


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "symbol"
        raw = match.group()
        tokens.append(_Token(kind, raw, match.start(), match.end(), fold(raw).strip() if kind == "word" else raw.lower()))
    return tokens


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(token.norm for token in _tokenize(phrase) if token.text not in _TRANSPARENT)


def _languages(lang: str | None) -> tuple[str, ...]:
    return (lang, "*") if lang in LANGUAGES else (*LANGUAGES, "*")


@dataclass(frozen=True, eq=False)
class _Vocabulary:
    number_roles: dict[str, str]
    multiplier_values: dict[str, int]
    quantity_words: dict[str, tuple[int, str]]
    qualifiers_before: dict[tuple[str, ...], str]
    qualifiers_after: dict[tuple[str, ...], str]
    units_before: dict[tuple[str, ...], tuple[str, str]]
    units_after: dict[tuple[str, ...], tuple[str, str]]


def _vocabulary(lang: str | None) -> _Vocabulary:
    """The words of ``lang`` (every language when unknown) in the lexicons in use."""
    return _vocabulary_of(lang, *map(core_lexicon, ("number_words", "quantity_words", "qualifiers", "units")))


@lru_cache(maxsize=8)
def _vocabulary_of(lang: str | None, number_words: Lexicon, quantity_words: Lexicon, qualifiers: Lexicon, units: Lexicon) -> _Vocabulary:
    langs = _languages(lang)
    number_roles: dict[str, str] = {}
    multiplier_values = {}
    for row in number_words.rows:
        if row["lang"] not in langs:
            continue
        number_roles.setdefault(fold(row["word"]), row["role"])
        if row["role"] == "multiplier":
            multiplier_values[fold(row["word"])] = text2num(row["word"], row["lang"])
    quantity_word_values = {
        fold(row["word"]): (int(row["value"]), row["qualifier"])
        for row in quantity_words.rows
        if row["lang"] in langs
    }
    qualifier_phrases: dict[str, dict[tuple[str, ...], str]] = {"before": {}, "after": {}}
    for row in qualifiers.rows:
        if row["lang"] in langs:
            qualifier_phrases[row["position"]].setdefault(_phrase_key(row["phrase"]), row["qualifier"])
    unit_phrases: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {"before": {}, "after": {}}
    for row in units.rows:  # units of any language: "805 kilomètres carrés" in English text
        unit_phrases[row["position"]].setdefault(_phrase_key(row["phrase"]), (row["kind"], row["phrase"]))
    return _Vocabulary(
        number_roles,
        multiplier_values,
        quantity_word_values,
        qualifier_phrases["before"],
        qualifier_phrases["after"],
        unit_phrases["before"],
        unit_phrases["after"],
    )


# -- reading digits and words --------------------------------------------------------------------


def parse_digits(raw: str) -> float:
    """Value of a figure in digits: ``2.359`` and ``2,359`` (thousands, in either language: news is
    translated, and a count with three decimals does not occur), ``1 500`` (any space), ``1,5`` /
    ``1.5`` (decimals), ``1.234,5``, ``1,234,567``."""
    compact = re.sub(r"[\s\u00a0\u202f\u2009]", "", raw)
    separators = re.findall(r"[.,]", compact)
    if not separators:
        return float(compact)
    if len(set(separators)) == 2:
        decimal = compact[max(compact.rfind("."), compact.rfind(","))]
        thousands = "," if decimal == "." else "."
        return float(compact.replace(thousands, "").replace(decimal, "."))
    separator = separators[0]
    groups = compact.split(separator)
    if len(groups) > 2 or len(groups[1]) == 3:
        return float("".join(groups))
    return float(compact.replace(separator, "."))


def _words_value(words: Sequence[str], lang: str | None) -> int | None:
    phrase = " ".join(words)
    for language in ([lang] if lang in LANGUAGES else list(LANGUAGES)):
        try:
            return int(text2num(phrase, language))
        except ValueError:
            continue
    return None


# -- the scanner --------------------------------------------------------------------------------


def find_quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """Every figure of ``text``, in order, with qualifier and kind (see the module docstring)."""
    # a sentence or an article is read by several extractors in a row
    vocabulary = _vocabulary(lang)
    if len(text) <= REMEMBERED_TEXT_CHARS:
        return list(_remembered_quantities(text, lang, vocabulary))
    if len(text) <= REMEMBERED_ARTICLE_CHARS:
        return list(_remembered_article_quantities(text, lang, vocabulary))
    return _quantities(text, lang, vocabulary)


@lru_cache(maxsize=1024)
def _remembered_quantities(text: str, lang: str | None, vocabulary: _Vocabulary) -> tuple[Quantity, ...]:
    return tuple(_quantities(text, lang, vocabulary))


@lru_cache(maxsize=4)
def _remembered_article_quantities(text: str, lang: str | None, vocabulary: _Vocabulary) -> tuple[Quantity, ...]:
    return tuple(_quantities(text, lang, vocabulary))


def _quantities(text: str, lang: str | None, vocabulary: _Vocabulary) -> list[Quantity]:
    tokens = _tokenize(text)
    atoms = _ranges(_atoms(tokens, vocabulary, lang), tokens)
    quantities = _restated([_quantity(atom, tokens, text, vocabulary) for atom in atoms], text)
    return _paired_dates(_in_addresses(quantities, text), text)


_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[a-z]{2,})+/\S*", re.IGNORECASE)
_DATE_PAIR = re.compile(r"\s*(?:and|et|au|à|a|to|through|till|until|-|–|—)\s*(?:le\s+)?$", re.IGNORECASE)


def _in_addresses(quantities: list[Quantity], text: str) -> list[Quantity]:
    """Digits inside a web address ("sdf-press.com/en/2022/05") are page furniture."""
    spans = [match.span() for match in _ADDRESS.finditer(text)] if "/" in text or "www" in text else []
    if not spans:
        return quantities
    return [
        replace(quantity, kind="furniture") if any(start <= quantity.start < end for start, end in spans) else quantity
        for quantity in quantities
    ]


def _paired_dates(quantities: list[Quantity], text: str) -> list[Quantity]:
    """A day number joined to a date is a date too: "between July 22 and 27", "entre le 3 et le 5 mars"."""
    paired = list(quantities)
    for index in range(len(paired) - 1):
        first, second = paired[index], paired[index + 1]
        if not _DATE_PAIR.match(text[first.end : second.start]) or "\n" in text[first.end : second.start]:
            continue
        if first.kind == "date" and second.kind == COUNT and _day_number(second):
            paired[index + 1] = replace(second, kind="date")
        elif second.kind == "date" and first.kind == COUNT and _day_number(first):
            paired[index] = replace(first, kind="date")
    return paired


def _day_number(quantity: Quantity) -> bool:
    return quantity.text.isdigit() and 1 <= int(quantity.text) <= 31


_RESTATEMENT = re.compile(r"\s*\(\s*0*(\d+)\s*\)")


def _restated(quantities: list[Quantity], text: str) -> list[Quantity]:
    """"deux (02) morts", "Vingt-sept (27)": a figure restated in digits between brackets is one
    figure, spanning both."""
    merged: list[Quantity] = []
    for quantity in quantities:
        previous = merged[-1] if merged else None
        if previous is not None and previous.is_count and previous.value is not None:
            restatement = _RESTATEMENT.match(text, previous.end)
            if restatement and restatement.end(1) == quantity.end and float(restatement.group(1)) == previous.value:
                end = restatement.end()
                merged[-1] = replace(previous, end=end, text=text[previous.start : end])
                continue
        merged.append(quantity)
    return merged


def find_counts(text: str, lang: str | None = None) -> list[Quantity]:
    """The figures of ``text`` that can count people or things."""
    return [quantity for quantity in find_quantities(text, lang) if quantity.is_count]


def parse_count(text: str, lang: str | None = None) -> Quantity | None:
    """The first countable figure of a short text (``"environ 2.700"``, ``"des centaines"``), or None."""
    counts = find_counts(text, lang)
    return counts[0] if counts else None


def _atoms(tokens: list[_Token], vocabulary: _Vocabulary, lang: str | None) -> list[_Atom]:
    atoms: list[_Atom] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        atom = None
        if token.kind == "time":
            atom = _Atom(index, index, 0.0, None, "exact", kind="time")
        elif token.kind == "number":
            atom = _digit_atom(tokens, index, vocabulary)
        elif token.kind == "word":
            atom = _quantity_word_atom(tokens, index, vocabulary) or _number_words_atom(tokens, index, vocabulary, lang)
        if atom is None:
            index += 1
            continue
        previous = atoms[-1] if atoms else None
        if (
            token.kind == "word" and token.norm in vocabulary.quantity_words and previous is not None
            and previous.last == atom.first - 1 and previous.kind == COUNT and previous.high is None
            and previous.qualifier == "exact"
        ):  # "two dozen", "trois douzaines"
            atom = _Atom(previous.first, atom.last, previous.low * atom.low, None, "approx")
            atoms.pop()
        atoms.append(atom)
        index = atom.last + 1
    return atoms


def _digit_atom(tokens: list[_Token], index: int, vocabulary: _Vocabulary) -> _Atom:
    token = tokens[index]
    value = parse_digits(token.text)
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is not None and following.kind == "word" and following.start == token.end:
        if following.norm in _ORDINAL_SUFFIXES:
            return _Atom(index, index + 1, value, value, "exact", kind="ordinal")
    if following is not None and following.kind == "word" and following.norm in vocabulary.multiplier_values:
        return _Atom(index, index + 1, value * vocabulary.multiplier_values[following.norm], None, "exact")
    return _Atom(index, index, value, None, "exact", plain_digits=token.text.isdigit())


def _quantity_word_atom(tokens: list[_Token], index: int, vocabulary: _Vocabulary) -> _Atom | None:
    entry = vocabulary.quantity_words.get(tokens[index].norm)
    if entry is None:
        return None
    value, qualifier = entry
    if qualifier == "vague" and index > 0 and tokens[index - 1].kind == "number":
        return None  # "3 millions" is read with its digits
    first = index - 1 if index > 0 and tokens[index - 1].norm in _DETERMINERS - _OF else index
    last = index
    # "des dizaines de milliers", "tens of thousands"
    if index + 2 < len(tokens) and tokens[index + 1].norm in _OF:
        scale = vocabulary.quantity_words.get(tokens[index + 2].norm)
        if scale and scale[1] == "vague" and scale[0] >= 1000:
            value, last, qualifier = value * scale[0], index + 2, "vague"
    return _Atom(first, last, float(value), None, qualifier)


def _number_words_atom(tokens: list[_Token], index: int, vocabulary: _Vocabulary, lang: str | None) -> _Atom | None:
    roles = vocabulary.number_roles
    if tokens[index].norm not in roles:
        return None
    run: list[int] = []
    position = index
    while position < len(tokens):
        token = tokens[position]
        role = roles.get(token.norm) if token.kind == "word" else None
        if token.text in "-‐‑" and run and position + 1 < len(tokens) and roles.get(tokens[position + 1].norm):
            position += 1
            continue
        if role is None:
            break
        if role == "article":
            next_role = roles.get(tokens[position + 1].norm) if position + 1 < len(tokens) else None
            after_joiner = bool(run) and roles.get(tokens[run[-1]].norm) == "joiner"
            if not (next_role == "multiplier" or after_joiner):
                break
        if role == "joiner" and not run:
            break
        run.append(position)
        position += 1
    while run and roles.get(tokens[run[-1]].norm) == "joiner":
        run.pop()
    if not run:
        return None
    words = [tokens[i].norm for i in run]
    if all(roles[word] == "multiplier" and word.endswith("s") for word in words):
        return None  # "des millions" is a vague quantity, not a figure
    if roles[words[0]] == "article":
        words[0] = "un" if lang == "fr" else "one"
    while words:
        value = _words_value(words, lang)
        if value is not None:
            return _Atom(index, run[len(words) - 1], float(value), None, "exact")
        words.pop()
    return None


def _ranges(atoms: list[_Atom], tokens: list[_Token]) -> list[_Atom]:
    """Join "2-3", "entre 10 et 15", "de 10 à 15", "two or three" into one range atom."""
    joined: list[_Atom] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if index + 1 < len(atoms):
            following = atoms[index + 1]
            between = tokens[atom.last + 1 : following.first]
            opener = tokens[atom.first - 1] if atom.first > 0 else None
            opened = opener is not None and opener.norm in _RANGE_OPENERS
            if (
                atom.kind == COUNT
                and following.kind == COUNT
                and len(between) == 1
                and between[0].norm in _RANGE_CONNECTORS
                and (between[0].norm not in _BOUNDED_CONNECTORS or (opened and opener.norm in {"entre", "between"}))
                and following.low > atom.low
            ):
                first = atom.first - 1 if opened else atom.first
                joined.append(_Atom(first, following.last, atom.low, following.low, "range"))
                index += 2
                continue
        joined.append(atom)
        index += 1
    return joined


def _quantity(atom: _Atom, tokens: list[_Token], text: str, vocabulary: _Vocabulary) -> Quantity:
    start, end = tokens[atom.first].start, tokens[atom.last].end
    kind, unit = atom.kind, None
    qualifier = atom.qualifier
    if kind == COUNT:
        kind, unit = _kind_from_context(atom, tokens, text, vocabulary)
    before_qualifier, before_length = _match_before(tokens, atom.first, vocabulary.qualifiers_before)
    after_qualifier, after_length = _match_after(tokens, atom.last, vocabulary.qualifiers_after)
    stated = before_qualifier or after_qualifier
    if stated and qualifier in {"exact", "approx"}:
        qualifier = stated
    elif stated in {"at_least", "at_most"} and qualifier == "vague":
        qualifier = stated
    if before_qualifier and qualifier == before_qualifier:
        start = tokens[atom.first - before_length].start
    if after_qualifier and qualifier == after_qualifier and not before_qualifier:
        end = tokens[atom.last + after_length].end
    low = atom.low
    if kind == COUNT and not float(low).is_integer():
        kind = "measure"  # "7.62", "12,7": a figure with decimals counts nothing
    count = int(low) if float(low).is_integer() and kind != "time" else None
    if qualifier == "range":
        high = atom.high
        count_max = int(high) if high is not None and float(high).is_integer() else None
    elif qualifier in {"at_least", "vague"}:
        count_max = None
    else:
        count_max = count
    return Quantity(start, end, text[start:end], low, count, count_max, qualifier, kind, unit)


def _kind_from_context(atom: _Atom, tokens: list[_Token], text: str, vocabulary: _Vocabulary) -> tuple[str, str | None]:
    first = tokens[atom.first]
    if first.kind == "number" and first.start >= 2 and text[first.start - 1] in "-‐‑" and text[first.start - 2].isalnum():
        return "designation", None  # Su-24, BM-21, T-72
    last = tokens[atom.last]
    if last.kind == "number" and last.end + 1 < len(text) and text[last.end] in "-‐‑" and text[last.end + 1].isalpha():
        if not text[last.end + 1 :].lower().startswith(("e ", "ème", "eme")):
            return "designation", None  # 9-mm, 4-x
    unit_after = _unit_after(tokens, atom.last, vocabulary)
    if unit_after is not None:
        return unit_after
    match, _length = _match_before(tokens, atom.first, vocabulary.units_before)
    if match is not None and (match[0] != "year" or _is_year(atom, tokens)):
        return match
    if _is_year(atom, tokens) and _ends_clause(tokens, atom.last):
        return "year", None
    return COUNT, None


def _is_year(atom: _Atom, tokens: list[_Token]) -> bool:
    return atom.plain_digits and len(tokens[atom.first].text) == 4 and 1900 <= atom.low <= 2100


def _ends_clause(tokens: list[_Token], last: int) -> bool:
    following = tokens[last + 1] if last + 1 < len(tokens) else None
    return following is None or following.kind == "symbol"


def _unit_after(tokens: list[_Token], last: int, vocabulary: _Vocabulary) -> tuple[str, str] | None:
    match, _length = _match_after(tokens, last, vocabulary.units_after)
    if match is None and last + 2 < len(tokens) and tokens[last + 1].norm in _OF:
        match, _length = _match_after(tokens, last + 1, vocabulary.units_after)
        if match is not None and match[0] not in {"distance", "area", "money", "weight"}:
            match = None
    return match


def _words_around(tokens: list[_Token], index: int, step: int, limit: int) -> list[tuple[int, str]]:
    found = []
    position = index + step
    while 0 <= position < len(tokens) and len(found) < limit:
        token = tokens[position]
        if token.text not in _TRANSPARENT:
            found.append((position, token.norm))
        position += step
    return found


def _match_before(tokens: list[_Token], first: int, phrases: dict) -> tuple:
    words = _words_around(tokens, first, -1, 5)
    for length in range(len(words), 0, -1):
        key = tuple(norm for _, norm in reversed(words[:length]))
        if key in phrases:
            return phrases[key], first - words[length - 1][0]
    return None, 0


def _match_after(tokens: list[_Token], last: int, phrases: dict) -> tuple:
    words = _words_around(tokens, last, 1, 4)
    for length in range(len(words), 0, -1):
        key = tuple(norm for _, norm in words[:length])
        if key in phrases:
            return phrases[key], words[length - 1][0] - last
    return None, 0
