"""Running every extractor over a corpus: one spaCy parse per document (batched by language, only
the components the extractors need, from the parse cache when given), one frame per extractor."""

from __future__ import annotations

import collections
import contextlib
import copy
import itertools
import multiprocessing
import re
import sys
import types
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.cache import ParseCache, pipeline_version, text_hash
from toolkit.claims import claims_schema, link_claims
from toolkit.corpus import Document, iter_corpus
from toolkit.events import with_claim_keys
from toolkit.extractor import Extractor, ExtractorContext
from toolkit.lexicons import Lexicons
from toolkit.nlp import PipelineNotInstalled, components_for, declared_needs, load_pipeline, supported_languages
from toolkit.normalise import Normalised, normalised
from toolkit.output import OutputWriter
from toolkit.plugins import PLUGIN_FAULTS, PluginFault, ToolkitPluginManager, get_plugin_manager
from toolkit.results import Results
from toolkit.schemas import DOCUMENTS, ERRORS, SchemaError, check_frame, empty_frame, frame_from_rows

#: Longest stretch of text parsed at once; longer documents are cut at paragraph boundaries.
SEGMENT_CHARS = 50_000
#: Characters parsed and held at once: a batch, or a long document, is parsed and read in runs of
#: segments of about this size, so that memory does not grow with a document's length.
PARSE_CHARS = 150_000
#: Documents parsed together by spaCy (and sent to a worker process at once).
BATCH_SIZE = 32
#: Batches waiting for or in a worker process, per process.
BATCHES_IN_FLIGHT_PER_PROCESS = 3
#: Documents per part of a run written to disk by ``extract_to``.
PART_SIZE = 500


@dataclass
class _Outcome:
    document: dict[str, Any]
    frames: dict[str, pl.DataFrame]
    errors: list[dict[str, Any]]


