import json
from datetime import date

import polars as pl
import pytest

from toolkit.corpus import CorpusError, Document, load_corpus

FRENCH = "Le ministère russe de la Défense a annoncé que 27 chars ont été détruits près de Deir ez-Zor.\n"
ENGLISH = "The ministry said more than 200 militants were killed near Deir ez-Zor on Sunday.\n"


def by_id(documents):
    return {document.doc_id: document for document in documents}


def test_text_folder(tmp_path):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH, encoding="utf-8")
    documents = by_id(load_corpus(tmp_path))
    assert {d: (documents[d].lang, documents[d].status) for d in documents} == {"a": ("fr", "ok"), "b": ("en", "ok")}


def test_bad_inputs_each_get_a_status(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "latin1.txt").write_bytes(("Selon l'armée, 12 soldats ont été tués à Deraa. " * 3).encode("latin-1"))
    (tmp_path / "big.txt").write_text(FRENCH * 55_000, encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Bilan</title><script>alert(1)</script></head><body><p>"
        + FRENCH + "</p><div>Deuxième &amp; dernier paragraphe.</div></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "arabic.txt").write_text("قالت وزارة الدفاع إن عشرين مسلحا قتلوا قرب دير الزور يوم الأحد", encoding="utf-8")
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp_path / "notext.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    documents = by_id(load_corpus(tmp_path))
    assert documents["empty"].status == "skipped: empty file"
    assert documents["binary"].status.startswith("skipped: binary")
    assert documents["latin1"].status == "ok" and "tués à Deraa" in documents["latin1"].text
    assert documents["big"].status == "ok" and len(documents["big"].text) > 5_000_000
    page = documents["page"]
    assert page.status == "ok" and page.title == "Bilan" and "<" not in page.text and "alert" not in page.text
    assert "Deuxième & dernier" in page.text
    assert documents["arabic"].lang == "ar" and documents["arabic"].status == "skipped: language 'ar' has no pipeline"
    assert documents["corrupt"].status.startswith("skipped: unreadable parquet")
    assert documents["notext"].status.startswith("skipped: no 'text' column in CSV")
    assert documents["photo"].status == "skipped: unsupported file type '.jpg'"


def test_jsonl_csv_parquet_metadata(tmp_path):
    rows = [
        {"doc_id": "x1", "text": FRENCH, "title": "T", "published": "2017-10-03", "outlet": "Sputnik", "url": "http://e/1"},
        {"text": ENGLISH, "lang": "en-GB"},
        {"doc_id": "x3", "text": None},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    pl.DataFrame(rows[:2]).write_csv(tmp_path / "b.csv")
    pl.DataFrame([{"doc_id": "p1", "text": ENGLISH}]).write_parquet(tmp_path / "c.parquet")
    documents = by_id(load_corpus(tmp_path / "a.jsonl", tmp_path / "b.csv", tmp_path / "c.parquet"))
    first = documents["x1"]
    assert (first.title, first.published, first.published_from, first.outlet, first.url) == (
        "T", date(2017, 10, 3), "metadata", "Sputnik", "http://e/1")
    assert documents["a:2"].lang == "en"
    assert documents["x3"].status == "skipped: no text"
    assert documents["a:4"].status.startswith("skipped: invalid JSON")
    assert documents["x1#2"].status == "ok"  # the CSV repeats doc_id x1
    assert documents["p1"].lang == "en"


def test_published_date_from_text(tmp_path):
    (tmp_path / "a.txt").write_text("ID: 614 Publish Date: 22 August 2017 - 17:57 Count Views: 3626\n" + ENGLISH)
    (document,) = load_corpus(tmp_path)
    assert (document.published, document.published_from) == (date(2017, 8, 22), "text")


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        load_corpus(tmp_path / "nope")


def test_seeds(tmp_path):
    from conftest import SEEDS

    documents = load_corpus(SEEDS)
    assert [d.lang for d in documents] == ["fr", "fr", "fr", "en", "fr"]
    assert all(d.ok for d in documents)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-13", date(2019, 3, 13)),
        ("2019-03-13T08:15:00Z", date(2019, 3, 13)),
        ("2019-03-13 08:15:00+03:00", date(2019, 3, 13)),
        ("22 August 2017 - 17:57", date(2017, 8, 22)),
        ("3 octobre 2017", date(2017, 10, 3)),
        ("2019-13-45", None),
        ("", None),
    ],
)
def test_publication_dates(value, expected):
    from toolkit.corpus import parse_date

    assert parse_date(value) == expected


