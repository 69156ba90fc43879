"""The attribution lexicons (``data/*.tsv`` plus plugins' rows) and the names they resolve to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit import AliasMatcher, ExtractorContext, fold, fold_key, read_tsv

DATA = Path(__file__).parent / "data"
LANGUAGES = ("fr", "en")


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
    resolved_by: str  # lexicon, fuzzy, entity, acronym, anaphora, context, description, line


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
class AttributionLexicons:
    """What one language's attribution reading uses."""

    sources: AliasMatcher
    people: AliasMatcher
    verbs: dict[str, set[str]]  # first lemma -> following lemmas ("" for a one-word verb)
    inverted_only: set[str]  # verbs that report only with their subject after them ("a poursuivi le ministre")
    toll_verbs: set[str]  # verbs that report only with a toll as object ("put the toll at", "a porté le bilan à")
    toll_nouns: set[str]  # the lemmas of those objects ("toll", "bilan")
    prepositions: AliasMatcher
    interviews: AliasMatcher
    lines: AliasMatcher
    furniture: AliasMatcher
    speaker_words: AliasMatcher
    titles: set[tuple[str, ...]]
    outlet_words: AliasMatcher
    countries: AliasMatcher  # country names and demonyms -> a row of nationalities.tsv


def load_lexicons(context: ExtractorContext) -> dict[str, AttributionLexicons]:
    """The lexicons of each language: the plugin's data files plus the rows other plugins add."""
    loaded: dict[str, AttributionLexicons] = {}
    known = context.lexicon("sources", rows=read_tsv(DATA / "sources.tsv"), key=("alias", "lang"))
    nationalities = context.lexicon("nationalities")
    sources = known + institution_rows(known, nationalities)
    cues = context.lexicon("attribution_cues", rows=read_tsv(DATA / "attribution_cues.tsv"), key=("cue", "lang", "type"))
    words = context.lexicon("speaker_words", rows=read_tsv(DATA / "speaker_words.tsv"), key=("phrase", "lang", "role"))
    countries = AliasMatcher()
    for country in nationalities:
        feminine_plural = country["adjective_fr_f"] + ("" if country["adjective_fr_f"].endswith("s") else "s")
        columns = ("name_en", "name_fr", "adjective_en", "adjective_fr", "adjective_fr_f", "adjective_fr_pl")
        for form in (*(country.get(column) for column in columns), feminine_plural):
            if form:
                countries.add(form, country)
    for lang in LANGUAGES:
        here = lambda row, lang=lang: row.get("lang") in (lang, "*")  # noqa: E731
        source_matcher, people = AliasMatcher(), AliasMatcher()
        for row in filter(here, sources):
            source = Source(row["canonical"], row.get("kind") or "organization", row.get("affiliation") or None)
            source_matcher.add(row["alias"], source)
            if source.kind == "person":
                people.add(row["alias"], source)
        verbs: dict[str, set[str]] = {}
        inverted_only: set[str] = set()
        toll_verbs: set[str] = set()
        toll_nouns: set[str] = set()
        matchers = {kind: AliasMatcher() for kind in ("preposition", "interview", "line", "furniture")}
        for row in filter(here, cues):
            if row["type"] == "inverted_verb":
                inverted_only.add(row["cue"])
            if row["type"] == "toll_verb":
                toll_verbs.add(row["cue"])
            elif row["type"] == "toll_noun":
                toll_nouns.add(row["cue"])
            elif row["type"] in ("verb", "inverted_verb"):
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
            word = SpeakerWord(row["role"], row.get("kind") or "any", row.get("head") or "", row.get("national") or "")
            for phrase in _with_contractions(row["phrase"], lang):
                speaker_words.add(phrase, word)
            if row["role"] == "title":
                titles.add(fold_key(row["phrase"]))
        loaded[lang] = AttributionLexicons(
            source_matcher, people, verbs, inverted_only, toll_verbs, toll_nouns,
            matchers["preposition"], matchers["interview"], matchers["line"], matchers["furniture"],
            speaker_words, titles, outlet_words, countries,
        )
    return loaded


def institution_rows(known: list[dict[str, str]], nationalities: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows of the sources lexicon for the national institutions of ``data/institutions.tsv``
    ("ministère turc de la Défense" -> "Turkish Ministry of National Defence"), one set per country
    of ``nationalities``.
    When a row of ``known`` (sources.tsv) gives one of an institution's forms another name ("Israeli
    military" -> "Israel Defense Forces"), every form of that institution takes that name ("Israel's
    military" too)."""
    named = {fold_key(row["alias"]): row["canonical"] for row in known}
    rows, templates = [], read_tsv(DATA / "institutions.tsv")
    for country in nationalities:
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


@lru_cache(maxsize=4096)
def name_key(name: str) -> tuple[str, ...]:
    return fold_key(name)


def _with_contractions(phrase: str, lang: str) -> list[str]:
    """A phrase and its forms after "de" ("le ministère de la Défense" is also "du ministère de la
    Défense", "les rebelles" "des rebelles")."""
    if lang != "fr":
        return [phrase]
    article, _, rest = phrase.partition(" ")
    contracted = {"le": "du", "les": "des"}.get(article.lower())
    return [phrase, f"{contracted} {rest}"] if contracted and rest else [phrase]
