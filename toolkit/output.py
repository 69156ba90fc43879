"""Writing a run to disk part by part, resuming it, and reading it back lazily.

While a run goes on, every part (a few hundred documents) is written under ``DIR/parts/``: one
parquet file per table, ``documents`` last, so that a part counts as done only once its
documents file exists. An interrupted run started again with ``resume=True`` skips the documents
of the finished parts and drops the files of an unfinished one. At the end the parts of each
table are streamed into ``DIR/<table>.parquet`` (polars ``scan_parquet`` / ``sink_parquet``,
never the whole table in memory) next to ``manifest.json``; the parts are then moved aside in one
step and deleted, so that a folder is either a finished run or a resumable one.

A run holds ``DIR/.lock`` (its process id) while it writes: a second run on the same folder is
refused and told which process holds it; a lock whose process is gone is taken over.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.claims import claims_schema
from toolkit.events import with_claim_keys
from toolkit.results import MANIFEST, Results, write_manifest
from toolkit.schemas import CLAIMS, DOCUMENTS, ERRORS, empty_frame

PARTS = "parts"
RUN_FILE = "run.json"
LOCK = ".lock"
#: Where the parts of a finished run go before they are deleted.
FINISHED_PARTS = ".parts-finished"


class InterruptedRunError(RuntimeError):
    """The output folder holds the parts of an unfinished run and ``resume`` was not asked."""


class RunLockedError(InterruptedRunError):
    """Another run, still alive, is writing the output folder."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def acquire_lock(directory: Path) -> Path:
    """Take ``directory/.lock`` for this process; refuse when a live process holds it."""
    path = directory / LOCK
    while True:
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                holder = int(path.read_text(encoding="utf-8").strip() or 0)
            except (OSError, ValueError):
                holder = 0
            if holder and holder != os.getpid() and _alive(holder):
                raise RunLockedError(
                    f"{directory} is being written by another run (process {holder}); wait for it to end or stop it"
                ) from None
            path.unlink(missing_ok=True)  # its process is gone (killed, crashed): a stale lock
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(str(os.getpid()))
        return path


def part_name(number: int) -> str:
    return f"part-{number:06d}.parquet"


def write_part(parts_dir: str | Path, number: int, frames: Mapping[str, pl.DataFrame]) -> None:
    """Write the frames of part ``number`` (``documents`` last, each file atomically)."""
    parts_dir = Path(parts_dir)
    for name in sorted(frames, key=lambda name: name == "documents"):
        frame = frames[name]
        if frame.height == 0 and name != "documents":
            continue
        folder = parts_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / part_name(number)
        temporary = folder / f".{final.name}.{os.getpid()}.tmp"
        frame.write_parquet(temporary)
        os.replace(temporary, final)


def _same_run(previous: dict[str, Any], settings: dict[str, Any]) -> bool:
    """The same extractors, and the same articles when both runs were given paths (a run given
    documents from Python records none)."""
    if "corpus" not in previous or "corpus" not in settings:
        previous, settings = ({key: value for key, value in run.items() if key != "corpus"} for run in (previous, settings))
    return previous == settings


