"""The Dask backend: parts of the corpus processed by the workers of a ``dask.distributed`` cluster.

The client reads the corpus and sends it part by part, keeping only a few parts per worker in
flight. Each worker process rebuilds the plugin manager and loads its pipelines once, for the
whole run, and writes each part it finishes as its own parquet files into the output folder (a folder
every worker can reach: a local disk for a ``LocalCluster``, a shared file system for a cluster).
The client then streams the parts into the output tables, as the local backend does.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.corpus import Document
    from toolkit.output import OutputWriter
    from toolkit.runner import RunSpec

#: Parts in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
PARTS_IN_FLIGHT_PER_WORKER = 2


def process_part(spec: "RunSpec", number: int, documents: list["Document"], parts_dir: str) -> int:
    """Run on a worker: extract part ``number`` and write it under ``parts_dir``. Returns the
    number of documents written."""
    from toolkit.output import write_part
    from toolkit.runner import BATCH_SIZE, _chunks, _combine, prepared_run

    run = prepared_run(spec)
    part = _combine((run.tables(batch) for batch in _chunks(documents, BATCH_SIZE)), run, setup_errors=number == 0)
    write_part(parts_dir, number, {name: part[name] for name in part.names})
    return len(documents)


def run_on_dask(client: Any, documents: Iterable["Document"], writer: "OutputWriter", spec: "RunSpec", *, part_size: int) -> None:
    """Send ``documents`` to the workers of ``client`` part by part and wait for every part."""
    from distributed import as_completed

    from toolkit.runner import _chunks

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
