"""Running every extractor over a corpus: one spaCy parse per document, one frame per extractor."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.claims import link_claims
from toolkit.corpus import Document, load_corpus
from toolkit.extractor import Extractor, ExtractorContext
from toolkit.nlp import PipelineNotInstalled, load_pipeline, supported_languages
from toolkit.plugins import ToolkitPluginManager, get_plugin_manager
from toolkit.results import Results
from toolkit.schemas import DOCUMENTS, ERRORS, SchemaError, check_frame, empty_frame, frame_from_rows

#: Longest stretch of text parsed at once; longer documents are cut at paragraph boundaries.
SEGMENT_CHARS = 100_000


@dataclass
class _Outcome:
    document: dict[str, Any]
    frames: dict[str, pl.DataFrame]
    errors: list[dict[str, Any]]


class _Run:
    """The extractors of one run and what they need, prepared once per process."""

    def __init__(self, extractors: Sequence[Extractor], plugin_manager: ToolkitPluginManager, strict: bool) -> None:
        self.extractors = list(extractors)
        self.plugin_manager = plugin_manager
        self.strict = strict
        self.setup_errors: list[dict[str, Any]] = []
        context = ExtractorContext(plugin_manager)
        for extractor in list(self.extractors):
            if extractor.setup is None:
                continue
            try:
                extractor.setup(context)
            except Exception as exc:
                if strict:
                    raise
                self.extractors.remove(extractor)
                self.setup_errors.append(_error("", extractor, exc, during="setup"))

    def process(self, document: Document) -> _Outcome:
        frames: dict[str, list[pl.DataFrame]] = {}
        errors: list[dict[str, Any]] = []
        if document.ok:
            wanted = [extractor for extractor in self.extractors if extractor.supports(document.lang)]
            try:
                nlp = load_pipeline(document.lang or "", self.plugin_manager) if wanted else None
            except PipelineNotInstalled as exc:
                document.status = f"skipped: {exc}"
                wanted, nlp = [], None
            if nlp is not None:
                segments = split_segments(document.text, SEGMENT_CHARS)
                for (offset, _end), doc in zip(segments, nlp.pipe(document.text[a:b] for a, b in segments)):
                    for extractor in wanted:
                        try:
                            frame = self._run_one(extractor, doc, document, offset)
                        except Exception as exc:
                            if self.strict:
                                raise
                            errors.append(_error(document.doc_id, extractor, exc))
                            continue
                        frames.setdefault(extractor.name, []).append(frame)
        return _Outcome(
            document.record(),
            {name: pl.concat(parts, how="vertical") for name, parts in frames.items()},
            errors,
        )

    @staticmethod
    def _run_one(extractor: Extractor, doc: Any, document: Document, offset: int) -> pl.DataFrame:
        produced = extractor.extract(doc, document)
        if isinstance(produced, pl.DataFrame):
            if "doc_id" not in produced.columns:
                produced = produced.with_columns(doc_id=pl.lit(document.doc_id, dtype=pl.String))
            frame = check_frame(produced, extractor.schema, owner=f"extractor {extractor.id} (plugin {extractor.plugin})")
        else:
            rows = [{"doc_id": document.doc_id, **row} for row in produced or []]
            try:
                frame = frame_from_rows(rows, extractor.schema)
            except SchemaError as exc:
                raise SchemaError(f"extractor {extractor.id} (plugin {extractor.plugin}) returned rows that break its schema: {exc}") from exc
        frame = frame.with_columns(doc_id=pl.lit(document.doc_id, dtype=pl.String))
        if offset:
            frame = frame.with_columns(pl.col("start") + offset, pl.col("end") + offset)
        return frame


def _error(doc_id: str, extractor: Extractor, exc: BaseException, during: str = "extract") -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "extractor": extractor.id,
        "error": type(exc).__name__,
        "message": f"{during}: {exc}" if during != "extract" else str(exc),
    }


def split_segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into (start, end) stretches of at most ``limit`` characters, at paragraph
    breaks when possible, else at sentence ends, else at spaces."""
    segments = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            ends = [match.end() for match in re.finditer(r"[.!?]\s", window)]
            cut = ends[-1] if ends and ends[-1] >= limit // 2 else window.rfind(" ")
        cut = cut if cut > 0 else limit
        segments.append((start, start + cut))
        start += cut
    segments.append((start, len(text)))
    return segments


