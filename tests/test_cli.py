import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import GOLD, ROOT, SEEDS

BIN = Path(sys.executable).parent
TOOLKIT = str(BIN / "toolkit")


def run(*args, check=True):
    return subprocess.run([TOOLKIT, *map(str, args)], capture_output=True, text=True, check=check, cwd=ROOT)


def test_extract_seeds_and_evaluate(tmp_path):
    out = tmp_path / "out"
    done = run("extract", SEEDS, "--out", out)
    documents = pl.read_parquet(out / "documents.parquet")
    assert documents.height == 5
    assert sorted(documents["lang"].to_list()) == ["en", "fr", "fr", "fr", "fr"]
    assert set(documents["status"]) == {"ok"}
    assert "documents: 5 read, 5 processed (1 en, 4 fr)" in done.stdout
    assert "extracting" in done.stderr  # the progress bar
    claims = pl.read_parquet(out / "claims.parquet")
    assert claims.filter(pl.col("count_min") == 2359)["claimant"].to_list() == ["Russian Ministry of Defence"]
    assert "claims: " in done.stdout
    score = run("evaluate", GOLD, out, "--verbose")
    assert score.stdout.splitlines()[0].split() == ["table", "docs", "tp", "fp", "fn", "precision", "recall", "f1", "status"]


def test_clear_errors(tmp_path):
    done = run("extract", tmp_path / "missing", "--out", tmp_path / "o", check=False)
    assert done.returncode == 2 and "no such file or folder" in done.stderr and "Traceback" not in done.stderr
    done = run("extract", SEEDS, "--out", tmp_path / "o", "--extractor", "nonexistent", check=False)
    assert done.returncode == 2 and "no extractor named 'nonexistent'" in done.stderr
    done = run("evaluate", tmp_path, tmp_path, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.fixture
def hello_plugin():
    """Install the throwaway third-party plugin into this environment, and remove it afterwards."""
    package = ROOT / "tests" / "fixtures" / "toolkit-hello"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--no-deps", "--no-build-isolation", str(package)], check=True, capture_output=True)
    yield
    subprocess.run([*pip, "uninstall", "-y", "toolkit-hello"], check=True, capture_output=True)


def test_third_party_plugin_is_listed_and_run(hello_plugin, tmp_path):
    listing = run("plugins").stdout
    line = next(line for line in listing.splitlines() if line.startswith("hello.v2"))
    assert line.split() == ["hello.v2", "*", "hello", "toolkit-hello", "0.3.0", "third-party"]
    (tmp_path / "a.txt").write_text("Hello from the front line, the ministry said on Sunday.", encoding="utf-8")
    run("extract", tmp_path, "--out", tmp_path / "out", "--extractor", "hello")
    assert pl.read_parquet(tmp_path / "out" / "hello.parquet").select("text", "word").rows() == [("Hello", "hello")]
