"""Bad input and hostile conditions: each case reproduced a lost document, a traceback or a wrong
row before its fix, and must keep every document with a status or a clear message now."""

import os
import sqlite3
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import SEEDS
from toolkit import Document, extract, extract_to, load_corpus
from toolkit.cache import CACHE_FILE, ParseCache, text_hash
from toolkit.output import LOCK, PARTS, RunLockedError

TOOLKIT = str(Path(sys.executable).parent / "toolkit")
ARTICLE = "Trois soldats ont été tués près de Gao, a indiqué l'armée malienne."


def test_a_lone_surrogate_costs_neither_its_document_nor_the_others(tmp_path):
    corpus = tmp_path / "surrogates.jsonl"
    corpus.write_text(
        '{"doc_id": "a\\udc00", "lang": "fr", "text": "Trois soldats \\ud800 ont été tués."}\n'
        '{"doc_id": "b", "lang": "fr", "text": "Cinq soldats ont été tués."}\n',
        encoding="utf-8",
    )
    results = extract(load_corpus(corpus))
    assert results.documents["status"].to_list() == ["ok", "ok"]
    assert results.documents["doc_id"].to_list() == ["a\ufffd", "b"]
    assert sorted(results["casualties"]["count_min"].to_list()) == [3, 5]


def test_a_line_nested_too_deeply_is_skipped_alone(tmp_path):
    corpus = tmp_path / "nested.jsonl"
    corpus.write_text(f'{{"text": "{ARTICLE}"}}\n' + "[" * 100_000 + "]" * 100_000 + f'\n{{"text": "{ARTICLE}"}}\n', encoding="utf-8")
    statuses = [document.status for document in load_corpus(corpus)]
    assert statuses == ["ok", "skipped: invalid JSON on line 2 (nested too deeply)", "ok"]


def test_a_publication_date_given_as_text_is_read():
    results = extract([Document(doc_id="d", text=ARTICLE, lang="fr", published="2018-03-10")])
    assert str(results.documents["published"][0]) == "2018-03-10"


@pytest.mark.slow
@pytest.mark.parametrize(("option", "message"), [("--out", "the output folder"), ("--cache", "the parse cache")])
def test_a_folder_option_given_a_file_says_so(tmp_path, option, message):
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    out = a_file if option == "--out" else tmp_path / "out"
    args = [TOOLKIT, "extract", str(SEEDS / "000_5a197989765e439e.txt"), "--out", str(out), "--quiet"]
    if option == "--cache":
        args += ["--cache", str(a_file)]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 2 and f"{message} {a_file} is a file, not a folder" in done.stderr
    assert "Traceback" not in done.stderr


# -- the parse cache checks what it returns ----------------------------------------------------


def _stored(cache: ParseCache) -> list[tuple[str, str]]:
    return sqlite3.connect(cache.directory / CACHE_FILE).execute("SELECT pipeline, text_hash FROM parses").fetchall()


