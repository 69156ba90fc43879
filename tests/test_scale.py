"""Running at scale: components by need, parse cache, parts written to disk and resumed, Dask."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import toolkit
from conftest import ROOT, SEEDS
from toolkit import Extractor, Results, extract, extract_to, get_plugin_manager, load_corpus, scan_results, table_schema
from toolkit.cache import ParseCache
from toolkit.cli import main
from toolkit.nlp import ANALYSES, components_for, load_pipeline
from toolkit.output import InterruptedRunError, read_summary
from toolkit.runner import select_extractors

TABLES = ["documents", "casualties", "equipment", "claims", "errors"]


def _generated(tmp_path: Path, n: int) -> Path:
    """``n`` articles recombined from the seeds' and test sets' sentences (benchmarks/corpus.py)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_corpus(tmp_path / f"articles-{n}.jsonl", n, seed=7)


def assert_same_output(left: Path, right: Path, tables: list[str] = TABLES) -> None:
    for name in tables:
        assert_frame_equal(pl.read_parquet(left / f"{name}.parquet"), pl.read_parquet(right / f"{name}.parquet"))


# -- pipeline components by need --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "needs, expected",
    [
        (set(), set()),
        ({"entities"}, {"ner"}),
        ({"sentences"}, {"tok2vec", "toolkit_line_breaks", "parser"}),
        ({"sentences", "tags", "lemmas"}, {"tok2vec", "toolkit_line_breaks", "parser", "attribute_ruler", "lemmatizer"}),
    ],
)
def test_components_follow_the_needs(lang, needs, expected):
    nlp = load_pipeline(lang)
    chosen = set(components_for(nlp, needs))
    tagger = "morphologizer" if lang == "fr" else "tagger"
    assert chosen - {tagger} == expected
    assert (tagger in chosen) == bool(needs & {"tags", "lemmas"})
    assert components_for(nlp, ANALYSES) == nlp.pipe_names


def test_a_component_a_plugin_adds_always_runs():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert components_for(nlp, set()) == ["sentencizer"]


def test_unknown_needs_are_refused():
    with pytest.raises(ValueError, match="needs"):
        Extractor(name="x", version=1, languages={"en"}, schema=table_schema({}), extract=lambda d, doc: [], needs={"syntax"})


def _probe(needs: set[str]) -> Extractor:
    """An extractor that reports which annotations its Doc carries."""

    def look(doc, document):
        return [{"start": 0, "end": 1, "text": doc.text[:1], "entities": doc.has_annotation("ENT_IOB"),
                 "parse": doc.has_annotation("DEP"), "lemmas": doc.has_annotation("LEMMA")}]

    schema = table_schema({"entities": pl.Boolean(), "parse": pl.Boolean(), "lemmas": pl.Boolean()})
    return Extractor(name="probe", version=1, languages={"fr", "en"}, schema=schema, extract=look, needs=needs)


@pytest.mark.slow
@pytest.mark.parametrize(
    "needs, seen",
    [
        (set(), (False, False, False)),
        ({"entities"}, (True, False, False)),
        ({"parse"}, (False, True, False)),
        ({"lemmas"}, (False, False, True)),
    ],
)
def test_only_the_needed_components_run(needs, seen):
    results = extract(load_corpus(SEEDS), [_probe(needs)])
    assert set(results["probe"].select("entities", "parse", "lemmas").iter_rows()) == {seen}


@pytest.mark.slow
def test_fewer_components_give_the_same_rows():
    """casualties and equipment do not read entities: without the NER they find the same rows."""
    manager = toolkit.get_plugin_manager()
    chosen = [manager.extractors()[name] for name in ("casualties", "equipment")]
    assert all("entities" not in extractor.needs for extractor in chosen)
    lean = extract(load_corpus(SEEDS), chosen, plugin_manager=manager)
    full = extract(load_corpus(SEEDS), [replace(e, needs=frozenset(ANALYSES)) for e in chosen], plugin_manager=manager)
    for name in ("casualties", "equipment", "claims"):
        assert_frame_equal(lean[name], full[name])


# -- parse cache ------------------------------------------------------------------------------


