"""A third-party figure table through the platform: the displacement fixture package declares
its key column (``movement``) and is linked, filtered, charted and scored without the core
naming it; plugins and examples use only the public API."""

import ast
import dataclasses
import json
import sys

import polars as pl
import pytest

import toolkit
from conftest import ROOT
from toolkit import Document, Extractor, evaluate, extract, table_schema
from toolkit.charts import dashboard
from toolkit.explore import Explorer
from toolkit.plugins import get_plugin_manager

FIXTURE = ROOT / "tests" / "fixtures" / "toolkit-displacement"
TEXTS = {
    "aleppo_fr": ("fr", "À Alep, 2 000 civils ont été évacués, selon l'ONU. À Alep, 2 000 civils sont rentrés, selon l'ONU."),
    "izium_en": ("en", "Some 5,000 civilians were evacuated from Bakhmut, officials said. About 300 residents returned to Izium, officials said."),
}


@pytest.fixture(scope="module")
def displacement():
    sys.path.insert(0, str(FIXTURE))
    try:
        import toolkit_displacement

        yield toolkit_displacement
    finally:
        sys.path.remove(str(FIXTURE))


def _manager(displacement, *, keys=None):
    manager = get_plugin_manager()
    if keys is None:
        assert manager.register_plugin(displacement, "displacement")
    else:  # the same extractor declaring other keys
        class Variant:
            @toolkit.hookimpl
            def toolkit_register_extractors(self):
                return [dataclasses.replace(extractor, keys=keys) for extractor in displacement.toolkit_register_extractors()]

        assert manager.register_plugin(Variant(), "displacement_variant")
    return manager


def _run(manager):
    documents = [Document(doc_id=doc_id, lang=lang, text=text) for doc_id, (lang, text) in TEXTS.items()]
    return extract(documents, ["displacement", "attributions", "places", "periods"], plugin_manager=manager)


@pytest.fixture(scope="module")
def results(displacement):
    return _run(_manager(displacement))


def test_the_same_figure_with_two_movements_stays_two_claims(results, displacement):
    aleppo = results.claims.filter(pl.col("doc_id") == "aleppo_fr")
    assert sorted(aleppo["movement"].to_list()) == ["evacuated", "returned"]
    assert set(aleppo["count_min"].to_list()) == {2000} and set(aleppo["place"].to_list()) == {"Aleppo"}
    merged = _run(_manager(displacement, keys=()))  # without its key column, the two mentions are one claim
    assert merged.claims.filter(pl.col("doc_id") == "aleppo_fr").height == 1


def test_claims_carry_the_declared_key_column(results):
    assert results.claims.schema["movement"] == pl.String()
    assert results.extractors["displacement"]["keys"] == ["movement"]
    assert results.claims.filter(pl.col("doc_id") == "izium_en")["movement"].to_list() == ["evacuated", "returned"]


def test_the_explorer_filters_and_charts_the_plugin_table(results):
    explorer = Explorer(results)
    assert set(explorer.filters["movement"].options) == {"evacuated", "returned"}
    explorer.filters["movement"].value = ("returned",)
    assert set(explorer.filtered("claims")["movement"].to_list()) == {"returned"}
    spec = json.dumps(dashboard(results.claims, results["places"], keys={"displacement": ("movement",)}).to_dict())
    assert "displacement: figures claimed, by claimant" in spec and "movement" in spec


def test_toolkit_evaluate_scores_the_plugin_table_from_its_gold(results):
    gold = {
        "aleppo_fr": {"doc_id": "aleppo_fr", "displacement": [
            {"count_min": 2000, "movement": "evacuated", "claimant": "United Nations",
             "place": {"name": "Aleppo", "kind": "locality", "country": "SY", "lat": 36.2, "lon": 37.16}, "period": None},
            {"count_min": 2000, "movement": "returned"},
            {"count_min": 2000, "movement": "fled"},
        ]},
    }
    evaluation = evaluate(gold, results)
    row = evaluation.scores.filter(pl.col("table") == "displacement").row(0, named=True)
    assert (row["tp"], row["fp"], row["fn"]) == (2, 0, 1)
    claims = evaluation.claims.filter(pl.col("table") == "displacement").row(0, named=True)
    assert (claims["claims"], claims["found"], claims["whole"]) == (1, 1.0, 1.0)


def test_keys_are_columns_of_a_figure_table():
    schema = table_schema({"count_min": pl.Int64(), "count_max": pl.Int64(), "movement": pl.String()})
    with pytest.raises(ValueError, match="not columns of its schema"):
        Extractor(name="moves", version=1, languages={"fr"}, schema=schema, extract=lambda doc, document: [], links_as="figure", keys=("kind",))
    with pytest.raises(ValueError, match="only a figure table"):
        Extractor(name="moves", version=1, languages={"fr"}, schema=schema, extract=lambda doc, document: [], keys=("movement",))


def _imports(path):
    """(module, names) of every import from the toolkit package in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "toolkit":
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names if alias.name.split(".")[0] == "toolkit")


@pytest.mark.parametrize("folder", ["plugins", "examples", "tests/fixtures"])
def test_plugins_and_examples_import_only_public_names(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        for module, names in _imports(path):
            assert module in ("toolkit", "toolkit.testing"), f"{path.relative_to(ROOT)} imports {module}"
            if module == "toolkit":
                assert set(names) <= set(toolkit.__all__), f"{path.relative_to(ROOT)} imports {sorted(set(names) - set(toolkit.__all__))}"


def test_toolkit_testing_runs_one_plugin_extractor_on_sentences(displacement):
    from toolkit.testing import parse, run_extractor

    extractor = displacement.toolkit_register_extractors()[0]
    table = run_extractor(extractor, ["2 000 civils ont été évacués d'Alep.", "Le convoi est arrivé."], lang="fr")
    assert table.select("doc_id", "count_min", "movement").rows() == [("0", 2000, "evacuated")]
    doc = parse("300 residents returned to Izium.", "en")
    assert [token.dep_ for token in doc][:2] == ["nummod", "nsubj"] and doc.has_annotation("ENT_IOB")
