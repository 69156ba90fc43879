"""Reading articles from .txt folders and .jsonl, .csv, .parquet files into ``Document`` objects.

Nothing is ever dropped: a file or row that cannot be used becomes a ``Document`` whose ``status``
says why (``skipped: ...``), so it shows in ``documents.parquet``.
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.lexicons import read_tsv

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ""}
TABLE_SUFFIXES = {".jsonl", ".csv", ".parquet"}
METADATA_COLUMNS = ("doc_id", "title", "published", "outlet", "url", "lang")
#: Languages the detector chooses among: the toolkit's own and the ones most frequent in news,
#: so that an article in another language is named, and reported as unsupported, not mistaken.
DETECTABLE_LANGUAGES = (
    "fr en ar de es it pt nl ru uk tr fa ps ur hi bn zh ja ko he pl ro sv da no fi cs sk hu el bg "
    "sr hr sl id ms vi th sw am so ku ka hy az kk uz"
).split()
DEFAULT_MAX_CHARS = 20_000_000


@dataclass
class Document:
    """One article and what is known about it."""

    doc_id: str
    text: str
    lang: str | None = None
    status: str = "ok"
    title: str | None = None
    published: date | None = None
    published_from: str | None = None
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a lone surrogate ("\\ud800" escaped in JSON) is no character: spaCy and parquet refuse it
        for name in ("doc_id", "text", "title", "outlet", "url"):
            value = getattr(self, name)
            if isinstance(value, str) and _LONE_SURROGATE.search(value):
                object.__setattr__(self, name, _without_surrogates(value))
        if any(isinstance(value, str) and _LONE_SURROGATE.search(value) for value in self.meta.values()):
            object.__setattr__(self, "meta", {key: _without_surrogates(value) for key, value in self.meta.items()})
        if isinstance(self.published, datetime):
            object.__setattr__(self, "published", self.published.date())
        elif isinstance(self.published, str):  # Document(published="2018-03-10")
            parsed = parse_date(self.published, self.lang)
            if parsed is None and self.published.strip():
                raise ValueError(
                    f"Document {self.doc_id!r}: published={self.published!r} is not a date; give a date, a datetime "
                    "or a string such as '2018-03-10' or '10 mars 2018'"
                )
            object.__setattr__(self, "published", parsed)
        elif self.published is not None and not isinstance(self.published, date):
            raise TypeError(f"Document {self.doc_id!r}: published must be a date, a datetime or a string, not {type(self.published).__name__}")

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def record(self) -> dict[str, Any]:
        """The row of ``documents.parquet``."""
        return {
            "doc_id": self.doc_id,
            "lang": self.lang,
            "status": self.status,
            "n_chars": len(self.text),
            "title": self.title,
            "published": self.published,
            "published_from": self.published_from,
            "outlet": self.outlet,
            "url": self.url,
            "path": self.path,
            "encoding": self.encoding,
            "text": self.text,
        }


class CorpusError(ValueError):
    """A path given to the loader does not exist."""


def load_corpus(
    *paths: str | Path,
    languages: Iterable[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> list[Document]:
    """Read every article under ``paths`` (folders, or .txt, .jsonl, .csv, .parquet files).

    ``languages`` are the languages that can be processed (default: those with a known spaCy
    pipeline); a document in another language is kept with a ``skipped`` status.
    """
    return list(iter_corpus(*paths, languages=languages, max_chars=max_chars))


def iter_corpus(
    *paths: str | Path,
    languages: Iterable[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Document]:
    """Like ``load_corpus``, one document at a time; doc_ids are made unique with a ``#n`` suffix.
    A path that does not exist raises ``CorpusError`` at once, before any document is read."""
    if languages is None:
        from toolkit.nlp import supported_languages

        languages = supported_languages()
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise CorpusError(f"no such file or folder: {', '.join(missing)}")
    return _iter_documents([Path(path) for path in paths], frozenset(languages), max_chars)


def _iter_documents(paths: list[Path], accepted: frozenset[str], max_chars: int) -> Iterator[Document]:
    assigned: set[str] = set()
    next_suffix: dict[str, int] = {}
    for path in paths:
        for document in _read_path(path):
            document = _finish(document, accepted, max_chars)
            doc_id = document.doc_id
            if doc_id in assigned:
                # the first free "#n": "dup", "dup", "dup#2" become "dup", "dup#2", "dup#2#2"
                suffix = next_suffix.get(doc_id, 2)
                while f"{doc_id}#{suffix}" in assigned:
                    suffix += 1
                next_suffix[doc_id] = suffix + 1
                document = replace(document, doc_id=f"{doc_id}#{suffix}")
            assigned.add(document.doc_id)
            yield document


def _read_path(path: Path) -> Iterator[Document]:
    if path.is_dir():
        yield from _read_folder(path, set())
    elif not path.is_file():  # a FIFO, a socket, a device: never opened (reading a FIFO waits for ever)
        yield _skipped(path.name, path, "skipped: not a regular file")
    else:
        yield from _read_file(path)


def _read_folder(folder: Path, seen: set[Path]) -> Iterator[Document]:
    """Every file below ``folder``, linked folders followed once; what is not read (hidden files
    and folders, FIFOs and other special files) still gets a row with its status."""
    real = folder.resolve()
    if real in seen:
        return  # a link back up the tree
    seen.add(real)
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            kind = "folder" if child.is_dir() else "file"
            yield _skipped(child.name, child, f"skipped: hidden {kind} (its name starts with a dot)")
        elif child.is_dir():
            yield from _read_folder(child, seen)
        elif child.is_file():
            yield from _read_file(child)
        else:
            yield _skipped(child.name, child, "skipped: not a regular file")


def _read_file(path: Path) -> Iterator[Document]:
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            yield _text_document(path)
        elif suffix == ".jsonl":
            yield from _jsonl_documents(path)
        elif suffix == ".csv":
            yield from _csv_documents(path)
        elif suffix == ".parquet":
            yield from _parquet_documents(path)
        else:
            yield _skipped(path.stem, path, f"skipped: unsupported file type {suffix!r}")
    except OSError as exc:
        yield _skipped(path.stem, path, f"skipped: cannot read file ({exc.strerror or exc})")


def _skipped(doc_id: str, path: Path, status: str) -> Document:
    return Document(doc_id=doc_id, text="", status=status, path=str(path))


def _text_document(path: Path) -> Document:
    text, encoding, problem = decode_bytes(path.read_bytes())
    if problem:
        return replace(_skipped(path.stem, path, problem), encoding=encoding)
    return Document(doc_id=path.stem, text=text, path=str(path), encoding=encoding)


#: How much of a table file is read to tell its encoding (or that it is binary) before it is
#: read line by line.
SAMPLE_BYTES = 1_000_000
#: Rows of a parquet file read at a time.
PARQUET_ROWS = 1_000


def _table_encoding(path: Path) -> tuple[str | None, str | None]:
    """(encoding, problem) of a JSONL or CSV file, told from its first ``SAMPLE_BYTES`` cut at a
    line end, so that the file itself is then streamed."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        if len(sample) == SAMPLE_BYTES and b"\n" in sample and handle.read(1):
            sample = sample[: sample.rfind(b"\n") + 1]
    if sample.count(b"\x00") <= max(1, len(sample) // 100):  # a stray NUL byte makes a line odd, not the file binary
        sample = sample.replace(b"\x00", b"")
    if _mostly_utf8(sample):
        return "utf-8", None  # a line in another encoding gets its own (_decoded_line)
    _text, encoding, problem = decode_bytes(sample)
    return encoding, problem


def _mostly_utf8(sample: bytes) -> bool:
    """Whether most lines with bytes beyond ASCII are UTF-8 (one pasted in cp1252 does not make
    the file cp1252)."""
    beyond_ascii = [line for line in sample.splitlines() if not line.isascii()]
    if not beyond_ascii or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    valid = 0
    for line in beyond_ascii:
        try:
            line.decode("utf-8")
            valid += 1
        except UnicodeDecodeError:
            pass
    return valid * 2 >= len(beyond_ascii)  # a valid UTF-8 line beyond ASCII is rarely chance


def _decoded_line(raw: bytes, encoding: str) -> tuple[str, str]:
    """A line of a table file and its encoding: the file's, else cp1252 (the usual legacy encoding
    of French and English text), else a guess."""
    for codec in dict.fromkeys((encoding, "cp1252")):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            pass
    text, guessed, _problem = decode_bytes(raw)
    return (text, guessed) if guessed else (raw.decode(encoding, errors="replace"), encoding)


def _jsonl_lines(path: Path, encoding: str) -> Iterator[tuple[str, str]]:
    """The lines of a JSONL file with their encoding, read one at a time; a line that the file's
    encoding cannot decode gets its own, so that a stray byte costs no document."""
    if encoding.startswith("utf-16"):  # its line ends are two bytes: the codec must split them
        with path.open(encoding=encoding, errors="replace", newline="") as handle:
            for line in handle:
                yield line, encoding
        return
    with path.open("rb") as handle:
        for raw in handle:
            yield _decoded_line(raw.replace(b"\x00", b""), encoding)  # a raw NUL byte means nothing in a text


def _jsonl_documents(path: Path) -> Iterator[Document]:
    encoding, problem = _table_encoding(path)
    if problem or encoding is None:
        yield _skipped(path.stem, path, problem or "skipped: undecodable file")
        return
    for number, (line, line_encoding) in enumerate(_jsonl_lines(path, encoding), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _skipped(f"{path.stem}:{number}", path, f"skipped: invalid JSON on line {number} ({exc.msg})")
            continue
        except RecursionError:
            yield _skipped(f"{path.stem}:{number}", path, f"skipped: invalid JSON on line {number} (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield _skipped(f"{path.stem}:{number}", path, f"skipped: line {number} is not a JSON object")
            continue
        yield _record_document(record, path, f"{path.stem}:{number}", line_encoding)


def _csv_documents(path: Path) -> Iterator[Document]:
    encoding, problem = _table_encoding(path)
    if problem or encoding is None:
        yield _skipped(path.stem, path, problem or "skipped: undecodable file")
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article is one field, however long (the size limit applies later)
    # text mode, so that csv splits records at any line end ("\r" alone included)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        try:
            reader = csv.DictReader(line.replace("\x00", "") for line in handle)
            columns = reader.fieldnames or []
            if "text" not in columns:
                yield _skipped(path.stem, path, f"skipped: no 'text' column in CSV (columns: {', '.join(columns) or 'none'})")
                return
            for number, record in enumerate(reader, start=1):
                yield _record_document(record, path, f"{path.stem}:{number}", encoding)
        except csv.Error as exc:
            yield _skipped(path.stem, path, f"skipped: malformed CSV ({exc})")


def _parquet_documents(path: Path) -> Iterator[Document]:
    try:
        columns = pl.read_parquet_schema(path)
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    except Exception as exc:  # polars raises several kinds for damaged files
        yield _skipped(path.stem, path, f"skipped: unreadable parquet file ({type(exc).__name__})")
        return
    if "text" not in columns:
        yield _skipped(path.stem, path, f"skipped: no 'text' column in parquet (columns: {', '.join(columns)})")
        return
    for offset in range(0, rows, PARQUET_ROWS):
        try:
            chunk = pl.scan_parquet(path).slice(offset, PARQUET_ROWS).collect()
        except Exception as exc:
            for number in range(offset + 1, min(offset + PARQUET_ROWS, rows) + 1):
                yield _skipped(f"{path.stem}:{number}", path, f"skipped: unreadable parquet rows ({type(exc).__name__})")
            continue
        for number, record in enumerate(chunk.iter_rows(named=True), start=offset + 1):
            yield _record_document(record, path, f"{path.stem}:{number}", "parquet")


def _record_document(record: dict[str, Any], path: Path, fallback_id: str, encoding: str | None) -> Document:
    doc_id = str(record.get("doc_id") or "").strip() or fallback_id
    text = record.get("text")
    metadata = {key: record.get(key) for key in METADATA_COLUMNS[1:] if record.get(key) not in (None, "")}
    extra = {key: value for key, value in record.items() if key not in METADATA_COLUMNS and key != "text"}
    if not isinstance(text, str):
        status = "skipped: no text" if text is None else f"skipped: text is {type(text).__name__}, not a string"
        return Document(doc_id=doc_id, text="", status=status, path=str(path), meta=extra)
    published = parse_date(metadata.get("published"), metadata.get("lang"))
    return Document(
        doc_id=doc_id,
        text=text,
        lang=_normalise_lang(metadata.get("lang")),
        title=_clean(metadata.get("title")),
        published=published,
        published_from="metadata" if published else None,
        outlet=_clean(metadata.get("outlet")),
        url=_clean(metadata.get("url")),
        path=str(path),
        encoding=encoding,
        meta=extra,
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """A string with its lone surrogates ("\\ud800" escaped in JSON, never a character) replaced by
    U+FFFD, one for one, so that offsets stay those of the text."""
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _clean(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _normalise_lang(value: Any) -> str | None:
    if not value:
        return None
    return str(value).strip().lower().replace("_", "-").split("-")[0] or None


# -- decoding ----------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str | None, str | None]:
    """Decode file content: (text, encoding, problem). ``problem`` is a ``skipped: ...`` status or None."""
    if not data.strip():
        return "", None, "skipped: empty file"
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, None
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:65536]:
        codec = _bomless_utf16(data)
        if codec is not None:
            return data.decode(codec, errors="replace"), codec, None
        return "", None, "skipped: binary file (NUL bytes)"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        return "", None, "skipped: binary or undecodable file"
    text = data.decode(best.encoding, errors="replace")
    if _control_ratio(text) > 0.01:
        return "", best.encoding, "skipped: binary file (control characters)"
    return text, best.encoding, None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: Latin text then has a NUL byte in every other position
    (odd ones in little-endian, even ones in big-endian)."""
    sample = data[:65536]
    sample = sample[: len(sample) // 2 * 2]  # whole code units
    if len(sample) < 4:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    for codec, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls > 0.6 * half and other < 0.05 * half:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _control_ratio(text) <= 0.01:
                return codec
    return None


def _control_ratio(text: str) -> float:
    sample = text[:100_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\n\r\t\f")
    return controls / max(len(sample), 1)


# -- finishing: markup, language, dates --------------------------------------------------------

_MARKUP = re.compile(r"<!doctype html|<(?:html|body|p|div|br|span|article|section|h[1-6])\b[^>]*>", re.IGNORECASE)


def _finish(document: Document, accepted: frozenset[str], max_chars: int) -> Document:
    if not document.ok:
        return document
    text = document.text.replace("\r\n", "\n").replace("\r", "\n")
    title = document.title
    if len(_MARKUP.findall(text[:200_000])) >= 2:
        text, html_title = html_to_text(text)
        title = title or html_title
    document = replace(document, text=text, title=title)
    if len(text) > max_chars:
        return replace(document, status=f"skipped: too large ({len(text):,} characters, limit {max_chars:,})")
    if not any(char.isalpha() for char in text):
        return replace(document, status="skipped: no text" if not text.strip() else "skipped: no words in text")
    if _control_ratio(text) > 0.01:
        return replace(document, status="skipped: binary content")
    lang = document.lang or detect_language(text)
    document = replace(document, lang=lang)
    if lang not in accepted:
        document = replace(document, status=f"skipped: language {lang!r} has no pipeline")
    if document.published is None:
        found = find_published_date(text, lang)
        if found:
            document = replace(document, published=found, published_from="text")
    return document


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section",
              "header", "footer", "blockquote", "title", "table", "ul", "ol", "figcaption"}
    HIDDEN = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.hidden = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML page (one paragraph per block) and its <title>."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text, title


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(DETECTABLE_LANGUAGES)
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, chosen among ``DETECTABLE_LANGUAGES``."""
    lang, _probability = _language_identifier().classify(text[:20_000])
    return str(lang)


_DATE_SHAPES = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:er)?\s+[^\W\d_]{3,9}\.?,?\s+\d{4}"
    r"|[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
)


@lru_cache(maxsize=1)
def _date_label_pattern() -> re.Pattern[str]:
    labels = sorted((row["label"] for row in read_tsv(Path(__file__).parent / "data" / "date_labels.tsv")), key=len, reverse=True)
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in labels)
    return re.compile(rf"(?:^|(?<=\s))(?:{alternatives})[ \t]*:?[ \t]*(?P<date>[^\n]{{6,40}})", re.IGNORECASE | re.MULTILINE)


def find_published_date(text: str, lang: str | None = None) -> date | None:
    """The date after a label such as ``Publish Date: 22 August 2017 - 17:57``, if any."""
    for match in _date_label_pattern().finditer(text):
        shape = _DATE_SHAPES.search(match.group("date"))
        found = parse_date(shape.group(), lang) if shape and shape.start() < 3 else None
        if found:
            return found
    return None


def parse_date(value: Any, lang: str | None = None) -> date | None:
    """A date from metadata or text (ISO, ``22 August 2017 - 17:57``, ``3 octobre 2017``...)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:  # ISO 8601, the usual metadata, needs no language
        return datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        pass
    import dateparser

    text = re.split(r"\s+[-|–]\s+\d{1,2}[:h]\d{2}", str(value).strip())[0]
    languages = [lang] if lang in ("fr", "en") else ["fr", "en"]
    try:
        settings = {"STRICT_PARSING": False, "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None
