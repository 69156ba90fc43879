"""Time and peak memory of the toolkit on one very long article.

    python benchmarks/long_article.py                  # one French article of 20 MB
    python benchmarks/long_article.py --mb 1 4 20      # several sizes

The article is made of the French sentences of the seeds and the test sets, in paragraphs, until
it reaches the size asked. Each size runs ``toolkit extract`` in a fresh process (every installed
extractor, the linking, parquet output); the peak memory is the largest resident set of that
process (one process, as ``toolkit extract`` runs by default). Results are printed and written to ``benchmarks/results.json`` under ``long_article``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import sentence_pool  # noqa: E402


def write_article(path: Path, megabytes: float, *, seed: int = 0) -> int:
    """A French article of about ``megabytes`` million characters; returns its length."""
    rng = random.Random(seed)
    sentences = sentence_pool()["fr"]
    target = int(megabytes * 1_000_000)
    paragraphs, size = [], 0
    while size < target:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(paragraphs)[:target]
    path.write_text(text, encoding="utf-8")
    return len(text)


def measure(megabytes: float) -> dict:
    """Run ``toolkit extract`` on one article of ``megabytes`` in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        article, out = Path(folder) / "long.txt", Path(folder) / "out"
        characters = write_article(article, megabytes)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", str(article), str(out)], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"toolkit extract failed on {megabytes} MB:\n{done.stderr}")
        peak_mib = json.loads(done.stdout.splitlines()[-1])["peak_mib"]
        rows = {path.stem: len(pl.read_parquet(path)) for path in sorted(out.glob("*.parquet"))}
    return {"characters": characters, "seconds": round(seconds, 1), "characters_per_s": round(characters / seconds), "peak_mib": peak_mib, "rows": rows}


def run_child(article: str, out: str) -> None:
    """``toolkit extract ARTICLE --out OUT`` in this process (one process), then its peak memory."""
    from toolkit.cli import main as toolkit_main

    status = toolkit_main(["extract", article, "--out", out, "--quiet"])
    print(json.dumps({"peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
    raise SystemExit(status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="+", default=[20.0], help="article sizes in millions of characters")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the measurements")
    parser.add_argument("--child", nargs=2, metavar=("ARTICLE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(*args.child)
    results = {}
    for megabytes in args.mb:
        results[f"{megabytes:g}"] = result = measure(megabytes)
        print(f"{megabytes:g} MB: {result['seconds']} s, {result['characters_per_s']:,} characters/s, peak {result['peak_mib']} MiB", flush=True)
    report = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    report["long_article"] = results
    args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
