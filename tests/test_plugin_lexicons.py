"""Plugins add, replace and remove rows of every lexicon, the core's included, for the runs of
their plugin manager only."""

import pytest

from toolkit import get_plugin_manager, hookimpl, load_lexicon


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