class _Run:
    """The extractors of one run and what they need, prepared once per process. The core's
    lexicons carry the rows of the run's plugins while extractors are set up and run and claims
    linked."""

    def __init__(
        self,
        extractors: Sequence[Extractor],
        plugin_manager: ToolkitPluginManager,
        strict: bool,
        cache: ParseCache | None = None,
        described: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.extractors = list(extractors)
        self.plugin_manager = plugin_manager
        #: who made each table (``describe``), as given or from ``plugin_manager``
        self.described = described or {extractor.name: describe(extractor, plugin_manager) for extractor in self.extractors}
        self.strict = strict
        self.cache = cache
        self.setup_errors: list[dict[str, Any]] = []
        self._components: dict[str, list[str]] = {}
        self.lexicons = Lexicons(plugin_manager)
        context = ExtractorContext(plugin_manager)
        with self.lexicons.in_use():
            for extractor in list(self.extractors):
                if extractor.setup is None:
                    continue
                try:
                    extractor.setup(context)
                except PLUGIN_FAULTS as exc:
                    if strict:
                        raise
                    self.extractors.remove(extractor)
                    self.setup_errors.append(_error("", extractor, exc, during="setup"))

    def wanted(self, lang: str | None) -> list[Extractor]:
        return [extractor for extractor in self.extractors if extractor.supports(lang)]

    def components(self, lang: str, nlp: Any) -> list[str]:
        """The pipeline components that the extractors of ``lang`` need."""
        if lang not in self._components:
            needs = set().union(*(extractor.needs for extractor in self.wanted(lang)))
            self._components[lang] = components_for(nlp, needs)
        return self._components[lang]

    def process_batch(self, documents: Sequence[Document]) -> list[_Outcome]:
        """Parse the documents of each language together (spaCy batches them) and run the
        extractors over each; outcomes come in the order of ``documents``."""
        by_lang: dict[str, list[Document]] = {}
        for document in documents:
            if document.ok and self.wanted(document.lang):
                by_lang.setdefault(document.lang or "", []).append(document)
        outcomes: dict[int, _Outcome] = {}
        for lang, group in by_lang.items():
            try:
                nlp = load_pipeline(lang, self.plugin_manager)
            except PipelineNotInstalled as exc:
                for document in group:
                    document.status = f"skipped: {exc}"
                continue
            readings = {id(document): normalised(document.text) for document in group}
            parts: dict[int, list[_Outcome]] = {}
            pieces = [(document, start, end) for document in group for start, end in split_segments(readings[id(document)].text)]
            for chunk in _chunks_of_text(pieces, PARSE_CHARS):
                # the words first seen in these segments leave the pipeline's vocabulary afterwards,
                # so that a long run does not grow it; no Doc outlives the block, so that memory
                # stays bounded however long a document is
                with nlp.memory_zone():
                    docs = self._parse(nlp, self.components(lang, nlp), [readings[id(document)].text[start:end] for document, start, end in chunk])
                    segments: dict[int, list[tuple[int, Any]]] = {}
                    for (document, start, _end), doc in zip(chunk, docs):
                        segments.setdefault(id(document), []).append((start, doc))
                    for document in {id(document): document for document, _, _ in chunk}.values():
                        parts.setdefault(id(document), []).append(self._extract(document, readings[id(document)], segments[id(document)]))
            outcomes.update((key, _joined(outcomes_of_document)) for key, outcomes_of_document in parts.items())
        return [outcomes.get(id(document)) or _Outcome(document.record(), {}, []) for document in documents]

    def tables(self, documents: Sequence[Document]) -> Results:
        """The tables of ``documents``, their claims linked."""
        with self.lexicons.in_use():
            return _assemble(self.process_batch(documents), self)

    def _parse(self, nlp: Any, components: list[str], texts: list[str]) -> list[Any]:
        disable = [name for name in nlp.pipe_names if name not in components]
        if self.cache is None:
            return list(nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE))
        version = pipeline_version(nlp, components)
        hashes = [text_hash(text) for text in texts]
        found = self.cache.get_many(version, dict(zip(hashes, texts)), nlp)
        missing = {key: text for key, text in zip(hashes, texts) if key not in found}
        parsed = dict(zip(missing, nlp.pipe(missing.values(), disable=disable, batch_size=BATCH_SIZE)))
        if parsed:
            self.cache.put_many(version, parsed)
        return [found[key] if key in found else parsed[key] for key in hashes]

    def _extract(self, document: Document, reading: Normalised, segments: list[tuple[int, Any]]) -> _Outcome:
        """The extractors' rows for the parsed segments of ``document``: they read the normalised
        text, their offsets point into the original."""
        frames: dict[str, list[pl.DataFrame]] = {}
        errors: list[dict[str, Any]] = []
        for offset, doc in segments:
            for extractor in self.wanted(document.lang):
                try:
                    frame = self._run_one(extractor, doc, document, reading.text, offset)
                    frame = reading.to_original(frame, document.text, offset_columns(frame))
                except PLUGIN_FAULTS as exc:
                    if self.strict:
                        raise PluginFault(
                            f"extractor {extractor.id} (plugin {extractor.plugin}) failed on document {document.doc_id!r}: "
                            f"{type(exc).__name__}: {exc}"
                        ) from exc
                    errors.append(_error(document.doc_id, extractor, exc))
                    continue
                frames.setdefault(extractor.name, []).append(frame)
        return _Outcome(
            document.record(),
            {name: pl.concat(parts, how="vertical") for name, parts in frames.items()},
            errors,
        )

    @staticmethod
    def _run_one(extractor: Extractor, doc: Any, document: Document, text: str, offset: int) -> pl.DataFrame:
        """The rows of one extractor on one parsed segment, offsets into ``text``."""
        with declared_needs(extractor.needs):
            produced = extractor.extract(doc, _private_copy(document, text))
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
            frame = frame.with_columns(pl.col(name) + offset for name in offset_columns(frame))
        _check_spans(frame, text, f"extractor {extractor.id} (plugin {extractor.plugin})")
        return frame


def offset_columns(frame: pl.DataFrame) -> list[str]:
    """The columns that hold character offsets: ``start``, ``end`` and every integer column
    named ``*_start`` or ``*_end`` (``claim_start``, ``cue_end``...)."""
    return [
        name for name, dtype in frame.schema.items()
        if name in ("start", "end") or (dtype.is_integer() and name.endswith(("_start", "_end")))
    ]


def _private_copy(document: Document, text: str) -> Document:
    """A copy of ``document`` with the text the extractors read, that an extractor may change
    without changing the document others see (not checked again: it was checked when made)."""
    copied = copy.copy(document)
    copied.text = text
    copied.meta = dict(document.meta)
    return copied


