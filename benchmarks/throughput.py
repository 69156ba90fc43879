"""Throughput and peak memory of bare spaCy and of the whole toolkit on generated corpora.

    python benchmarks/throughput.py                       # 100, 1,000 and 10,000 articles, 2 processes
    python benchmarks/throughput.py --sizes 100 --n-process 1

For each corpus size it measures (a) spaCy's ``nlp.pipe`` with the toolkit's pipelines, every
component, and (b) ``toolkit.extract_to`` with every installed extractor, the linking and the
parquet output; then, on the middle size, (a) and (b) in one process, ``--n-process`` runs of (a)
at once (what the machine's cores give together), the toolkit's speed-up from one process to
``--n-process``, what running only the components the extractors need saves, and a second run
over the parse cache. Every measurement runs in a fresh process, so that its peak memory (resident
set, largest process) is its own. Results are printed as a Markdown table and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402


def _peak_mib() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mib": round(max(own, children), 1), "main_peak_mib": round(own, 1), "worker_peak_mib": round(children, 1)}


def _iter_texts(path: Path, lang: str):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["lang"] == lang:
                yield row["text"]


def measure_bare(corpus: Path, n_process: int) -> dict:
    """spaCy alone: every component of the toolkit's pipelines over the corpus, streamed, one
    BLAS thread per process as in the toolkit; loading the pipelines is timed, as in (b)."""
    from threadpoolctl import threadpool_limits

    from toolkit.nlp import load_pipeline

    threadpool_limits(limits=1)
    started = time.perf_counter()
    pipelines = {lang: load_pipeline(lang) for lang in ("fr", "en")}
    documents = 0
    for lang, nlp in pipelines.items():
        for _doc in nlp.pipe(_iter_texts(corpus, lang), batch_size=32, n_process=n_process):
            documents += 1
    return {"seconds": time.perf_counter() - started, "documents": documents, "words": _words(corpus)}


def _words(corpus: Path) -> int:
    """Words of the corpus, separated by white space."""
    return sum(len(text.split()) for lang in ("fr", "en") for text in _iter_texts(corpus, lang))


def measure_toolkit(corpus: Path, n_process: int, extractors: list[str] | None, every_component: bool, cache: str | None) -> dict:
    """The toolkit: extraction, linking and parquet output of the whole corpus."""
    import polars as pl

    import toolkit
    from toolkit.nlp import ANALYSES
    from toolkit.runner import select_extractors

    manager = toolkit.get_plugin_manager()
    chosen = select_extractors(manager, extractors)
    if every_component:
        chosen = [replace(extractor, needs=frozenset(ANALYSES)) for extractor in chosen]
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        toolkit.extract_to(corpus, out, chosen, n_process=n_process, plugin_manager=manager, cache=cache)
        seconds = time.perf_counter() - started
        documents = pl.scan_parquet(Path(out) / "documents.parquet").filter(pl.col("status") == "ok").select(pl.len()).collect().item()
        rows = {name: frame.select(pl.len()).collect().item() for name, frame in toolkit.scan_results(out).items()}
    return {"seconds": seconds, "documents": documents, "words": _words(corpus), "rows": rows}


def run_one(args: argparse.Namespace) -> None:
    corpus = Path(args.corpus)
    if args.mode == "bare":
        result = measure_bare(corpus, args.n_process)
    else:
        result = measure_toolkit(corpus, args.n_process, args.extractor, args.every_component, args.cache)
    result.update(_peak_mib())
    print(json.dumps(result))


def _children(corpus: Path, mode: str, n_process: int, *extra: str, copies: int = 1) -> list[dict]:
    """Measurements of ``copies`` identical runs started together, each in its own process."""
    command = [sys.executable, __file__, "--one", mode, "--corpus", str(corpus), "--n-process", str(n_process), *extra]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(copies)]
    results = []
    for process in running:
        stdout, stderr = process.communicate()
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command, stdout, stderr)
        result = json.loads(stdout.strip().splitlines()[-1])
        result["documents_per_s"] = round(result["documents"] / result["seconds"], 2)
        result["words_per_s"] = round(result["words"] / result["seconds"])
        results.append(result)
    return results


def _child(corpus: Path, mode: str, n_process: int, *extra: str) -> dict:
    return _children(corpus, mode, n_process, *extra)[0]


def _side_by_side(corpus: Path, mode: str, copies: int) -> dict:
    """``copies`` one-process runs at once: what the machine's cores give together."""
    runs = _children(corpus, mode, 1, copies=copies)
    seconds = max(run["seconds"] for run in runs)
    documents = sum(run["documents"] for run in runs)
    words = sum(run["words"] for run in runs)
    return {
        "seconds": seconds, "documents": documents, "words": words, "peak_mib": max(run["peak_mib"] for run in runs),
        "documents_per_s": round(documents / seconds, 2), "words_per_s": round(words / seconds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "toolkit-benchmark-corpora")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the measurements")
    parser.add_argument("--one", choices=("bare", "toolkit"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--extractor", action="append", help=argparse.SUPPRESS)
    parser.add_argument("--every-component", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        args.mode = args.one
        run_one(args)
        return 0

    n = args.n_process
    report: dict = {"n_process": n, "sizes": {}, "scaling": {}, "components": {}, "cache": {}}
    corpora = {size: write_corpus(args.corpora / f"articles-{size}.jsonl", size) for size in args.sizes}
    for size, corpus in corpora.items():
        bare = _child(corpus, "bare", n)
        full = _child(corpus, "toolkit", n)
        report["sizes"][size] = {"bare": bare, "toolkit": full, "ratio": round(full["documents_per_s"] / bare["documents_per_s"], 3)}
        print(f"{size} articles: bare {bare['documents_per_s']} docs/s, toolkit {full['documents_per_s']} docs/s", flush=True)

    middle = corpora[sorted(corpora)[len(corpora) // 2]]
    bare_one = _child(middle, "bare", 1)
    bare_side_by_side = _side_by_side(middle, "bare", n)
    one = _child(middle, "toolkit", 1)
    many = report["sizes"][sorted(corpora)[len(corpora) // 2]]["toolkit"]
    report["scaling"] = {
        "bare_one": bare_one,
        "bare_side_by_side": bare_side_by_side,
        "bare_side_by_side_gain": round(bare_side_by_side["documents_per_s"] / bare_one["documents_per_s"], 2),
        "one": one,
        "ratio_one": round(one["documents_per_s"] / bare_one["documents_per_s"], 3),
        "many": many,
        "speedup": round(many["documents_per_s"] / one["documents_per_s"], 2),
    }
    for label, names in {"casualties+equipment": ["casualties", "equipment"], "places": ["places"], "periods": ["periods"]}.items():
        flags = [flag for name in names for flag in ("--extractor", name)]
        needed = _child(middle, "toolkit", n, *flags)
        every = _child(middle, "toolkit", n, *flags, "--every-component")
        report["components"][label] = {
            "needed": needed, "every": every, "speedup": round(needed["documents_per_s"] / every["documents_per_s"], 2)
        }
    with tempfile.TemporaryDirectory() as cache:
        cold = _child(middle, "toolkit", n, "--cache", cache)
        warm = _child(middle, "toolkit", n, "--cache", cache)
    report["cache"] = {"cold": cold, "warm": warm, "speedup": round(warm["documents_per_s"] / cold["documents_per_s"], 2)}

    args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(markdown(report))
    return 0


def markdown(report: dict) -> str:
    """The measurements as the Markdown table of the README."""
    n = report["n_process"]
    lines = [
        f"| measurement ({n} processes unless said) | articles | articles/s | words/s | peak memory (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]

    def row(label: str, result: dict) -> None:
        lines.append(f"| {label} | {result['documents']:,} | {result['documents_per_s']} | {result['words_per_s']:,} | {result['peak_mib']:,.0f} |")

    for entry in report["sizes"].values():
        row("(a) bare spaCy `nlp.pipe`, every component", entry["bare"])
        row(f"(b) toolkit, every extractor, linking, parquet — b/a = {entry['ratio']}", entry["toolkit"])
    scaling = report["scaling"]
    row("(a) bare spaCy `nlp.pipe`, every component, 1 process", scaling["bare_one"])
    row(f"(b) toolkit, 1 process — b/a = {scaling['ratio_one']}", scaling["one"])
    row(f"(a) in {n} one-process runs at once, together — {scaling['bare_side_by_side_gain']}× one", scaling["bare_side_by_side"])
    row(f"toolkit, {n} processes — {scaling['speedup']}× one", scaling["many"])
    for label, entry in report["components"].items():
        row(f"{label}, every component", entry["every"])
        row(f"{label}, only the components it needs — {entry['speedup']}×", entry["needed"])
    row("toolkit, parse cache cold (parsing and storing)", report["cache"]["cold"])
    row(f"toolkit, parse cache warm — {report['cache']['speedup']}×", report["cache"]["warm"])
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
