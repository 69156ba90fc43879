"""The territory plugin, as installed: through its entry point, on sentences in both languages."""

import pytest

from toolkit import Document, extract, get_plugin_manager

CASES = [
    ("fr", "Les militaires ont opéré plus de 90 sorties depuis le 6 février.", [(90, "sorties", "conducted")]),
    ("fr", "Ils ont réussi à libérer 805 kilomètres carrés de territoire dans la province de Homs.", [(805, "area", "liberated")]),
    ("fr", "L'armée a repris à Daesh un territoire de 22 kilomètres carrés.", [(22, "area", "liberated")]),
    ("fr", "Douze localités ont été reprises et 30 frappes aériennes menées, selon l'état-major.", [(12, "localities", "liberated"), (30, "strikes", "conducted")]),
    ("en", "Government forces took control of 150 square kilometres and seized three villages.", [(150, "area", "captured"), (3, "localities", "captured")]),
    ("en", "The coalition carried out 42 airstrikes on Sunday.", [(42, "strikes", "conducted")]),
    ("en", "Russian forces had lost 2,000 hectares of ground, Kyiv said.", [(20, "area", "lost")]),
    # hard negatives: an area or a count of places that nobody took or lost
    ("fr", "La Syrie couvre 185.180 kilomètres carrés.", []),
    ("en", "The town lies 40 kilometres from the border and has 12 villages around it.", []),
    ("fr", "Le village compte 300 habitants; 5 quartiers ont été reconstruits.", []),
]


@pytest.fixture(scope="module")
def territory():
    documents = [Document(doc_id=str(index), text=text, lang=lang) for index, (lang, text, _) in enumerate(CASES)]
    return extract(documents, ["territory", "attributions"])


def test_registered_as_a_third_party_plugin():
    manager = get_plugin_manager()
    assert "territory" in manager.extractors()
    info = manager.infos["territory"]
    assert info.distribution == "toolkit-territory" and not info.builtin


@pytest.mark.parametrize(("index", "expected"), [(index, expected) for index, (_, _, expected) in enumerate(CASES)])
def test_claims(territory, index, expected):
    rows = territory["territory"].filter(territory["territory"]["doc_id"] == str(index)).sort("start")
    assert list(zip(rows["count_min"], rows["category"], rows["status"])) == expected


def test_areas_are_in_square_kilometres(territory):
    areas = territory["territory"].filter(territory["territory"]["category"] == "area")
    assert set(areas["unit"]) == {"km²"}


def test_rows_join_the_linked_claims(territory):
    claims = territory.claims.filter(territory.claims["table"] == "territory")
    assert claims.height == territory["territory"].height
    said = claims.filter(claims["doc_id"] == "3")
    assert said.height == 2 and said["source_link"].to_list() == ["claim", "claim"]
    assert said["claimant"].null_count() == 0