def _check_spans(frame: pl.DataFrame, text: str, owner: str) -> None:
    """Every row's evidence must lie in the text and be its own words: a plugin's row whose span
    is outside the text, reversed, or whose ``text`` is not ``text[start:end]`` is a fault."""
    for start, end, words in frame.select("start", "end", "text").iter_rows():
        if start is None or end is None or not 0 <= start <= end <= len(text) or text[start:end] != words:
            raise SchemaError(f"{owner} returned a row whose span {start}..{end} does not hold its text {words!r}")


def _error(doc_id: str, extractor: Extractor, exc: BaseException, during: str = "extract") -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "extractor": extractor.id,
        "error": type(exc).__name__,
        "message": f"{during}: {exc}" if during != "extract" else str(exc),
    }


def _chunks_of_text(pieces: list[tuple[Document, int, int]], limit: int) -> Iterator[list[tuple[Document, int, int]]]:
    """Consecutive runs of segments of about ``limit`` characters in all (at least one segment)."""
    chunk: list[tuple[Document, int, int]] = []
    size = 0
    for piece in pieces:
        if chunk and size + piece[2] - piece[1] > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(piece)
        size += piece[2] - piece[1]
    if chunk:
        yield chunk


def _joined(outcomes: list[_Outcome]) -> _Outcome:
    """The outcome of a document from those of the runs of segments it was parsed in."""
    if len(outcomes) == 1:
        return outcomes[0]
    names = dict.fromkeys(name for outcome in outcomes for name in outcome.frames)
    frames = {name: pl.concat([outcome.frames[name] for outcome in outcomes if name in outcome.frames], how="vertical") for name in names}
    return _Outcome(outcomes[-1].document, frames, [error for outcome in outcomes for error in outcome.errors])


def split_segments(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Cut ``text`` into (start, end) stretches of at most ``limit`` characters (default
    ``SEGMENT_CHARS``), at paragraph breaks when possible, else at sentence ends, else at spaces."""
    limit = limit or SEGMENT_CHARS
    segments = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n") + 1  # after the line break: a paragraph keeps its own whitespace
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


@dataclass
class RunSpec:
    """What another process needs to rebuild a run: the plugin manager (which travels as the
    recipe that rebuilds it), the extractors (installed ones by id, loaded there from the
    plugins; others, defined in a notebook say, as objects) and ``key``, which names the run so
    that a process prepares it once."""

    key: str
    plugin_manager: ToolkitPluginManager
    extractors: list[tuple[str, dict[str, Any]] | Extractor]
    strict: bool
    cache_dir: str | None
    described: dict[str, dict[str, Any]]

    @classmethod
    def of(
        cls,
        extractors: Sequence[Extractor],
        plugin_manager: ToolkitPluginManager,
        *,
        strict: bool,
        cache: ParseCache | None,
        described: dict[str, dict[str, Any]],
    ) -> "RunSpec":
        installed = plugin_manager.extractors()
        return cls(
            key=uuid.uuid4().hex,
            plugin_manager=plugin_manager,
            extractors=[_travelling(extractor, installed.get(extractor.name)) for extractor in extractors],
            strict=strict,
            cache_dir=str(Path(cache.directory).resolve()) if cache is not None else None,
            described=described,
        )


#: Fields in which a copy of an installed extractor (``dataclasses.replace``) may differ from it
#: and still travel by id.
_ADJUSTABLE = ("languages", "schema", "description", "links_as", "needs", "keys")


def _travelling(extractor: Extractor, installed: Extractor | None) -> tuple[str, dict[str, Any]] | Extractor:
    """An installed extractor as its id and what was changed of it; any other as itself."""

    def function(method: Any) -> Any:
        """The code behind a function, a bound method or a callable object (its class)."""
        if method is None or isinstance(method, types.FunctionType):
            return method
        return getattr(method, "__func__", None) or type(method)

    if (
        installed is None
        or (installed.id, installed.plugin) != (extractor.id, extractor.plugin)
        or function(installed.extract) is not function(extractor.extract)
        or function(installed.setup) is not function(extractor.setup)
    ):
        return extractor
    changes = {name: getattr(extractor, name) for name in _ADJUSTABLE if getattr(extractor, name) != getattr(installed, name)}
    return extractor.id, changes


_prepared: dict[str, _Run] = {}


def prepared_run(spec: RunSpec) -> _Run:
    """The run of ``spec`` in this process, prepared once: plugins, extractors and their setup
    (pipelines are loaded when first needed)."""
    if spec.key not in _prepared:
        _limit_threads()
        chosen = [
            replace(select_extractors(spec.plugin_manager, [item[0]])[0], **item[1]) if isinstance(item, tuple) else item
            for item in spec.extractors
        ]
        cache = ParseCache(spec.cache_dir) if spec.cache_dir else None
        _prepared[spec.key] = _Run(chosen, spec.plugin_manager, spec.strict, cache, spec.described)
    return _prepared[spec.key]


def _limit_threads() -> None:
    """One BLAS thread per process: the parallelism is across processes."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


_worker_run: _Run | str | None = None


def _start_worker(payload: bytes) -> None:
    global _worker_run
    import cloudpickle

    try:
        _worker_run = prepared_run(cloudpickle.loads(payload))
    except Exception as exc:  # told with the first batch: a failing initializer would restart forever
        _worker_run = f"{type(exc).__name__}: {exc}"


def _tables_in_worker(job: tuple[bool, list[Document]]) -> tuple[bool, Results]:
    if not isinstance(_worker_run, _Run):
        raise RuntimeError(f"a worker process could not prepare the run: {_worker_run}")
    ends_part, documents = job
    return ends_part, _worker_run.tables(documents)


def _batch_tables(
    run: _Run, documents: Iterable[Document], n_process: int, *, part_size: int | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[bool, Results]]:
    """The tables of each batch of ``documents``, in order, each told whether it ends a part of
    ``part_size`` documents; extraction and linking run in ``n_process`` processes."""
    jobs = _batches(documents, part_size, batch_size)
    if n_process <= 1:
        for ends_part, batch in jobs:
            yield ends_part, run.tables(batch)
        return
    import cloudpickle

    # workers are started afresh ("spawn"), not forked: a forked child of a process that already
    # ran polars' thread pool can hang in polars
    spec = RunSpec.of(run.extractors, run.plugin_manager, strict=run.strict, cache=run.cache, described=run.described)
    payload = cloudpickle.dumps(spec)
    yield from _pooled(run, jobs, n_process, payload)


def _new_pool(n_process: int, payload: bytes) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(payload,))


