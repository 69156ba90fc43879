"""Lexicons in tab-separated data files, and the one alias matcher every extractor shares."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from toolkit.plugins import ToolkitPluginManager

DATA_DIR = Path(__file__).parent / "data"


def read_tsv(path: str | Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header line; ``#`` lines and blank lines are comments."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


#: The key columns of the core's lexicons: a row a plugin returns with the same key as a row of the
#: data file replaces it (see ``toolkit_lexicon_entries``).
LEXICON_KEYS: dict[str, tuple[str, ...]] = {
    "actors": ("alias", "lang"),
    "modality": ("cue", "lang", "modality"),
    "nationalities": ("country",),
    "number_words": ("word", "lang"),
    "period_words": ("phrase", "lang", "kind"),
    "qualifiers": ("phrase", "lang", "position"),
    "quantity_words": ("word", "lang"),
    "structure_words": ("word", "lang", "role"),
    "theatres": ("country", "parties"),
    "transliteration": ("from",),
    "units": ("phrase", "lang", "position"),
}

#: The reserved column of a plugin's row that takes rows out of a lexicon: ``{"action": "remove", ...}``.
ACTION = "action"
REMOVE = "remove"


def load_lexicon(
    name: str,
    *,
    rows: list[dict[str, str]] | None = None,
    plugin_manager: "ToolkitPluginManager | None" = None,
    key: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of lexicon ``name``: ``rows`` if given, else the core's ``data/<name>.tsv``, with the
    rows plugins return from ``toolkit_lexicon_entries(name)`` added, replacing the rows with the
    same ``key`` columns (default ``LEXICON_KEYS[name]``) or removing rows, as that hook says."""
    if rows is None:
        rows = list(_core_rows(name))
    if key is None:
        key = LEXICON_KEYS.get(name, ())
    return with_entries(rows, contributed_rows(name, plugin_manager), key)


def contributed_rows(name: str, plugin_manager: "ToolkitPluginManager | None") -> list[dict[str, Any]]:
    """The rows the plugins of ``plugin_manager`` return for lexicon ``name``, in the order pluggy calls them."""
    if plugin_manager is None:
        return []
    return [row for rows in plugin_manager.hook.toolkit_lexicon_entries(name=name) for row in rows or []]


def with_entries(rows: Iterable[dict[str, Any]], entries: Iterable[dict[str, Any]], key: Sequence[str]) -> list[dict[str, Any]]:
    """``rows`` with each of ``entries`` applied in turn: a row with ``"action": "remove"`` takes out
    every row that has its values in the columns it gives; a row whose ``key`` columns match those of
    rows replaces the first of them (the columns it leaves out keep their values) and drops the
    others; any other row is added at the end. Values are compared folded (``fold``)."""
    merged: list[dict[str, Any] | None] = [dict(row) for row in rows]
    positions: dict[tuple[str, ...], list[int]] = {}
    if key:
        for index, row in enumerate(merged):
            positions.setdefault(_key_of(row, key), []).append(index)
    for entry in entries:
        given = {column: value for column, value in entry.items() if column != ACTION}
        if ACTION in entry:
            if entry[ACTION] != REMOVE or not given:
                raise ValueError(f"a lexicon row with {ACTION!r} must say {REMOVE!r} and give the columns to match: {entry!r}")
            wanted = {column: _folded(value) for column, value in given.items()}
            for index, row in enumerate(merged):
                if row is not None and all(_folded(row.get(column)) == value for column, value in wanted.items()):
                    merged[index] = None
            continue
        same = [index for index in positions.get(_key_of(given, key), []) if merged[index] is not None] if key else []
        if not same:
            if key:
                positions.setdefault(_key_of(given, key), []).append(len(merged))
            merged.append(given)
            continue
        merged[same[0]] = {**merged[same[0]], **given}
        for index in same[1:]:
            merged[index] = None
    return [row for row in merged if row is not None]


def _folded(value: Any) -> str:
    return " ".join(fold("" if value is None else str(value)).split())


def _key_of(row: dict[str, Any], key: Sequence[str]) -> tuple[str, ...]:
    return tuple(_folded(row.get(column)) for column in key)