def select_extractors(
    plugin_manager: ToolkitPluginManager, names: Iterable[str | Extractor] | None = None
) -> list[Extractor]:
    """The registered extractors, or those named (``casualties`` or ``casualties.v1``); an
    ``Extractor`` object in ``names`` is used as is."""
    available = plugin_manager.extractors()
    if names is None:
        return list(available.values())
    chosen = []
    for name in names:
        if isinstance(name, Extractor):
            chosen.append(name)
            continue
        base = name.split(".v")[0] if re.fullmatch(r".+\.v\d+", name) else name
        if base not in available:
            known = ", ".join(sorted(available)) or "none"
            raise KeyError(f"no extractor named {name!r} (installed: {known})")
        if base != name and available[base].id != name:
            raise KeyError(f"extractor {name!r} is not installed; the installed version is {available[base].id}")
        chosen.append(available[base])
    return chosen


_worker_run: _Run | None = None


def _process_in_worker(documents: list[Document]) -> list[_Outcome]:
    assert _worker_run is not None
    return [_worker_run.process(document) for document in documents]


def _outcomes(run: _Run, documents: Iterable[Document], n_process: int, chunk_size: int = 8) -> Iterator[_Outcome]:
    if n_process <= 1:
        for document in documents:
            yield run.process(document)
        return
    global _worker_run
    _worker_run = run  # inherited by the forked workers
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(n_process) as pool:
            for outcomes in pool.imap(_process_in_worker, _chunks(documents, chunk_size)):
                yield from outcomes
    finally:
        _worker_run = None


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for document in documents:
        chunk.append(document)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract(
    corpus: Iterable[Document] | str | Path | Sequence[str | Path],
    extractors: Iterable[str | Extractor] | None = None,
    *,
    n_process: int = 1,
    strict: bool = False,
    plugin_manager: ToolkitPluginManager | None = None,
    progress: bool = False,
) -> Results:
    """Run extractors over a corpus and return their tables.

    ``corpus`` is a list of ``Document`` (from ``load_corpus``) or paths to load. ``extractors``
    names the extractors to run (default: every registered one). ``n_process`` > 1 parses in
    that many worker processes. ``strict`` re-raises the first plugin error instead of recording
    it in ``results.errors``. ``results.claims`` links the figures of the run to their source,
    outlet, place and period.
    """
    manager = plugin_manager or get_plugin_manager(strict=strict)
    if isinstance(corpus, (str, Path)):
        corpus = [corpus]
    documents = list(corpus)
    if documents and not isinstance(documents[0], Document):
        documents = load_corpus(*documents, languages=supported_languages(manager))
    chosen = select_extractors(manager, extractors)
    run = _Run(chosen, manager, strict)
    outcomes = _outcomes(run, documents, n_process)
    if progress:
        from tqdm.auto import tqdm

        outcomes = tqdm(outcomes, total=len(documents), desc="extracting", unit="doc")
    records, errors = [], list(run.setup_errors)
    parts: dict[str, list[pl.DataFrame]] = {extractor.name: [] for extractor in run.extractors}
    for outcome in outcomes:
        records.append(outcome.document)
        errors.extend(outcome.errors)
        for name, frame in outcome.frames.items():
            parts[name].append(frame)
    tables = {
        extractor.name: pl.concat(parts[extractor.name], how="vertical") if parts[extractor.name] else empty_frame(extractor.schema)
        for extractor in run.extractors
    }
    results = Results(
        documents=frame_from_rows(records, DOCUMENTS),
        errors=frame_from_rows(errors, ERRORS),
        tables=tables,
        extractors={extractor.name: describe(extractor, manager) for extractor in chosen},
    )
    results.claims = link_claims(results)
    return results


def describe(extractor: Extractor, plugin_manager: ToolkitPluginManager) -> dict[str, Any]:
    """Who provides an extractor: id, version, languages, plugin and the package it comes from."""
    info = plugin_manager.infos.get(extractor.plugin)
    return {
        "id": extractor.id,
        "version": extractor.version,
        "languages": sorted(extractor.languages),
        "plugin": extractor.plugin,
        "distribution": info.distribution if info else "",
        "distribution_version": info.version if info else "",
        "builtin": info.builtin if info else False,
        "description": extractor.description,
        "links_as": extractor.links_as,
    }