def _submit(pool: ProcessPoolExecutor, job: tuple[bool, list[Document]]) -> Future:
    with _main_module_hidden():  # a submit may start a worker process
        return pool.submit(_tables_in_worker, job)


def _pooled(run: _Run, jobs: Iterator[tuple[bool, list[Document]]], n_process: int, payload: bytes) -> Iterator[tuple[bool, Results]]:
    """The jobs run in worker processes, their tables in order. Only a few batches per worker are
    in flight, so that the corpus is never all in memory. A worker that dies (killed, out of
    memory, a crash in compiled code) breaks the pool at once: the batches in flight are then run
    again one at a time in a fresh worker, and a batch whose worker dies again gives its documents
    an error status; the run goes on."""
    pool = _new_pool(n_process, payload)
    pending: collections.deque[tuple[tuple[bool, list[Document]], Future]] = collections.deque()
    try:
        while True:
            while len(pending) < n_process * BATCHES_IN_FLIGHT_PER_PROCESS:
                job = next(jobs, None)
                if job is None:
                    break
                pending.append((job, _submit(pool, job)))
            if not pending:
                return
            job, future = pending.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            pool.shutdown(wait=False, cancel_futures=True)
            for retried in [job, *(job for job, _ in pending)]:
                yield _alone(run, retried, payload)
            pending.clear()
            pool = _new_pool(n_process, payload)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _alone(run: _Run, job: tuple[bool, list[Document]], payload: bytes) -> tuple[bool, Results]:
    """A batch run again in a fresh worker of its own; if that worker dies too, its documents
    are kept with an error status."""
    with _new_pool(1, payload) as pool:
        try:
            return _submit(pool, job).result()
        except BrokenProcessPool:
            pass
    ends_part, documents = job
    status = "error: its worker process died twice (killed, out of memory or crashed)"
    outcomes = [_Outcome({**document.record(), "status": status}, {}, []) for document in documents]
    return ends_part, _assemble(outcomes, run)


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start processes without running the caller's script again in them. A spawned process
    imports the ``__main__`` of its parent, so a script that calls ``extract`` outside an
    ``if __name__ == "__main__":`` block would start the run over in each worker; the workers need
    nothing from it (the run travels pickled by value)."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__spec__", "__file__") if name in main.__dict__}
    main.__spec__ = None
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _batches(documents: Iterable[Document], part_size: int | None, batch_size: int) -> Iterator[tuple[bool, list[Document]]]:
    """``documents`` cut into parts of ``part_size`` (one part when None), each cut into
    batches; each batch told whether it ends its part."""
    if part_size is None:
        for batch in _chunks(documents, batch_size):
            yield False, batch
        return
    for documents_of_part in _chunks(documents, part_size):
        batches = list(_chunks(documents_of_part, min(batch_size, part_size)))
        for number, batch in enumerate(batches, start=1):
            yield number == len(batches), batch


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _documents(
    corpus: Iterable[Document] | str | Path | Sequence[str | Path], manager: ToolkitPluginManager
) -> Iterable[Document]:
    """``corpus`` as documents: paths are read lazily, documents are passed through."""
    if isinstance(corpus, (str, Path)):
        corpus = [corpus]
    iterator = iter(corpus)
    first = next(iterator, None)
    if first is None:
        return []
    rest = itertools.chain([first], iterator)
    if isinstance(first, Document):
        return rest
    return iter_corpus(*rest, languages=supported_languages(manager))