def test_a_parse_stored_under_another_texts_key_is_not_used(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    other = "Cinq chars ont été détruits près de Bakhmout."
    extract([Document(doc_id="other", text=other, lang="fr")], ["casualties"], cache=cache)
    [(pipeline, key)] = _stored(cache)
    connection = sqlite3.connect(cache.directory / CACHE_FILE)
    connection.execute("UPDATE parses SET text_hash = ? WHERE text_hash = ?", (text_hash(ARTICLE), key))
    connection.commit()
    results = extract([Document(doc_id="d", text=ARTICLE, lang="fr")], ["casualties"], cache=ParseCache(tmp_path / "cache"))
    assert results["casualties"]["text"].to_list() == ["Trois soldats ont été tués"]


def test_a_damaged_entry_is_parsed_again(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    first = extract([Document(doc_id="d", text=ARTICLE, lang="fr")], ["casualties"], cache=cache)
    connection = sqlite3.connect(cache.directory / CACHE_FILE)
    connection.execute("UPDATE parses SET doc = ?", (zlib.compress(b"not a parse"),))
    connection.commit()
    again = extract([Document(doc_id="d", text=ARTICLE, lang="fr")], ["casualties"], cache=ParseCache(tmp_path / "cache"))
    assert_frame_equal(first["casualties"], again["casualties"])


def test_a_damaged_cache_file_is_set_aside(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(b"garbage, not an SQLite database" * 100)
    with pytest.warns(UserWarning, match="damaged"):
        results = extract([Document(doc_id="d", text=ARTICLE, lang="fr")], ["casualties"], cache=ParseCache(folder))
    assert results["casualties"].height == 1
    assert (folder / f"{CACHE_FILE}.damaged").is_file()


# -- the output folder: one run at a time, finished or resumable ---------------------------------


def test_a_folder_another_live_run_writes_is_refused_then_taken_over_once_it_is_gone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK).write_text(str(holder.pid), encoding="utf-8")
        with pytest.raises(RunLockedError, match=f"process {holder.pid}"):
            extract_to([Document(doc_id="d", text=ARTICLE, lang="fr")], out, ["casualties"], progress=False)
    finally:
        holder.kill()
        holder.wait()
    extract_to([Document(doc_id="d", text=ARTICLE, lang="fr")], out, ["casualties"], progress=False)  # a stale lock
    assert pl.read_parquet(out / "casualties.parquet").height == 1
    assert not (out / LOCK).exists(), "a finished run releases the folder"


@pytest.mark.slow
def test_parts_left_by_a_clean_up_cut_short_never_empty_the_next_run(tmp_path):
    out = tmp_path / "out"
    extract_to(load_corpus(SEEDS), out, ["casualties"], progress=False, part_size=2)
    before = pl.read_parquet(out / "casualties.parquet")
    # a kill during the removal of the parts: the run record and the casualty parts are gone, the
    # documents parts are still there (they once made every document count as done: 0 rows)
    leftover = out / PARTS / "documents"
    leftover.mkdir(parents=True)
    pl.read_parquet(out / "documents.parquet").write_parquet(leftover / "part-000000.parquet")
    extract_to(load_corpus(SEEDS), out, ["casualties"], progress=False, part_size=2)
    assert_frame_equal(pl.read_parquet(out / "casualties.parquet").sort("doc_id", "start"), before.sort("doc_id", "start"))
    assert not (out / PARTS).exists()


def test_a_finished_run_releases_its_lock_and_a_process_takes_over_its_own(tmp_path):
    out = tmp_path / "out"
    extract_to([Document(doc_id="d", text=ARTICLE, lang="fr")], out, ["casualties"], progress=False)
    assert not (out / LOCK).exists()
    (out / LOCK).write_text(str(os.getpid()), encoding="utf-8")  # this process's own lock is its own
    extract_to([Document(doc_id="d", text=ARTICLE, lang="fr")], out, ["casualties"], progress=False)


# -- a worker that dies ----------------------------------------------------------------------

FRAGILE_RUN = """
import os, signal
import polars as pl
import toolkit
from toolkit import Document, Extractor, table_schema

def fragile(doc, document):
    if "POISON" in document.text:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel kills a process out of memory
    return [{"start": 0, "end": 5, "text": document.text[:5]}]

probe = Extractor(name="fragile", version=1, languages={"fr"}, schema=table_schema({}), extract=fragile, needs=set())
documents = [Document(doc_id=f"d{i:02d}", text=("POISON " if i == 40 else "") + "Trois soldats ont été tués.", lang="fr")
             for i in range(48)]
if __name__ == "__main__":
    results = toolkit.extract(documents, [probe], n_process=2)
    failed = results.documents.filter(pl.col("status") != "ok")
    print(results.documents.height, results["fragile"].height, failed.height, sorted(set(failed["status"])))
"""


@pytest.mark.slow
def test_a_dead_worker_is_detected_its_batch_retried_then_marked(tmp_path):
    script = tmp_path / "fragile.py"
    script.write_text(FRAGILE_RUN, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=600)  # it once waited for ever
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
    assert process.returncode == 0, err
    documents, rows, failed, statuses = out.split(maxsplit=3)
    # batches of 32: the second batch (d32..d47) holds the poison; it dies twice, its 16 documents
    # are kept with an error status, the 32 others give their rows
    assert (documents, rows, failed) == ("48", "32", "16")
    assert "worker process died twice" in statuses


@pytest.mark.parametrize("utf8_lines", [5, 1])
def test_one_line_in_another_encoding_costs_nothing(tmp_path, utf8_lines):
    corpus = tmp_path / "mixed.jsonl"
    lines = [f'{{"doc_id": "u{i}", "lang": "fr", "text": "Trois soldats ont été tués à Gao."}}\n'.encode() for i in range(utf8_lines)]
    lines.append('{"doc_id": "w", "lang": "fr", "text": "Deux soldats ont été blessés près de Mopti."}\n'.encode("cp1252"))
    corpus.write_bytes(b"".join(lines))
    documents = load_corpus(corpus)
    assert [(d.doc_id, d.status, d.encoding) for d in documents][-2:] == [(f"u{utf8_lines - 1}", "ok", "utf-8"), ("w", "ok", "cp1252")]
    assert all("été" in d.text for d in documents)


def test_a_legacy_line_after_the_first_megabyte_is_decoded_as_itself(tmp_path, monkeypatch):
    from toolkit import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "SAMPLE_BYTES", 200)  # the sample ends long before the odd line
    path = tmp_path / "long.jsonl"
    utf8 = "".join(f'{{"doc_id": "u{i}", "text": "Trois soldats ont été tués."}}\n' for i in range(20)).encode("utf-8")
    path.write_bytes(utf8 + '{"doc_id": "w", "text": "Deux soldats ont été blessés."}\n'.encode("latin-1"))
    last = load_corpus(path)[-1]
    assert (last.doc_id, last.encoding, last.text) == ("w", "cp1252", "Deux soldats ont été blessés.")


# -- smaller defects ------------------------------------------------------------------------------


def test_a_csv_field_longer_than_the_csv_modules_default_limit(tmp_path):
    long_text = "Trois soldats ont été tués. " + "Le front est calme. " * 10_000  # 200,000 characters
    path = tmp_path / "long.csv"
    path.write_text(f'doc_id,text\nlong,"{long_text}"\nshort,"Cinq soldats ont été tués."\n', encoding="utf-8")
    assert [(d.doc_id, d.status) for d in load_corpus(path)] == [("long", "ok"), ("short", "ok")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path, codec):
    (tmp_path / "article.txt").write_bytes(ARTICLE.encode(codec))
    [document] = load_corpus(tmp_path)
    assert (document.status, document.encoding, document.text) == ("ok", codec, ARTICLE)


@pytest.mark.slow
@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_part_size_must_be_positive(tmp_path, value):
    done = subprocess.run([TOOLKIT, "extract", str(SEEDS), "--out", str(tmp_path / "o"), "--part-size", value],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "is not a positive number" in done.stderr


def _span_faker(doc, document):
    document.doc_id = "renamed"  # a plugin that changes the document it is given
    return [{"start": 0, "end": 5, "text": "wrong"}, {"start": 10, "end": 2, "text": ""}]


def test_rows_whose_spans_do_not_hold_their_text_are_a_plugin_fault():
    from toolkit import Extractor, table_schema
    from toolkit.plugins import PluginFault

    faker = Extractor(name="faker", version=1, languages={"fr"}, schema=table_schema({}), extract=_span_faker, needs=set())
    results = extract([Document(doc_id="d", text=ARTICLE, lang="fr")], [faker])
    assert results["faker"].height == 0
    assert results.errors.select("doc_id", "extractor").rows() == [("d", "faker.v1")]
    assert "does not hold its text" in results.errors["message"][0]
    assert results.documents["doc_id"].to_list() == ["d"], "the plugin's change stays its own"
    with pytest.raises(PluginFault, match=r"faker.v1 .* on document 'd'"):
        extract([Document(doc_id="d", text=ARTICLE, lang="fr")], [faker], strict=True)


def test_reading_an_unfinished_run_says_so(tmp_path):
    from toolkit import Results

    out = tmp_path / "out"
    extract_to([Document(doc_id="d", text=ARTICLE, lang="fr")], out, ["casualties"], progress=False)
    (out / PARTS).mkdir()
    (out / PARTS / "run.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="unfinished run"):
        Results.read(out)


def test_a_resume_on_other_articles_is_refused(tmp_path):
    from toolkit.output import InterruptedRunError

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text("Cinq soldats ont été tués.", encoding="utf-8")
    out = tmp_path / "out"
    (out / PARTS).mkdir(parents=True)
    (out / PARTS / "run.json").write_text(
        '{"extractors": ["casualties.v2"], "corpus": ["' + str(first.resolve()) + '"]}', encoding="utf-8")
    with pytest.raises(InterruptedRunError, match="other settings"):
        extract_to(second, out, ["casualties"], resume=True, progress=False)


def test_what_a_folder_holds_beyond_its_articles_gets_a_row(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / ".notes.txt").write_text(ARTICLE, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "linked").symlink_to(elsewhere, target_is_directory=True)
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)  # a link back up the tree
    os.mkfifo(corpus / "pipe.txt")
    statuses = {document.doc_id: document.status for document in load_corpus(corpus)}
    assert statuses == {
        "a": "ok",
        ".notes.txt": "skipped: hidden file (its name starts with a dot)",
        "b": "ok",  # through the linked folder
        "pipe.txt": "skipped: not a regular file",
    }


def test_a_fifo_given_as_the_corpus_is_never_opened(tmp_path):
    fifo = tmp_path / "articles.jsonl"
    os.mkfifo(fifo)
    [document] = load_corpus(fifo)  # reading it would wait for a writer for ever
    assert document.status == "skipped: not a regular file"


# -- text normalisation: decomposed accents and invisible characters ---------------------------

NORMALISATION_ARTICLE = (
    "Cinq chars ont été détruits près de Palmyre, a indiqué le ministère russe de la Défense. "
    "Deux soldats ont été tués à Gao."
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: unicodedata.normalize("NFD", text), id="decomposed accents"),
        pytest.param(lambda text: text.replace("chars", "ch\u200bars").replace("tués", "tu\u200dés").replace("soldats", "sol\u00addats"),
                     id="zero-width and soft hyphens"),
    ],
)
def test_an_article_reads_the_same_whatever_its_unicode_form_and_evidence_stays_in_the_original(variant):
    plain = extract([Document(doc_id="d", text=NORMALISATION_ARTICLE, lang="fr")])
    text = variant(NORMALISATION_ARTICLE)
    odd = extract([Document(doc_id="d", text=text, lang="fr")])
    for name in ("casualties", "equipment", "places", "attributions"):
        columns = [column for column in plain[name].columns if column not in ("start", "end", "text") and not column.endswith(("_start", "_end"))]
        assert_frame_equal(odd[name].select(columns), plain[name].select(columns))
        assert all(text[start:end] == words for start, end, words in odd[name].select("start", "end", "text").iter_rows())
    assert odd.claims.select("count_min", "claimant", "place").rows() == plain.claims.select("count_min", "claimant", "place").rows()


