"""Plugins add, replace and remove rows of every lexicon, the core's included, for the runs of
their plugin manager only."""

import pytest

from toolkit import Document, extract, find_quantities, get_plugin_manager, hookimpl, load_lexicon, parse_count
from toolkit.lexicons import Lexicons, demonyms, transliteration_key
from toolkit.testing import run_extractor


class Entries:
    """A plugin that returns the given rows for each lexicon name."""

    def __init__(self, rows: dict[str, list[dict[str, str]]]) -> None:
        self.rows = rows
        self.asked: list[str] = []

    @hookimpl
    def toolkit_lexicon_entries(self, name):
        self.asked.append(name)
        return self.rows.get(name, [])


def manager_with(rows: dict[str, list[dict[str, str]]]):
    manager = get_plugin_manager()
    manager.register_plugin(Entries(rows), "entries")
    return manager


# -- the rule ----------------------------------------------------------------------------------


def test_a_row_with_the_key_of_a_row_replaces_it_in_its_place():
    rows = load_lexicon("actors", plugin_manager=manager_with({"actors": [{"alias": "daech", "lang": "fr", "canonical": "Islamic State"}]}))
    core = load_lexicon("actors")
    assert len(rows) == len(core)
    position = next(index for index, row in enumerate(core) if row["alias"] == "Daech" and row["lang"] == "fr")
    assert rows[position] == {"canonical": "Islamic State", "alias": "daech", "lang": "fr", "kind": "organization"}


def test_a_replacing_row_drops_the_other_rows_with_its_key():
    rows = [{"alias": "Daech", "canonical": "ISIS"}, {"alias": "EI", "canonical": "ISIS"}, {"alias": "DAECH", "canonical": "ISIS"}]
    manager = manager_with({"testlex": [{"alias": "Daëch", "canonical": "IS"}]})
    assert load_lexicon("testlex", rows=rows, plugin_manager=manager, key=("alias",)) == [
        {"alias": "Daëch", "canonical": "IS"}, {"alias": "EI", "canonical": "ISIS"},
    ]


def test_a_remove_row_takes_out_the_rows_that_have_its_values():
    def modalities(*removed):
        rows = load_lexicon("modality", plugin_manager=manager_with({"modality": [{"action": "remove", **row} for row in removed]}))
        return [row["modality"] for row in rows if row["cue"] == "pourrait"]

    assert modalities() == ["hedge", "irrealis"]
    assert modalities({"cue": "pourrait", "modality": "hedge"}) == ["irrealis"]
    assert modalities({"lang": "fr", "cue": "Pourrait"}) == []


def test_without_a_key_rows_are_added_or_removed():
    rows = [{"alias": "Daech", "canonical": "ISIS"}]
    added = [{"alias": "Daech", "canonical": "IS"}, {"action": "remove", "canonical": "ISIS"}, {"alias": "PMC Wagner", "canonical": "Wagner"}]
    assert load_lexicon("testlex", rows=rows, plugin_manager=manager_with({"testlex": added})) == [
        {"alias": "Daech", "canonical": "IS"}, {"alias": "PMC Wagner", "canonical": "Wagner"},
    ]


@pytest.mark.parametrize("row", [{"action": "delete", "cue": "aurait"}, {"action": "remove"}])
def test_an_action_other_than_removing_named_rows_is_refused(row):
    with pytest.raises(ValueError, match="action"):
        load_lexicon("modality", plugin_manager=manager_with({"modality": [row]}))


# -- the core's lexicons in a run -------------------------------------------------------------


@pytest.mark.parametrize(
    ("extractor", "lang", "text", "rows", "columns", "without", "with_plugin"),
    [
        ("casualties", "en", "A couple of soldiers were killed near Bakhmut.",
         {"quantity_words": [{"lang": "en", "word": "couple", "value": "2", "qualifier": "approx"}]},
         ("count_min", "qualifier"), [], [(2, "approx")]),
        ("casualties", "fr", "Septante soldats ont été tués.",
         {"number_words": [{"action": "remove", "lang": "fr", "word": "septante"}]},
         ("count_min",), [(70,)], []),
        ("casualties", "en", "Supposedly 12 soldiers were killed near Bakhmut.",
         {"modality": [{"lang": "en", "cue": "supposedly", "modality": "hedge"}]},
         ("count_min", "hedged"), [(12, False)], [(12, True)]),
        ("casualties", "en", "12 soldiers were reportedly killed near Bakhmut.",
         {"modality": [{"action": "remove", "lang": "en", "cue": "reportedly"}]},
         ("count_min", "hedged"), [(12, True)], [(12, False)]),
        ("periods", "fr", "Ce matin, cinq soldats ont été tués.",
         {"period_words": [{"lang": "fr", "phrase": "ce matin", "kind": "relative", "value": "day:0"}]},
         ("text", "label"), [], [("Ce matin", "2024-03-10")]),
        ("equipment", "fr", "Les frappes ont détruit 4 caisses de fusils.",
         {"structure_words": [{"lang": "fr", "word": "caisse", "role": "classifier"}]},
         ("count_min", "noun"), [], [(4, "fusils")]),
        ("casualties", "fr", "12 wagnériens ont été tués.",
         {"actors": [{"canonical": "Wagner Group", "alias": "wagnériens", "lang": "fr", "kind": "people"}]},
         ("count_min", "group"), [], [(12, "Wagner Group")]),
        ("casualties", "fr", "30 combattants de Daech ont été tués.",
         {"actors": [{"alias": "Daech", "lang": "fr", "canonical": "Islamic State"}]},
         ("count_min", "group"), [(30, "ISIS")], [(30, "Islamic State")]),
        ("equipment", "fr", "27 chars ont été détruits.",
         {"equipment_terms": [{"lang": "fr", "term": "chars", "category": "armoured_vehicle"}]},
         ("count_min", "category"), [(27, "tank")], [(27, "armoured_vehicle")]),
        ("places", "fr", "Des frappes ont visé At-Tanf.",
         {"gazetteer_supplement": [{"name": "At-Tanf", "country": "SY", "lat": "33.6"}]},
         ("name", "lat", "lon"), [("At-Tanf", 33.5, 38.65)], [("At-Tanf", 33.6, 38.65)]),
    ],
    ids=["quantity word", "number word removed", "hedge added", "hedge removed", "period word", "classifier", "actor alias",
         "actor replaced", "plugin term replaced", "gazetteer entry replaced"],
)
def test_a_plugin_changes_the_core_lexicons_of_its_runs_only(extractor, lang, text, rows, columns, without, with_plugin):
    def read(**options):
        return run_extractor(extractor, text, lang=lang, published="2024-03-10", **options).select(columns).rows()

    assert read() == without
    assert read(plugin_manager=manager_with(rows)) == with_plugin
    assert read() == without, "a run without the plugin is unaffected"