def _assemble(outcomes: Iterable[_Outcome], run: _Run) -> Results:
    """The tables of a batch of documents, with their linked claims."""
    records, errors = [], []
    parts: dict[str, list[pl.DataFrame]] = {extractor.name: [] for extractor in run.extractors}
    for outcome in outcomes:
        records.append(outcome.document)
        errors.extend(outcome.errors)
        for name, frame in outcome.frames.items():
            parts[name].append(frame)
    results = Results(
        documents=frame_from_rows(records, DOCUMENTS),
        errors=frame_from_rows(errors, ERRORS),
        tables={
            extractor.name: pl.concat(parts[extractor.name], how="vertical") if parts[extractor.name] else empty_frame(extractor.schema)
            for extractor in run.extractors
        },
        extractors=run.described,
    )
    results.claims = link_claims(results)
    return results


def _combine(batches: Iterable[Results], run: _Run, *, setup_errors: bool) -> Results:
    """The tables of consecutive batches as one; with the run's setup errors when asked."""
    batches = list(batches)
    errors = [frame_from_rows(run.setup_errors, ERRORS)] if setup_errors else []

    def stacked(name: str, empty: pl.DataFrame) -> pl.DataFrame:
        return pl.concat([batch[name] for batch in batches], how="vertical") if batches else empty

    return Results(
        documents=stacked("documents", empty_frame(DOCUMENTS)),
        errors=pl.concat([*errors, *(batch.errors for batch in batches)], how="vertical") if errors or batches else empty_frame(ERRORS),
        tables={extractor.name: stacked(extractor.name, empty_frame(extractor.schema)) for extractor in run.extractors},
        claims=with_claim_keys(stacked("claims", empty_frame(claims_schema({e.name: e.schema for e in run.extractors}, run.described)))),
        extractors=run.described,
    )


def extract(
    corpus: Iterable[Document] | str | Path | Sequence[str | Path],
    extractors: Iterable[str | Extractor] | None = None,
    *,
    n_process: int = 1,
    strict: bool = False,
    plugin_manager: ToolkitPluginManager | None = None,
    progress: bool = False,
    cache: ParseCache | str | Path | None = None,
) -> Results:
    """Run extractors over a corpus and return their tables, in memory.

    ``corpus`` is a list of ``Document`` (from ``load_corpus``) or paths to load. ``extractors``
    names the extractors to run (default: every registered one). ``n_process`` > 1 parses in
    that many worker processes. ``strict`` re-raises the first plugin error instead of recording
    it in ``results.errors``. ``cache`` is a folder (or ``ParseCache``) of parsed documents reused
    across runs. ``results.claims`` links the figures of the run to their source, outlet, place
    and period. For corpora larger than memory, see ``extract_to``.
    """
    manager = plugin_manager or get_plugin_manager(strict=strict)
    documents = _documents(corpus, manager)
    chosen = select_extractors(manager, extractors)
    run = _Run(chosen, manager, strict, _parse_cache(cache))
    batches = _batch_tables(run, documents, n_process)
    if progress:
        batches = _counted(batches)
    return _combine((tables for _ends_part, tables in batches), run, setup_errors=True)


