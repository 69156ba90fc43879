import polars as pl
import pytest
from polars.testing import assert_frame_equal

from toolkit import Document, Results, extract, load_corpus
from toolkit.runner import split_segments
from toolkit.schemas import DOCUMENTS


def test_results_tables_and_round_trip(manager, tmp_path):
    from conftest import SEEDS

    results = extract(load_corpus(SEEDS), plugin_manager=manager)
    assert results.documents.height == 5 and results.documents.schema == DOCUMENTS
    figures = results["figures"]
    assert figures.height > 20
    for row in figures.iter_rows(named=True):
        text = results.documents.filter(pl.col("doc_id") == row["doc_id"])["text"][0]
        assert text[row["start"] : row["end"]] == row["text"]
    results.write(tmp_path / "out")
    back = Results.read(tmp_path / "out")
    assert back["figures"].equals(figures) and back.documents.equals(results.documents)
    assert back.extractors["figures"]["id"] == "figures.v1"
    assert "figures:" in results.summary()


def test_empty_results_are_typed(manager, tmp_path):
    (tmp_path / "a.txt").write_text("Aucun chiffre ici, seulement des mots.", encoding="utf-8")
    results = extract(load_corpus(tmp_path), plugin_manager=manager)
    assert results["figures"].height == 0
    assert results["figures"].schema["count_min"] == pl.Int64


@pytest.mark.slow
def test_two_processes_give_the_same_rows(manager):
    from conftest import SEEDS

    one = extract(SEEDS, plugin_manager=manager)
    two = extract(SEEDS, plugin_manager=manager, n_process=2)
    assert one["figures"].equals(two["figures"])


def test_long_document_is_parsed_in_segments_with_exact_offsets(manager, tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.runner.SEGMENT_CHARS", 2000)
    paragraph = "Selon l'armée, 12 soldats ont été tués. " * 10 + "\n\n"
    (tmp_path / "long.txt").write_text(paragraph * 20, encoding="utf-8")
    results = extract(load_corpus(tmp_path), plugin_manager=manager)
    figures = results["figures"]
    assert figures.height == 200
    text = results.documents["text"][0]
    assert all(text[s:e] == "12" for s, e in figures.select("start", "end").rows())


@pytest.mark.slow
def test_a_long_document_cut_into_segments_and_parsed_in_runs_gives_the_same_rows(monkeypatch):
    """Every offset column (``claim_start``, ``cue_end``...) is shifted, not only start and end."""
    paragraph = "Le ministère russe de la Défense a indiqué que 14 chars avaient été détruits près de Palmyre.\n\n"
    documents = [Document(doc_id="d", text=paragraph * 60, lang="fr")]
    whole = extract(documents, ["attributions", "equipment"])
    monkeypatch.setattr("toolkit.runner.SEGMENT_CHARS", 1000)
    monkeypatch.setattr("toolkit.runner.PARSE_CHARS", 2500)
    cut = extract(documents, ["attributions", "equipment"])
    assert whole["attributions"].height == 60
    for name in ("attributions", "equipment"):
        assert_frame_equal(cut[name], whole[name])


def test_split_segments_cover_text():
    text = ("Une phrase. " * 50 + "\n\n") * 30
    segments = split_segments(text, limit=1000)
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(segments, segments[1:]))
    assert all(end - start <= 1000 for start, end in segments)


def test_plugin_managers_share_pipelines_unless_a_plugin_configures_them():
    from spacy.language import Language

    from toolkit import Extractor, get_plugin_manager, hookimpl, table_schema
    from toolkit.nlp import load_pipeline

    if "toolkit_test_marker" not in Language.factories:

        @Language.component("toolkit_test_marker")
        def marker(doc):
            doc.user_data["marked"] = True
            return doc

    class Marking:
        def __init__(self) -> None:
            self.calls = 0

        @hookimpl
        def toolkit_configure_pipeline(self, nlp, lang):
            self.calls += 1
            nlp.add_pipe("toolkit_test_marker")

    plain = load_pipeline("en", get_plugin_manager())
    assert load_pipeline("en", get_plugin_manager()) is plain
    marking = Marking()
    manager = get_plugin_manager()
    manager.register_plugin(marking, "marking")
    configured = load_pipeline("en", manager)
    assert configured is not plain and "toolkit_test_marker" in configured.pipe_names
    assert "toolkit_test_marker" not in plain.pipe_names
    assert load_pipeline("en", manager) is configured and marking.calls == 1

    probe = Extractor(
        name="marked", version=1, languages={"en"}, schema=table_schema({"marked": pl.Boolean()}), needs=set(),
        extract=lambda doc, document: [{"start": 0, "end": 1, "text": doc.text[:1], "marked": doc.user_data.get("marked", False)}],
    )
    document = Document(doc_id="a", lang="en", text="Five soldiers were killed.")
    assert extract([document], [probe], plugin_manager=manager)["marked"]["marked"].to_list() == [True]


def _summed_by_sentence(doc, document) -> pl.DataFrame:
    """An extractor that works with polars itself (sorts, groups), in whatever process runs it."""
    sentences = pl.DataFrame({"start": [s.start_char for s in doc.sents], "end": [s.end_char for s in doc.sents]})
    frame = sentences.sort("start", descending=True).group_by("start").agg(pl.col("end").max()).sort("start")
    text = doc.text
    return frame.with_columns(
        text=pl.struct("start", "end").map_elements(lambda span: text[span["start"] : span["end"]], return_dtype=pl.String),
        words=pl.col("end") - pl.col("start"),
    )


@pytest.mark.slow
def test_worker_processes_run_extractors_that_use_polars():
    from conftest import SEEDS
    from toolkit import Extractor, table_schema

    pl.DataFrame({"a": range(100_000)}).sort("a", descending=True).group_by(pl.col("a") % 7).len()  # polars' threads started here
    probe = Extractor(name="sentences", version=1, languages={"fr", "en"}, schema=table_schema({"words": pl.Int64()}),
                      extract=_summed_by_sentence, needs={"sentences"})
    one = extract(SEEDS, [probe])
    two = extract(SEEDS, [probe], n_process=2)
    assert one["sentences"].height > 50
    assert one["sentences"].equals(two["sentences"])


@pytest.mark.slow
def test_a_script_without_a_main_guard_runs_in_several_processes(tmp_path):
    import subprocess
    import sys

    from conftest import SEEDS

    script = tmp_path / "count.py"
    script.write_text(
        "import toolkit\n"
        f"results = toolkit.extract({str(SEEDS)!r}, ['casualties'], n_process=2)\n"
        "print('rows', results['casualties'].height)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["rows", "10"]


@pytest.mark.slow
def test_a_changed_copy_of_an_installed_extractor_keeps_its_changes_in_workers():
    from dataclasses import replace

    from conftest import SEEDS
    from toolkit import get_plugin_manager
    from toolkit.runner import select_extractors

    casualties = select_extractors(get_plugin_manager(), ["casualties"])[0]
    french_only = replace(casualties, languages=frozenset({"fr"}))
    results = extract(SEEDS, [french_only], n_process=2)
    french = results.documents.filter(pl.col("lang") == "fr")["doc_id"]
    assert results["casualties"].height > 0
    assert results["casualties"]["doc_id"].is_in(french.implode()).all()