class OutputWriter:
    """The output folder of one run. ``settings`` (extractor ids and the like) are recorded so
    that a resumed run is checked to be the same run."""

    def __init__(self, directory: str | Path, *, settings: dict[str, Any], resume: bool = False) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise NotADirectoryError(f"the output folder {self.directory} is a file, not a folder")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.lock = acquire_lock(self.directory)
        try:
            self._open(settings, resume)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Let other runs write the folder (done by ``finish``; call it when a run stops early)."""
        self.lock.unlink(missing_ok=True)

    def _open(self, settings: dict[str, Any], resume: bool) -> None:
        self.parts_dir = self.directory / PARTS
        self.settings = settings
        shutil.rmtree(self.directory / FINISHED_PARTS, ignore_errors=True)  # a clean-up cut short
        run_file = self.parts_dir / RUN_FILE
        if self.parts_dir.exists() and not run_file.exists():
            shutil.rmtree(self.parts_dir)  # parts without their run record cannot be resumed: never read as done
        if run_file.exists():
            previous = json.loads(run_file.read_text(encoding="utf-8"))
            done = len(self.done_ids())
            if not resume:
                raise InterruptedRunError(
                    f"{self.directory} holds an unfinished run ({done} documents done); "
                    f"add --resume (resume=True) to continue it, or delete {self.parts_dir} to start over"
                )
            if not _same_run(previous, settings):
                raise InterruptedRunError(
                    f"{self.directory} holds an unfinished run with other settings ({previous}); "
                    f"delete {self.parts_dir} to start over with {settings}"
                )
            self._drop_unfinished_parts()
        else:
            self.parts_dir.mkdir(parents=True, exist_ok=True)
            run_file.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")

    def done_ids(self) -> set[str]:
        """doc_id of every document of the finished parts."""
        files = sorted((self.parts_dir / "documents").glob("part-*.parquet"))
        if not files:
            return set()
        return set(pl.scan_parquet(files).select("doc_id").collect()["doc_id"].to_list())

    def next_part(self) -> int:
        """The number of the next part to write."""
        numbers = [int(path.stem.split("-")[1]) for path in (self.parts_dir / "documents").glob("part-*.parquet")]
        return max(numbers, default=-1) + 1

    def _drop_unfinished_parts(self) -> None:
        finished = {path.name for path in (self.parts_dir / "documents").glob("part-*.parquet")}
        for folder in self.parts_dir.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name.startswith(".") or path.name not in finished:
                    path.unlink()

    def write(self, number: int, frames: Mapping[str, pl.DataFrame]) -> None:
        write_part(self.parts_dir, number, frames)

    def finish(self, schemas: Mapping[str, pl.Schema], extractors: dict[str, dict[str, Any]]) -> Path:
        """Stream every table's parts into ``<table>.parquet``, write the manifest, remove the parts."""
        every = {"documents": DOCUMENTS, **schemas, "claims": claims_schema(schemas, extractors), "errors": ERRORS}
        for name, schema in every.items():
            files = sorted((self.parts_dir / name).glob("part-*.parquet"))
            target = self.directory / f"{name}.parquet"
            temporary = self.directory / f".{name}.parquet.tmp"
            if files and name == "claims":  # keyed over the whole run: relays in different parts meet
                with_claim_keys(pl.read_parquet(files)).write_parquet(temporary)
            elif files:
                pl.scan_parquet(files).sink_parquet(temporary)
            else:
                empty_frame(schema).write_parquet(temporary)
            os.replace(temporary, target)
        write_manifest(self.directory, list(schemas), extractors)
        finished = self.directory / FINISHED_PARTS
        os.replace(self.parts_dir, finished)  # one step: the folder is now a finished run
        shutil.rmtree(finished)
        self.release()
        return self.directory


def scan_results(directory: str | Path) -> dict[str, pl.LazyFrame]:
    """Every table of an output folder as a polars ``LazyFrame`` (``documents``, each extractor's,
    ``claims``, ``errors``), read only when collected."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise FileNotFoundError(f"{directory} holds no {MANIFEST}: not a finished toolkit output folder")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    names = ["documents", *manifest.get("tables", []), "claims", "errors"]
    return {name: pl.scan_parquet(directory / f"{name}.parquet") for name in names if (directory / f"{name}.parquet").exists()}


#: The columns ``Results.summary`` reads, so that a summary of a large run loads no text.
_SUMMARY_COLUMNS = ("doc_id", "lang", "status", "category", "kind", "source_kind", "extractor", "message",
                    "claimant", "outlet", "place", "period")


def read_summary(directory: str | Path) -> str:
    """``Results.summary()`` of an output folder, reading only the columns it shows."""
    scanned = scan_results(directory)
    manifest = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))

    def load(name: str, schema: pl.Schema) -> pl.DataFrame:
        if name not in scanned:
            return empty_frame(schema)
        columns = [column for column in scanned[name].collect_schema().names() if column in _SUMMARY_COLUMNS]
        return scanned[name].select(columns).collect()

    results = Results(
        documents=load("documents", DOCUMENTS),
        errors=load("errors", ERRORS),
        claims=load("claims", CLAIMS),
        tables={name: load(name, pl.Schema({"doc_id": pl.String})) for name in manifest.get("tables", [])},
        extractors=manifest.get("extractors", {}),
    )
    return results.summary()