@pytest.mark.slow
def test_second_run_reads_every_parse_from_the_cache(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    first = extract(load_corpus(SEEDS), cache=cache)
    assert cache.misses == 5 and cache.hits == 0 and len(cache) == 5
    second = extract(load_corpus(SEEDS), cache=ParseCache(tmp_path / "cache"))
    for name in first.names:
        assert_frame_equal(first[name], second[name])
    again = ParseCache(tmp_path / "cache")
    extract(load_corpus(SEEDS), ["casualties", "equipment"], cache=again)
    assert again.misses == 5, "other components make other parses"
    extract(load_corpus(SEEDS), ["casualties"], cache=again)
    assert again.hits == 5, "same components, same parses"


def test_cached_parses_survive_a_lexicon_edit(tmp_path):
    """A plugin adds a term: the documents are not parsed again and the term is found."""
    cache = ParseCache(tmp_path / "cache")
    document = toolkit.Document("d1", "Selon l'armée, 12 zorglubs ont été détruits près d'Alep.", lang="fr")
    before = extract([document], ["equipment"], cache=cache)
    assert before["equipment"].height == 0

    class Zorglubs:
        @toolkit.hookimpl
        def toolkit_lexicon_entries(self, name):
            return [{"term": "zorglubs", "lang": "fr", "category": "tanks"}] if name == "equipment_terms" else []

    manager = toolkit.get_plugin_manager()
    manager.register_plugin(Zorglubs(), "zorglubs")
    after = extract([document], ["equipment"], cache=cache, plugin_manager=manager)
    assert cache.hits == 1 and cache.misses == 1
    assert after["equipment"]["text"].to_list() == ["12 zorglubs"]


def test_a_run_does_not_grow_the_vocabulary():
    """Words never seen before (names, misspellings, figures) leave the pipeline's strings
    once their documents are done, so that memory stays flat over a long run."""
    made_up = ["Zorvakin", "Quelbrast", "Ixmarode", "Trevunis", "Blorquat", "Vindrelik"]
    documents = [
        toolkit.Document(doc_id=f"d{number}", lang="fr", text=f"Selon {name}, {number + 7} soldats ont été tués près de {name[::-1].title()}.")
        for number, name in enumerate(made_up)
    ]
    extract(documents[:1], ["casualties"])
    strings = load_pipeline("fr").vocab.strings
    before = len(strings)
    results = extract(documents, ["casualties"])
    assert results["casualties"].height == len(documents)
    assert len(strings) == before
    assert "Quelbrast" not in strings


def test_tokens_of_only_the_last_few_whole_articles_are_remembered():
    from toolkit.lexicons import REMEMBERED_TEXT_CHARS, _remembered_article_tokens, _remembered_tokens, folded_tokens

    sentence = "Selon l'armée, 12 soldats ont été tués à Ménaka."
    folded_tokens(sentence)
    held = _remembered_tokens.cache_info().currsize
    for copies in range(10):
        article = " ".join([sentence] * (REMEMBERED_TEXT_CHARS // len(sentence) + 1 + copies))
        tokens = folded_tokens(article)
    assert _remembered_tokens.cache_info().currsize == held
    assert _remembered_article_tokens.cache_info().currsize <= 4
    assert [token.norm for token in tokens[:4]] == ["selon", "l", "armee", "12"]
    assert article[tokens[-1].start : tokens[-1].end] == "Ménaka"


def test_figures_of_only_the_last_few_whole_articles_are_remembered():
    from toolkit.numbers import REMEMBERED_TEXT_CHARS, _remembered_article_quantities, find_quantities

    sentence = "Selon l'armée, 12 soldats ont été tués à Ménaka."
    for copies in range(10):
        article = " ".join([sentence] * (REMEMBERED_TEXT_CHARS // len(sentence) + 1 + copies))
        figures = find_quantities(article, "fr")
        assert find_quantities(article, "fr") == figures
    assert _remembered_article_quantities.cache_info().currsize <= 4
    assert {figure.count_min for figure in figures} == {12}
    assert len(figures) == article.count("12 soldats")


# -- parts written to disk, resumed ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("extractors", "n_process"), [(["casualties", "equipment"], 1), (None, 2)])
def test_extract_to_writes_what_extract_returns(tmp_path, extractors, n_process):
    corpus = _generated(tmp_path, 24)
    in_memory = extract(corpus, extractors)
    out = extract_to(corpus, tmp_path / "out", extractors, part_size=5, n_process=n_process)
    back = Results.read(out)
    for name in in_memory.names:
        assert_frame_equal(in_memory[name], back[name])
    assert not (out / "parts").exists()
    lazy = scan_results(out)
    assert isinstance(lazy["casualties"], pl.LazyFrame)
    assert lazy["documents"].select(pl.len()).collect().item() == 24
    assert "documents: 24 read, 24 processed (12 en, 12 fr)" in read_summary(out)


class _Interrupted(Exception):
    pass


def _stops_after(documents, n):
    for number, document in enumerate(documents):
        if number == n:
            raise _Interrupted
        yield document


@pytest.mark.slow
def test_an_interrupted_run_resumes_without_duplicates_or_losses(tmp_path):
    corpus = _generated(tmp_path, 30)
    whole = extract_to(corpus, tmp_path / "whole", ["casualties", "equipment"], part_size=4)
    out = tmp_path / "out"
    with pytest.raises(_Interrupted):
        extract_to(_stops_after(load_corpus(corpus), 13), out, ["casualties", "equipment"], part_size=4)
    assert len(list((out / "parts" / "documents").glob("*.parquet"))) == 3  # 12 documents written
    (out / "parts" / "casualties" / "part-000007.parquet").write_bytes(b"left by a killed run")
    (out / "parts" / "casualties" / ".part-000003.parquet.123.tmp").write_bytes(b"half written")
    with pytest.raises(InterruptedRunError, match="resume"):
        extract_to(corpus, out, ["casualties", "equipment"], part_size=4)
    with pytest.raises(InterruptedRunError, match="other settings"):
        extract_to(corpus, out, ["casualties"], part_size=4, resume=True)
    extract_to(corpus, out, ["casualties", "equipment"], part_size=4, resume=True)
    documents = pl.read_parquet(out / "documents.parquet")
    assert documents.height == 30 and documents["doc_id"].is_unique().all()
    assert_same_output(whole, out)


@pytest.mark.slow
def test_cli_resume_and_cache(tmp_path, capsys):
    corpus = _generated(tmp_path, 6)
    out, cache = tmp_path / "out", tmp_path / "cache"
    (out / "parts").mkdir(parents=True)
    installed = select_extractors(get_plugin_manager(), ["casualties"])[0].id
    (out / "parts" / "run.json").write_text(json.dumps({"extractors": [installed]}), encoding="utf-8")
    assert main(["extract", str(corpus), "--out", str(out), "--extractor", "casualties", "--quiet"]) == 2
    assert "add --resume" in capsys.readouterr().err
    assert main(["extract", str(corpus), "--out", str(out), "--extractor", "casualties", "--quiet", "--resume",
                 "--cache", str(cache)]) == 0
    assert "documents: 6 read, 6 processed" in capsys.readouterr().out
    assert len(ParseCache(cache)) == 6


# -- Dask ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.mark.dask
@pytest.mark.slow
def test_dask_backend_equals_the_local_backend_row_for_row(cluster, tmp_path):
    from distributed import Client

    corpus = [SEEDS, _generated(tmp_path, 16)]
    local = extract_to(corpus, tmp_path / "local", part_size=5)
    with Client(cluster) as client:
        distributed = extract_to(corpus, tmp_path / "dask", client=client, part_size=5)
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2
    names = ["documents", *json.loads((local / "manifest.json").read_text())["tables"], "claims", "errors"]
    assert len(names) >= 9
    assert_same_output(local, distributed, names)
    assert pl.read_parquet(distributed / "claims.parquet").height > 0


def _prepared_in_worker() -> tuple[int, int]:
    from toolkit.nlp import _pipelines
    from toolkit.runner import _prepared

    return len(_prepared), len(_pipelines)


@pytest.mark.dask
@pytest.mark.slow
def test_dask_workers_prepare_each_run_once(cluster, tmp_path):
    from distributed import Client

    with Client(cluster) as client:
        before = client.run(_prepared_in_worker)
        extract_to(_generated(tmp_path, 12), tmp_path / "out", ["casualties"], client=client, part_size=2)
        after = client.run(_prepared_in_worker)
    # six parts over two workers: each worker prepared the run (and loaded fr and en) once
    new_runs = [after[worker][0] - before[worker][0] for worker in after]
    new_pipelines = [after[worker][1] - before[worker][1] for worker in after]
    assert sum(new_runs) >= 1 and all(count <= 1 for count in new_runs)
    assert all(count <= 2 for count in new_pipelines)


@pytest.mark.dask
@pytest.mark.slow
def test_cli_dask_backend(cluster, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["extract", str(SEEDS), "--out", str(out), "--backend", "dask", "--scheduler", cluster.scheduler_address,
                 "--extractor", "casualties", "--quiet"])
    assert code == 0
    assert "casualties: 10 rows from 4 documents" in capsys.readouterr().out
    assert pl.read_parquet(out / "casualties.parquet").height == 10


@pytest.mark.parametrize("text", ["Selon l'armée,  12 soldats ont été tués.\n\nÀ Ménaka ! ", "  27 tanks destroyed near Deir ez-Zor.  "])
def test_texts_cut_from_the_doc_text_equal_spacys(text):
    import spacy

    from toolkit import doc_text, span_text

    doc = spacy.blank("fr")(text)
    assert doc_text(doc) == doc.text
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert span_text(doc[start:end]) == doc[start:end].text