def test_table_files_are_streamed_and_a_stray_byte_costs_no_document(tmp_path, monkeypatch):
    import toolkit.corpus

    monkeypatch.setattr(toolkit.corpus, "SAMPLE_BYTES", 64)
    monkeypatch.setattr(toolkit.corpus, "PARQUET_ROWS", 2)
    lines = [json.dumps({"doc_id": f"d{i}", "text": FRENCH}, ensure_ascii=False).encode("utf-8") for i in range(5)]
    lines[3] = '{"doc_id": "d3", "text": "Selon l\'armée, 12 soldats ont été tués à Deraa."}'.encode("latin-1")
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    documents = list(load_corpus(tmp_path / "a.jsonl"))
    assert [d.doc_id for d in documents] == ["d0", "d1", "d2", "d3", "d4"]
    assert all(d.status == "ok" for d in documents)
    assert "été tués" in documents[3].text

    rows = [{"doc_id": f"p{i}", "text": ENGLISH} for i in range(5)]
    pl.DataFrame(rows).write_parquet(tmp_path / "b.parquet")
    assert [d.doc_id for d in load_corpus(tmp_path / "b.parquet")] == [f"p{i}" for i in range(5)]


def test_csv_fields_over_several_lines_any_line_end_and_utf16_jsonl(tmp_path):
    pl.DataFrame({"doc_id": ["c1", "c2"], "text": [FRENCH + "\n" + FRENCH, ENGLISH]}).write_csv(tmp_path / "a.csv")
    documents = by_id(load_corpus(tmp_path / "a.csv"))
    assert documents["c1"].text.count("27 chars") == 2 and documents["c2"].lang == "en"

    (tmp_path / "mac.csv").write_text(f'doc_id,text\rm1,"{FRENCH.strip()}"\rm2,"{ENGLISH.strip()}"\r', encoding="utf-8", newline="")
    documents = by_id(load_corpus(tmp_path / "mac.csv"))
    assert documents["m1"].lang == "fr" and documents["m2"].text == ENGLISH.strip()

    (tmp_path / "u.jsonl").write_text(json.dumps({"doc_id": "u1", "text": FRENCH}, ensure_ascii=False) + "\n", encoding="utf-16")
    documents = by_id(load_corpus(tmp_path / "u.jsonl"))
    assert documents["u1"].status == "ok" and "détruits" in documents["u1"].text


def test_doc_ids_are_made_unique_without_losing_a_document(tmp_path):
    rows = [{"doc_id": doc_id, "text": f"{ENGLISH} ({n})"} for n, doc_id in enumerate(["dup", "dup", "dup#2", "dup"])]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    documents = list(load_corpus(tmp_path / "c.jsonl"))
    ids = [document.doc_id for document in documents]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert ids == ["dup", "dup#2", "dup#2#2", "dup#3"]
    assert [document.text[-3:] for document in documents] == ["(0)", "(1)", "(2)", "(3)"]


def test_a_nul_byte_in_one_line_costs_no_document(tmp_path):
    lines = [json.dumps({"doc_id": f"d{i}", "text": ENGLISH}).encode("utf-8") for i in range(4)]
    lines[2] = lines[2].replace(b"The ministry", b"The\x00 ministry")
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines))
    documents = list(load_corpus(tmp_path / "a.jsonl"))
    assert [(d.doc_id, d.status) for d in documents] == [(f"d{i}", "ok") for i in range(4)]
    assert documents[2].text.startswith("The ministry")
    (tmp_path / "b.csv").write_bytes(b"doc_id,text\nc0,The army said\x00 12 soldiers were killed.\nc1,Five militants were killed.\n")
    assert [(d.doc_id, d.status) for d in load_corpus(tmp_path / "b.csv")] == [("c0", "ok"), ("c1", "ok")]


def test_a_document_built_in_python_checks_its_publication_date():
    assert Document(doc_id="a", text=FRENCH, lang="fr", published="2018-03-10").published == date(2018, 3, 10)
    assert Document(doc_id="a", text=FRENCH, lang="fr", published="10 mars 2018").published == date(2018, 3, 10)
    assert Document(doc_id="a", text=FRENCH, lang="fr", published="").published is None
    with pytest.raises(ValueError, match=r"'a': published='soon' is not a date"):
        Document(doc_id="a", text=FRENCH, lang="fr", published="soon")
    with pytest.raises(TypeError, match="published must be a date"):
        Document(doc_id="a", text=FRENCH, lang="fr", published=20180310)


def test_an_unreadable_date_in_a_corpus_costs_only_the_date(tmp_path):
    corpus = tmp_path / "dates.jsonl"
    corpus.write_text(json.dumps({"doc_id": "d", "text": FRENCH, "lang": "fr", "published": "soon"}) + "\n", encoding="utf-8")
    (document,) = load_corpus(corpus)
    assert document.status == "ok" and document.published_from != "metadata"  # read from the text, or none