@cache
def _core_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the core's ``data/<name>.tsv`` (none when there is no such file), read once."""
    path = DATA_DIR / f"{name}.tsv"
    return tuple(read_tsv(path)) if path.exists() else ()


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A core lexicon with the rows plugins contributed applied. Runs whose plugins contribute the
    same rows share one, so that what is built from it (a matcher, a vocabulary) is built once."""

    name: str
    rows: tuple[dict[str, Any], ...] = field(repr=False)


@lru_cache(maxsize=64)
def _lexicon(name: str, contributed: tuple[tuple[tuple[str, Any], ...], ...]) -> Lexicon:
    rows = with_entries(_core_rows(name), (dict(items) for items in contributed), LEXICON_KEYS.get(name, ()))
    return Lexicon(name, tuple(rows))


class Lexicons:
    """The core's lexicons as one run reads them: each data file with what the plugins of
    ``plugin_manager`` contribute (nothing without one), asked of the plugins once per lexicon.

    Within ``in_use()``, the functions of the core that read a lexicon (the number parser,
    modality, periods, structure words, demonyms, transliteration, the linker's actors and
    theatres) read it from these lexicons; outside any, from the data files alone."""

    def __init__(self, plugin_manager: "ToolkitPluginManager | None" = None) -> None:
        self.plugin_manager = plugin_manager
        self._read: dict[str, Lexicon] = {}

    def __getitem__(self, name: str) -> Lexicon:
        if name not in self._read:
            contributed = tuple(tuple(row.items()) for row in contributed_rows(name, self.plugin_manager))
            self._read[name] = _lexicon(name, contributed)
        return self._read[name]

    @contextmanager
    def in_use(self) -> Iterator[None]:
        token = _lexicons_in_use.set(self)
        try:
            yield
        finally:
            _lexicons_in_use.reset(token)


_CORE_LEXICONS = Lexicons()
_lexicons_in_use: ContextVar[Lexicons] = ContextVar("lexicons_in_use", default=_CORE_LEXICONS)


def core_lexicon(name: str) -> Lexicon:
    """Core lexicon ``name`` as the lexicons in use read it (see ``Lexicons``)."""
    return _lexicons_in_use.get()[name]


# -- normalisation -------------------------------------------------------------------------------

_APOSTROPHES = "'’‘`´ʼʻ′"
_DASHES = "-‐‑‒–—―−"


def fold(text: str) -> str:
    """Lower case without accents, with every apostrophe and dash folded to a space."""
    return text.translate(_FOLDED)


_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}


class CharacterTable(dict[int, str]):
    """A ``str.translate`` table that converts each character once, when first met."""

    def __init__(self, convert: Callable[[str], str]) -> None:
        super().__init__()
        self._convert = convert

    def __missing__(self, codepoint: int) -> str:
        converted = self[codepoint] = self._convert(chr(codepoint))
        return converted


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _APOSTROPHES or char in _DASHES:
        return " "
    lower = char.lower()
    if lower in _LIGATURES:
        return _LIGATURES[lower]
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base or " "


_FOLDED = CharacterTable(_fold_char)
_FOLDED_IN_PLACE = CharacterTable(lambda char: (_fold_char(char) or " ")[0])


def fold_in_place(text: str) -> str:
    """``fold(text)`` with each character folded to exactly one ("nœud" gives "noud"), so that
    offsets into it are offsets into ``text``."""
    return text.translate(_FOLDED_IN_PLACE)


_WORD = re.compile(r"\w+")


class Token(NamedTuple):
    norm: str
    start: int
    end: int


#: Texts up to this length (sentences) have their tokens remembered: a sentence is matched
#: against many lexicons in a row. Of longer ones (whole articles, up to a segment) only the last
#: few are, or the cache would hold thousands of articles.
REMEMBERED_TEXT_CHARS = 2_000
REMEMBERED_ARTICLE_CHARS = 200_000


def folded_tokens(text: str) -> tuple[Token, ...]:
    """Word tokens of ``text`` after folding, with offsets into the original text."""
    if len(text) <= REMEMBERED_TEXT_CHARS:
        return _remembered_tokens(text)
    return _remembered_article_tokens(text) if len(text) <= REMEMBERED_ARTICLE_CHARS else _folded_tokens(text)


@lru_cache(maxsize=4096)
def _remembered_tokens(text: str) -> tuple[Token, ...]:
    return _folded_tokens(text)


@lru_cache(maxsize=4)
def _remembered_article_tokens(text: str) -> tuple[Token, ...]:
    return _folded_tokens(text)


def _folded_tokens(text: str) -> tuple[Token, ...]:
    folded = fold(text)
    if len(folded) == len(text):  # every character folded to one: offsets are unchanged
        return tuple(Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded))
    offsets: list[int] = []
    for index, piece in enumerate(map(_fold_char, text)):
        offsets.extend([index] * len(piece))
    return tuple(Token(m.group(), offsets[m.start()], offsets[m.end() - 1] + 1) for m in _WORD.finditer(folded))


@lru_cache(maxsize=8)
def _transliteration_rules(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    return tuple((row["from"], row["to"]) for row in lexicon.rows)


def transliteration_key(text: str) -> str:
    """``text`` folded and written in one romanisation (``data/transliteration.tsv``), so that
    spelling variants of one name ("Konachenkov", "Konashenkov") come out alike."""
    key = " ".join(fold_key(text))
    for source, target in _transliteration_rules(core_lexicon("transliteration")):
        key = key.replace(source, target)
    return re.sub(r"(\w)\1+", r"\1", key)


def fold_key(text: str) -> tuple[str, ...]:
    """The token key under which an alias is stored and looked up."""
    return tuple(token.norm for token in folded_tokens(text))


@dataclass(frozen=True)
class AliasMatch:
    start: int
    end: int
    text: str
    value: Any
    alias: str


class AliasMatcher:
    """Finds aliases in text, insensitive to case, accents, apostrophes and hyphens.

    Short all-capital aliases (acronyms such as ``IS``, ``ILS``, ``EI``) only match in capitals,
    so that "is" or "ils" are not read as organisations. ``add(alias, value)`` stores an alias; ``find(text)`` returns the longest, leftmost,
    non-overlapping matches on word boundaries; ``lookup(name)`` returns the value of an exact
    alias or, with ``fuzzy``, of the closest alias (rapidfuzz) above ``score_cutoff``.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]] = ()) -> None:
        self._values: dict[tuple[str, ...], Any] = {}
        self._aliases: dict[tuple[str, ...], str] = {}
        self._acronyms: dict[tuple[str, ...], str] = {}
        self._lengths: dict[str, list[int]] = {}  # first word -> key lengths, longest first
        self._transliterated: dict[str, tuple[str, ...]] | None = None
        self._words: dict[str, tuple[Any] | None] = {}
        for alias, value in entries:
            self.add(alias, value)

    def add(self, alias: str, value: Any) -> None:
        key = fold_key(alias)
        if not key or key in self._values:
            return
        self._values[key] = value
        self._aliases[key] = alias
        self._transliterated = None
        self._words.clear()
        letters = re.sub(r"[\W_]", "", alias)
        if letters.isupper() and len(letters) <= 5:
            self._acronyms[key] = letters
        lengths = self._lengths.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, name: str) -> bool:
        return fold_key(name) in self._values

    def find(self, text: str) -> list[AliasMatch]:
        return list(self.iter_matches(text))

    def iter_matches(self, text: str) -> Iterator[AliasMatch]:
        tokens = folded_tokens(text)
        lengths = self._lengths
        resume = 0  # the token after the last match
        for index in [index for index, token in enumerate(tokens) if token.norm in lengths]:
            if index < resume:
                continue
            for length in lengths[tokens[index].norm]:
                if index + length > len(tokens):
                    continue
                key = tuple(token.norm for token in tokens[index : index + length])
                start, end = tokens[index].start, tokens[index + length - 1].end
                if key in self._values and (
                    key not in self._acronyms or re.sub(r"[\W_]", "", text[start:end]) == self._acronyms[key]
                ):
                    yield AliasMatch(start, end, text[start:end], self._values[key], self._aliases[key])
                    resume = index + length
                    break

    def word(self, word: str) -> tuple[Any] | None:
        """``(value,)`` when ``word`` is an alias, else None; remembered, for words looked up
        again and again (lemmas of every sentence)."""
        if word not in self._words:
            if len(self._words) > 50_000:
                self._words.clear()
            key = fold_key(word)
            self._words[word] = (self._values[key],) if key in self._values else None
        return self._words[word]

    def lookup(self, name: str, *, fuzzy: bool = False, score_cutoff: float = 88.0) -> Any | None:
        """The value of alias ``name``; with ``fuzzy``, of the alias whose transliteration key is
        closest to that of ``name`` (rapidfuzz ratio at least ``score_cutoff``), else None."""
        key = fold_key(name)
        if key in self._values:
            return self._values[key]
        if not fuzzy or not key:
            return None
        from rapidfuzz import fuzz, process

        if self._transliterated is None:
            self._transliterated = {transliteration_key(" ".join(alias_key)): alias_key for alias_key in self._values}
        target = transliteration_key(name)
        if target in self._transliterated:
            return self._values[self._transliterated[target]]
        best = process.extractOne(target, self._transliterated.keys(), scorer=fuzz.ratio, score_cutoff=score_cutoff)
        return self._values[self._transliterated[best[0]]] if best else None


def demonyms() -> AliasMatcher:
    """The country adjectives of ``data/nationalities.tsv`` with their plurals ("ukrainien",
    "ukrainiennes", "Afghan", "Afghans"), each to its ISO 3166-1 alpha-2 code."""
    return _demonyms(core_lexicon("nationalities"))


@lru_cache(maxsize=8)
def _demonyms(nationalities: Lexicon) -> AliasMatcher:
    matcher = AliasMatcher()
    for row in nationalities.rows:
        for column in ("adjective_en", "adjective_fr", "adjective_fr_f", "adjective_fr_pl"):
            form = row.get(column)
            if form:
                matcher.add(form, row["country"])
                if not form.endswith(("s", "x")):
                    matcher.add(form + "s", row["country"])  # "ukrainiennes", "Afghans"
    return matcher