def test_the_war_a_text_names_follows_the_theatres_of_the_run():
    document = Document(doc_id="a", lang="en", text="Ukraine's military says Russia lost 690 soldiers over the past day.", published="2024-03-10")

    def place(**options):
        claims = extract([document], **options).claims
        return claims.select("place", "place_link").rows()

    assert place() == [("Ukraine", "theatre")]
    assert place(plugin_manager=manager_with({"theatres": [{"action": "remove", "country": "UA"}]})) == [(None, None)]


def test_worker_processes_read_the_lexicons_of_the_run():
    rows = {"quantity_words": [{"lang": "en", "word": "couple", "value": "2", "qualifier": "approx"}],
            "modality": [{"lang": "en", "cue": "supposedly", "modality": "hedge"}]}
    documents = [
        Document(doc_id=str(number), lang="en", text=text)
        for number, text in enumerate(["A couple of soldiers were killed near Bakhmut.", "Supposedly 12 soldiers were killed near Bakhmut."] * 3)
    ]
    one = extract(documents, ["casualties"], plugin_manager=manager_with(rows))["casualties"]
    two = extract(documents, ["casualties"], plugin_manager=manager_with(rows), n_process=2)["casualties"]
    assert one.select("count_min", "hedged").rows() == [(2, False), (12, True)] * 3
    assert two.equals(one)


def test_a_run_asks_the_plugins_once_for_each_core_lexicon():
    plugin = Entries({})
    manager = get_plugin_manager()
    manager.register_plugin(plugin, "entries")
    documents = [Document(doc_id=str(number), lang="en", text=f"{number + 2} soldiers were reportedly killed.") for number in range(4)]
    assert extract(documents, ["casualties"], plugin_manager=manager)["casualties"].height == 4
    assert plugin.asked.count("modality") == 1 and plugin.asked.count("number_words") == 1


def test_the_number_parser_and_its_lexicons_outside_a_run():
    manager = manager_with({
        "qualifiers": [{"lang": "en", "phrase": "a minimum of", "qualifier": "at_least", "position": "before"}],
        "units": [{"lang": "*", "phrase": "dunams", "kind": "area", "position": "after"}],
    })
    assert parse_count("a minimum of 12", "en").qualifier == "exact"
    with Lexicons(manager).in_use():
        assert parse_count("a minimum of 12", "en").qualifier == "at_least"
        assert find_quantities("Settlers seized 300 dunams.", "en")[0].kind == "area"
    assert find_quantities("Settlers seized 300 dunams.", "en")[0].kind == "count"


def test_demonyms_and_transliteration_follow_the_lexicons_in_use():
    kosovo = {"country": "XK", "name_en": "Kosovo", "adjective_en": "Kosovar", "adjective_fr": "kosovar", "adjective_fr_f": "kosovare",
              "adjective_fr_pl": "kosovars", "attributive_en": "Kosovar", "name_fr": "Kosovo"}
    manager = manager_with({"nationalities": [kosovo], "transliteration": [{"from": "x", "to": "ks"}]})
    assert not demonyms().find("des soldats kosovars")
    assert transliteration_key("Maxim") != transliteration_key("Maksim")
    with Lexicons(manager).in_use():
        assert [match.value for match in demonyms().find("des soldats kosovars")] == ["XK"]
        assert transliteration_key("Maxim") == transliteration_key("Maksim")


def test_the_readme_lists_the_keys_of_the_core_lexicons():
    import re

    from conftest import ROOT
    from toolkit.lexicons import LEXICON_KEYS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| key | lexicons |") :].split("\n\n")[0]
    listed = {
        name: tuple(key.split(", "))
        for key, names in re.findall(r"^\| ([a-z, ]+) \| (.+) \|$", table, flags=re.MULTILINE)
        for name in re.findall(r"`(\w+)`", names)
    }
    assert {name: listed.get(name) for name in LEXICON_KEYS} == LEXICON_KEYS
