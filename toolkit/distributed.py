"""The Dask backend: parts of the corpus processed by the workers of a ``dask.distributed`` cluster.

The client reads the corpus and sends it part by part, keeping only a few parts per worker in
flight. Each worker process builds its plugin manager and loads its pipelines once, for the whole
run, and writes each part it finishes as its own parquet files into the output folder (a folder
every worker can reach: a local disk for a ``LocalCluster``, a shared file system for a cluster).
The client then streams the parts into the output tables, as the local backend does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.cache import ParseCache
    from toolkit.corpus import Document
    from toolkit.extractor import Extractor
    from toolkit.output import OutputWriter

#: Parts in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
PARTS_IN_FLIGHT_PER_WORKER = 2


@dataclass
class RunSpec:
    """What a worker needs to rebuild the run: installed extractors travel by id (the worker
    loads them from its own plugins), others (defined in a notebook, say) as objects. ``key``
    names the run, so that a worker prepares it once."""

    key: str
    extractors: list[Any]
    strict: bool
    cache_dir: str | None
    described: dict[str, dict[str, Any]]


_runs: dict[str, Any] = {}


def _worker_run(spec: RunSpec) -> Any:
    """The run of ``spec`` in this worker process, built once."""
    if spec.key not in _runs:
        from toolkit.cache import ParseCache
        from toolkit.plugins import get_plugin_manager
        from toolkit.runner import _limit_threads, _Run, select_extractors

        _limit_threads()
        manager = get_plugin_manager(strict=spec.strict)
        chosen = select_extractors(manager, spec.extractors)
        _runs[spec.key] = _Run(chosen, manager, spec.strict, ParseCache(spec.cache_dir) if spec.cache_dir else None)
    return _runs[spec.key]


def process_part(spec: RunSpec, number: int, documents: list["Document"], parts_dir: str) -> int:
    """Run on a worker: extract part ``number`` and write it under ``parts_dir``. Returns the
    number of documents written."""
    from toolkit.output import write_part
    from toolkit.runner import BATCH_SIZE, _assemble, _chunks

    run = _worker_run(spec)
    outcomes = [outcome for batch in _chunks(documents, BATCH_SIZE) for outcome in run.process_batch(batch)]
    part = _assemble(outcomes, run, spec.described, run.setup_errors if number == 0 else [])
    write_part(parts_dir, number, {name: part[name] for name in part.names})
    return len(documents)


def run_on_dask(
    client: Any,
    documents: Iterable["Document"],
    writer: "OutputWriter",
    extractors: list["Extractor"],
    described: dict[str, dict[str, Any]],
    *,
    strict: bool,
    cache: "ParseCache | None",
    part_size: int,
) -> None:
    """Send ``documents`` to the workers of ``client`` part by part and wait for every part."""
    from distributed import as_completed

    from toolkit.plugins import get_plugin_manager
    from toolkit.runner import _chunks

    installed = {extractor.id: extractor.plugin for extractor in get_plugin_manager(strict=strict).extractors().values()}
    spec = RunSpec(
        key=uuid.uuid4().hex,
        extractors=[
            extractor.id if installed.get(extractor.id) == extractor.plugin else extractor for extractor in extractors
        ],
        strict=strict,
        cache_dir=str(Path(cache.directory).resolve()) if cache is not None else None,
        described=described,
    )
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = workers * PARTS_IN_FLIGHT_PER_WORKER
    parts_dir = str(Path(writer.parts_dir).resolve())
    in_flight = as_completed()
    for number, part in enumerate(_chunks(documents, part_size), start=writer.next_part()):
        in_flight.add(client.submit(process_part, spec, number, part, parts_dir, pure=False))
        while in_flight.count() >= limit:
            next(in_flight).result()  # re-raises a worker's failure
    for future in in_flight:
        future.result()
