"""The ``toolkit`` command: extract, plugins, evaluate, reviews, export, notebooks, lab, --version."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus import DEFAULT_MAX_CHARS, CorpusError
from toolkit.output import InterruptedRunError
from toolkit.plugins import PluginFault

if TYPE_CHECKING:
    import polars as pl


def _extract(args: argparse.Namespace) -> int:
    from toolkit.corpus import iter_corpus
    from toolkit.nlp import supported_languages
    from toolkit.output import read_summary, scan_results
    from toolkit.plugins import get_plugin_manager
    from toolkit.runner import extract_to

    manager = get_plugin_manager(strict=args.strict)
    documents = iter_corpus(*args.paths, languages=supported_languages(manager), max_chars=args.max_chars)
    options = dict(n_process=args.n_process, strict=args.strict, plugin_manager=manager, progress=not args.quiet,
                   cache=args.cache, resume=args.resume, part_size=args.part_size)
    if args.backend == "dask":
        with _dask_client(args.scheduler, args.n_process) as client:
            extract_to(documents, args.out, args.extractor or None, client=client, **options)
    else:
        extract_to(documents, args.out, args.extractor or None, **options)
    print(read_summary(args.out))
    print(f"written to {Path(args.out)}/: {', '.join(f'{name}.parquet' for name in scan_results(args.out))}")
    for name, problem in manager.failures.items():
        print(f"warning: plugin {name} was not used: {problem}", file=sys.stderr)
    return 0


def _dask_client(scheduler: str | None, n_workers: int):
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``n_workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    return Client(LocalCluster(n_workers=max(1, n_workers), threads_per_worker=1, processes=True, dashboard_address=None))


def _plugins(args: argparse.Namespace) -> int:
    from toolkit.plugins import get_plugin_manager
    from toolkit.runner import describe

    manager = get_plugin_manager()
    extractors = manager.extractors()
    rows = [("extractor", "languages", "plugin", "package", "origin")]
    for extractor in extractors.values():
        info = describe(extractor, manager)
        package = f"{info['distribution']} {info['distribution_version']}".strip() or "(registered in code)"
        rows.append((extractor.id, ",".join(info["languages"]), info["plugin"], package,
                     "built-in" if info["builtin"] else "third-party"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if len(rows) == 1:
        print("(no extractor installed)")
    for name, problem in manager.failures.items():
        print(f"broken plugin {name}: {problem}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from toolkit.evaluate import evaluate

    evaluation = evaluate(args.gold, args.out)
    print(evaluation.table())
    if args.verbose:
        for row in evaluation.per_document.iter_rows(named=True):
            print(f"\n{row['doc_id']} {row['table']}: tp {row['tp']} fp {row['fp']} fn {row['fn']} f1 {row['f1']:.3f}")
            for detail in evaluation.details.filter(
                (evaluation.details["doc_id"] == row["doc_id"]) & (evaluation.details["table"] == row["table"])
            ).iter_rows(named=True):
                evidence = " ".join((detail["evidence"] or "").split())[:90]
                print(f"  {detail['outcome']:<9} {detail['item']:<45} | {evidence}")
        _print_wrong_claim_parts(evaluation.claim_details)
    return 0


def _print_wrong_claim_parts(claim_details: "pl.DataFrame") -> None:
    """Each found gold claim with a part wrong: what the gold says and what was found."""
    import polars as pl

    from toolkit.evaluate import CLAIM_PARTS

    wrong = claim_details.filter(pl.col("found") & ~pl.col("whole"))
    if wrong.height:
        print("\nclaims found with a part wrong (gold -> found)")
    for row in wrong.iter_rows(named=True):
        parts = [f"{part}: {row[f'{part}_gold']} -> {row[f'{part}_found']}" for part in CLAIM_PARTS if row[part] is False]
        print(f"  {row['doc_id']} {row['item']:<40} | " + " | ".join(parts))


def _reviews_show(args: argparse.Namespace) -> int:
    from toolkit.results import Results

    results = Results.read(args.out)
    reviews = results.claims.filter(results.claims["review"] != "unreviewed")
    print(f"{results.reviews.height} reviews kept in {args.out}; {reviews.height} of {results.claims.height} claims reviewed")
    for row in reviews.iter_rows(named=True):
        figure = " ".join(str(value) for value in (row["count_min"], row["status"], row["group"] or row["category"]) if value)
        print(f"  {row['review']:<9} {row['doc_id']} {figure} | {row['claimant'] or '?'} | {row['place'] or '?'} | {row['period'] or '?'}"
              + (f" | note: {row['review_note']}" if row["review_note"] else ""))
    for row in results.unmatched_reviews.iter_rows(named=True):
        print(f"  no claim of this run for the review of {row['doc_id']} [{row['start']}:{row['end']}] {row['text']!r} ({row['decision']})")
    return 0


def _reviews_export(args: argparse.Namespace) -> int:
    from toolkit.results import Results
    from toolkit.reviews import export_gold

    results = Results.read(args.out)
    written = export_gold(results, args.gold)
    print(f"{len(written)} gold files written to {args.gold} (score the extractors with: toolkit evaluate {args.gold} {args.out})")
    if results.unmatched_reviews.height:
        print(f"{results.unmatched_reviews.height} reviews match no claim of this run and are not exported: toolkit reviews show {args.out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from toolkit.exports import export_tables
    from toolkit.results import Results

    for path in export_tables(Results.read(args.out), args.to, formats=args.format):
        print(path)
    return 0


def _notebooks(args: argparse.Namespace) -> int:
    from toolkit.workspace import copy_notebooks

    def ask(path: Path) -> bool:
        if args.force:
            return True
        if not sys.stdin.isatty():
            return False
        return input(f"{path} differs from the toolkit's; overwrite it? [y/N] ").strip().lower() in ("y", "yes")

    for copied in copy_notebooks(args.folder, overwrite=ask):
        print(f"{copied.status:<12}{copied.path}")
        if copied.status == "kept":
            print(f"{'':<12}(changed here: kept; --force overwrites it)")
    print(f"open them with: toolkit lab {args.folder}")
    return 0


def _lab(args: argparse.Namespace) -> int:
    import subprocess

    folder = args.folder or notebooks_folder()
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", f"--ServerApp.port={args.port}"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    print(f"JupyterLab on {folder} (stop with Ctrl-C)", flush=True)
    if os.name == "posix":
        # become JupyterLab, so that stopping this process stops the server (no orphan left behind)
        os.execv(sys.executable, command)
    return subprocess.call(command)


def notebooks_folder() -> Path:
    """The folder ``toolkit lab`` opens without one: the source tree's ``notebooks/``; else the
    current folder when it holds the notebooks; else ``./toolkit-notebooks``, filled with them
    (a notebook changed there is kept)."""
    from toolkit.workspace import DEFAULT_WORKSPACE, bundled, copy_notebooks, in_source_tree

    if in_source_tree():
        return bundled("notebooks")
    names = {path.name for path in bundled("notebooks").glob("*.ipynb")}
    if any((Path.cwd() / name).is_file() for name in names):
        return Path.cwd()
    folder = Path.cwd() / DEFAULT_WORKSPACE
    copied = copy_notebooks(folder)
    print(f"the toolkit's notebooks in {folder}: " + ", ".join(f"{c.path.name} {c.status}" for c in copied), flush=True)
    return folder


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolkit", description="Claims of losses in the news, as tables.")
    parser.add_argument("--version", action=_VersionAction, help="the toolkit's version and the spaCy pipelines it reads text with")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("extract", help="run the extractors over articles and write parquet tables")
    run.add_argument("paths", nargs="+", type=Path, help="folders of .txt files, or .txt/.jsonl/.csv/.parquet files")
    run.add_argument("--out", required=True, type=Path, help="folder for documents.parquet and one <table>.parquet per extractor")
    run.add_argument("--extractor", action="append", metavar="NAME", help="run only this extractor (repeatable)")
    run.add_argument("--n-process", type=_positive, default=1, metavar="N",
                     help="worker processes (default 1; with --backend dask and no --scheduler, the local cluster's workers)")
    run.add_argument("--cache", type=Path, metavar="DIR",
                     help="keep parsed documents in DIR and reuse them (re-running after a lexicon edit parses nothing again)")
    run.add_argument("--resume", action="store_true", help="continue an interrupted run into the same --out folder")
    run.add_argument("--part-size", type=_positive, default=500, metavar="N", help="documents per part written to disk (default 500)")
    run.add_argument("--backend", choices=("local", "dask"), default="local",
                     help="local processes (default) or a Dask distributed cluster")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="address of the Dask scheduler, such as tcp://10.0.0.5:8786 (default: start a local cluster)")
    run.add_argument("--max-chars", type=_positive, default=DEFAULT_MAX_CHARS, metavar="N",
                     help=f"skip, with a status, a document longer than N characters (default {DEFAULT_MAX_CHARS:,}; "
                          "shorter ones are read in bounded memory, about half a minute per million characters)")
    run.add_argument("--strict", action="store_true", help="stop at the first plugin error (for plugin authors)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=_extract)

    plugins = commands.add_parser("plugins", help="list installed extractors and where they come from")
    plugins.set_defaults(handler=_plugins)

    score = commands.add_parser("evaluate", help="score an output folder against gold annotations")
    score.add_argument("gold", type=Path, help="folder of gold *.json files")
    score.add_argument("out", type=Path, help="output folder of toolkit extract")
    score.add_argument("--verbose", action="store_true", help="matches, misses and false hits per document")
    score.set_defaults(handler=_evaluate)

    reviews = commands.add_parser("reviews", help="the reviews kept in an output folder: list them, or export them as gold")
    actions = reviews.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="every reviewed claim, and the reviews that match no claim of the run")
    show.add_argument("out", type=Path, help="output folder of toolkit extract")
    show.set_defaults(handler=_reviews_show)
    export = actions.add_parser("export", help="write the reviewed claims as gold files, for toolkit evaluate")
    export.add_argument("out", type=Path, help="output folder of toolkit extract")
    export.add_argument("--gold", required=True, type=Path, help="folder for one gold <doc_id>.json per reviewed document")
    export.set_defaults(handler=_reviews_export)

    tables = commands.add_parser("export", help="claims and places as CSV or GeoJSON (for QGIS), with evidence and review")
    tables.add_argument("out", type=Path, help="output folder of toolkit extract")
    tables.add_argument("--to", required=True, type=Path, help="folder for the exported files")
    tables.add_argument("--format", action="append", choices=("csv", "geojson"), help="csv, geojson (repeatable; default both)")
    tables.set_defaults(handler=_export)

    notebooks = commands.add_parser("notebooks", help="copy the toolkit's notebooks into a folder of yours")
    notebooks.add_argument("folder", type=Path, help="folder to copy them into (created if needed)")
    notebooks.add_argument("--force", action="store_true", help="overwrite notebooks changed there without asking")
    notebooks.set_defaults(handler=_notebooks)

    lab = commands.add_parser("lab", help="open JupyterLab on the toolkit's notebooks")
    lab.add_argument("folder", nargs="?", type=Path,
                     help="folder to open (default: notebooks/ of the source tree; installed, ./toolkit-notebooks, filled with them)")
    lab.add_argument("--port", type=int, default=8888, help="port (default 8888, the next free one if taken)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.set_defaults(handler=_lab)
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from toolkit.about import version_text

        print(version_text())
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (CorpusError, OSError, KeyError, InterruptedRunError, PluginFault) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        if isinstance(exc, OSError) and exc.filename and exc.strerror:  # a read-only disk, a folder that is a file
            message = f"{exc.strerror}: {exc.filename}"
        print(f"toolkit {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
