"""The ``toolkit`` command: extract, plugins, evaluate, lab."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from toolkit.corpus import CorpusError
from toolkit.output import InterruptedRunError


def _extract(args: argparse.Namespace) -> int:
    from toolkit.corpus import iter_corpus
    from toolkit.nlp import supported_languages
    from toolkit.output import read_summary, scan_results
    from toolkit.plugins import get_plugin_manager
    from toolkit.runner import extract_to

    manager = get_plugin_manager(strict=args.strict)
    documents = iter_corpus(*args.paths, languages=supported_languages(manager))
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
    """The toolkit's ``notebooks/`` when it is installed from its source tree, else the current folder."""
    bundled = Path(__file__).resolve().parent.parent / "notebooks"
    return bundled if bundled.is_dir() else Path.cwd()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolkit", description="Claims of losses in the news, as tables.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("extract", help="run the extractors over articles and write parquet tables")
    run.add_argument("paths", nargs="+", type=Path, help="folders of .txt files, or .txt/.jsonl/.csv/.parquet files")
    run.add_argument("--out", required=True, type=Path, help="folder for documents.parquet and one <table>.parquet per extractor")
    run.add_argument("--extractor", action="append", metavar="NAME", help="run only this extractor (repeatable)")
    run.add_argument("--n-process", type=int, default=1, metavar="N",
                     help="worker processes (default 1; with --backend dask and no --scheduler, the local cluster's workers)")
    run.add_argument("--cache", type=Path, metavar="DIR",
                     help="keep parsed documents in DIR and reuse them (re-running after a lexicon edit parses nothing again)")
    run.add_argument("--resume", action="store_true", help="continue an interrupted run into the same --out folder")
    run.add_argument("--part-size", type=int, default=500, metavar="N", help="documents per part written to disk (default 500)")
    run.add_argument("--backend", choices=("local", "dask"), default="local",
                     help="local processes (default) or a Dask distributed cluster")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="address of the Dask scheduler, such as tcp://10.0.0.5:8786 (default: start a local cluster)")
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
    lab = commands.add_parser("lab", help="open JupyterLab on the toolkit's notebooks")
    lab.add_argument("folder", nargs="?", type=Path, help="folder to open (default: the toolkit's notebooks/)")
    lab.add_argument("--port", type=int, default=8888, help="port (default 8888, the next free one if taken)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.set_defaults(handler=_lab)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (CorpusError, FileNotFoundError, KeyError, InterruptedRunError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"toolkit {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
