import polars as pl

from toolkit import Results, extract, load_corpus
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


def test_split_segments_cover_text():
    text = ("Une phrase. " * 50 + "\n\n") * 30
    segments = split_segments(text, limit=1000)
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(segments, segments[1:]))
    assert all(end - start <= 1000 for start, end in segments)