def extract_to(
    corpus: Iterable[Document] | str | Path | Sequence[str | Path],
    out: str | Path,
    extractors: Iterable[str | Extractor] | None = None,
    *,
    n_process: int = 1,
    strict: bool = False,
    plugin_manager: ToolkitPluginManager | None = None,
    progress: bool = False,
    cache: ParseCache | str | Path | None = None,
    resume: bool = False,
    part_size: int = PART_SIZE,
    client: Any = None,
) -> Path:
    """Run extractors over a corpus of any size and write the tables into the folder ``out``.

    Documents are read as they are needed and the results written every ``part_size``
    documents, so memory does not grow with the corpus. An interrupted run continues with
    ``resume=True`` (no document done twice, none lost). With a Dask ``client``
    (``dask.distributed.Client``) the parts are processed by its workers, each writing its own
    parquet files into ``out`` (which the workers must be able to reach). Returns ``out``; read it
    with ``Results.read(out)`` or lazily with ``toolkit.scan_results(out)``.
    """
    if part_size < 1 or n_process < 1:
        raise ValueError(f"part_size and n_process must be positive (got {part_size} and {n_process})")
    manager = plugin_manager or get_plugin_manager(strict=strict)
    chosen = select_extractors(manager, extractors)
    parse_cache = _parse_cache(cache)
    described = {extractor.name: describe(extractor, manager) for extractor in chosen}
    settings = {"extractors": sorted(extractor.id for extractor in chosen)}
    if isinstance(corpus, (str, Path)) or (isinstance(corpus, Sequence) and corpus and all(isinstance(item, (str, Path)) for item in corpus)):
        paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
        settings["corpus"] = sorted(str(Path(path).resolve()) for path in paths)  # a resume on other articles is refused
    writer = OutputWriter(out, settings=settings, resume=resume)
    try:
        return _write_run(writer, corpus, chosen, manager, parse_cache, described,
                          n_process=n_process, strict=strict, progress=progress, part_size=part_size, client=client)
    finally:
        writer.release()


def _write_run(writer: OutputWriter, corpus: Any, chosen: list[Extractor], manager: ToolkitPluginManager,
               parse_cache: ParseCache | None, described: dict[str, Any], *, n_process: int, strict: bool,
               progress: bool, part_size: int, client: Any) -> Path:
    """The parts of a run written, then merged into its tables."""
    done = writer.done_ids()
    documents: Iterable[Document] = (document for document in _documents(corpus, manager) if document.doc_id not in done)
    if client is not None:
        from toolkit.distributed import run_on_dask

        if progress:
            from tqdm.auto import tqdm

            documents = tqdm(documents, desc="extracting", unit="doc", initial=len(done))
        spec = RunSpec.of(chosen, manager, strict=strict, cache=parse_cache, described=described)
        run_on_dask(client, documents, writer, spec, part_size=part_size)
    else:
        run = _Run(chosen, manager, strict, parse_cache, described)
        batches = _batch_tables(run, documents, n_process, part_size=part_size)
        if progress:
            batches = _counted(batches, initial=len(done))
        pending: list[Results] = []
        for number in itertools.count(writer.next_part()):
            for ends_part, tables in batches:
                pending.append(tables)
                if ends_part:
                    break
            if not pending:
                break
            part = _combine(pending, run, setup_errors=number == 0)
            writer.write(number, {name: part[name] for name in part.names})
            pending = []
    return writer.finish({extractor.name: extractor.schema for extractor in chosen}, described)


def _counted(batches: Iterator[tuple[bool, Results]], *, initial: int = 0) -> Iterator[tuple[bool, Results]]:
    """``batches`` passed through, with a progress bar of the documents done."""
    from tqdm.auto import tqdm

    with tqdm(desc="extracting", unit="doc", initial=initial) as bar:
        for ends_part, tables in batches:
            yield ends_part, tables
            bar.update(tables.documents.height)


def _parse_cache(cache: ParseCache | str | Path | None) -> ParseCache | None:
    if cache is None or isinstance(cache, ParseCache):
        return cache
    return ParseCache(cache)


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
        "keys": list(extractor.keys),
    }