def test_normalised_offsets_lead_back_to_the_original():
    from toolkit.normalise import normalised

    original = "de\u0301ja\u0300 \u200bvu"  # "déjà vu" decomposed, with a zero-width space
    reading = normalised(original)
    assert reading.text == "déjà vu"
    start, end = reading.text.index("vu"), len(reading.text)
    assert original[reading.starts[start] : reading.ends[end]] == "vu"
    assert original[reading.starts[0] : reading.ends[4]] == "de\u0301ja\u0300"
    assert not normalised("déjà vu").changed


# -- kill -9 at each stage of a run written to disk --------------------------------------------

KILLED_RUN = """
import os, shutil, signal, sys
import polars as pl
import toolkit.output as output
from toolkit.cli import main

stage, corpus, out = sys.argv[1:4]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if stage == "parts":  # after the second part is on disk
    write_part, written = output.write_part, []
    def killing_write_part(*args, **kwargs):
        write_part(*args, **kwargs)
        written.append(1)
        if len(written) == 2:
            die()
    output.write_part = killing_write_part
elif stage == "merge":  # after two tables are merged, before the others
    sink, merged = pl.LazyFrame.sink_parquet, []
    def killing_sink(self, *args, **kwargs):
        sink(self, *args, **kwargs)
        merged.append(1)
        if len(merged) == 2:
            die()
    pl.LazyFrame.sink_parquet = killing_sink
elif stage == "clean-up":  # half the finished parts deleted
    def killing_rmtree(path, *args, **kwargs):
        if os.path.basename(path) == output.FINISHED_PARTS and os.path.isdir(path):
            for folder in sorted(os.listdir(path))[:2]:
                shutil.rmtree(os.path.join(path, folder))
            die()
        return shutil.rmtree(path, *args, **kwargs)
    output.shutil = type(shutil)("shutil")
    output.shutil.__dict__.update(shutil.__dict__)
    output.shutil.rmtree = killing_rmtree

main(["extract", corpus, "--out", out, "--part-size", "2", "--quiet"])
"""


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "out"
    subprocess.run([TOOLKIT, "extract", str(SEEDS), "--out", str(out), "--part-size", "2", "--quiet"], check=True, capture_output=True)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "then"), [("parts", "--resume"), ("merge", "--resume"), ("clean-up", None)])
def test_a_run_killed_at_any_stage_ends_with_the_same_tables(tmp_path, reference_run, stage, then):
    script, out = tmp_path / "killed.py", tmp_path / "out"
    script.write_text(KILLED_RUN, encoding="utf-8")
    killed = subprocess.run([sys.executable, str(script), stage, str(SEEDS), str(out)], capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    if then is None:  # killed after the run was finished: its results are whole
        finished = out
    else:
        refused = subprocess.run([TOOLKIT, "extract", str(SEEDS), "--out", str(out), "--part-size", "2", "--quiet"], capture_output=True, text=True)
        assert refused.returncode == 2 and "--resume" in refused.stderr  # never a silent fresh start over the parts
        subprocess.run([TOOLKIT, "extract", str(SEEDS), "--out", str(out), "--part-size", "2", "--quiet", then], check=True, capture_output=True)
        finished = out
    for name in ("documents", "casualties", "equipment", "places", "attributions", "periods", "claims", "errors"):
        expected = pl.read_parquet(reference_run / f"{name}.parquet")
        got = pl.read_parquet(finished / f"{name}.parquet")
        order = [column for column in ("doc_id", "start", "end") if column in expected.columns]
        assert_frame_equal(got.sort(order), expected.sort(order), check_row_order=False), name
    assert not (finished / PARTS).exists()
    if then is None:  # and the next run over the same folder starts cleanly
        subprocess.run([TOOLKIT, "extract", str(SEEDS), "--out", str(out), "--part-size", "2", "--quiet"], check=True, capture_output=True)
        assert not (out / ".parts-finished").exists()
