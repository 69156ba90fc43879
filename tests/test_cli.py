import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from conftest import GOLD, ROOT, SEEDS
from servers import free_port, serve, stop

BIN = Path(sys.executable).parent
TOOLKIT = str(BIN / "toolkit")


def run(*args, check=True):
    return subprocess.run([TOOLKIT, *map(str, args)], capture_output=True, text=True, check=check, cwd=ROOT)


@pytest.mark.slow
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


@pytest.mark.slow
def test_max_chars_skips_longer_documents_with_a_status(tmp_path):
    out = tmp_path / "out"
    run("extract", SEEDS, "--out", out, "--max-chars", 3000, "--quiet", "--extractor", "periods")
    documents = pl.read_parquet(out / "documents.parquet")
    longer = documents.filter(pl.col("n_chars") > 3000)
    assert longer.height and all(status.startswith("skipped: too large") and "limit 3,000" in status for status in longer["status"])
    assert set(documents.filter(pl.col("n_chars") <= 3000)["status"]) == {"ok"}


@pytest.mark.slow
def test_manifest_says_what_produced_the_run(tmp_path):
    import json

    from toolkit import extract, load_corpus

    extract(load_corpus(SEEDS / "000_5a197989765e439e.txt")).write(tmp_path)
    versions = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["versions"]
    assert versions["toolkit"] and versions["spacy"] and versions["python"].count(".") == 2
    assert versions["pipelines"]["fr"].startswith("fr_core_news_")


@pytest.mark.slow
def test_version_names_the_toolkit_and_its_pipelines():
    done = run("--version")
    first, second = done.stdout.splitlines()
    assert first.startswith("conflict-claims-toolkit ")
    assert "spaCy 3.8" in second and "fr: fr_core_news_" in second and "en: en_core_web_" in second


@pytest.mark.slow
def test_notebooks_are_copied_and_a_changed_one_is_kept(tmp_path):
    work = tmp_path / "work"
    assert "copied      " in run("notebooks", work).stdout
    names = sorted(path.name for path in work.glob("*.ipynb"))
    assert names == sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    changed = work / names[0]
    changed.write_text("mine", encoding="utf-8")
    again = run("notebooks", work).stdout  # not a terminal: nothing is asked, the change is kept
    assert f"kept        {changed}" in again and changed.read_text(encoding="utf-8") == "mine"
    assert f"overwritten {changed}" in run("notebooks", work, "--force").stdout
    assert changed.read_bytes() == (ROOT / "notebooks" / names[0]).read_bytes()
    refused = run("notebooks", changed, check=False)
    assert refused.returncode == 2 and "is a file, not a folder" in refused.stderr


def test_lab_outside_the_source_tree_fills_a_working_folder(tmp_path, monkeypatch):
    from toolkit import cli, workspace

    monkeypatch.setattr(workspace, "in_source_tree", lambda: False)
    monkeypatch.chdir(tmp_path)
    folder = cli.notebooks_folder()
    assert folder == tmp_path / workspace.DEFAULT_WORKSPACE and (folder / "01-quickstart.ipynb").is_file()
    monkeypatch.chdir(folder)
    assert cli.notebooks_folder() == folder  # a folder that holds them is opened as it is


@pytest.mark.skipif(os.name != "posix", reason="elsewhere toolkit lab runs JupyterLab as a child process")
def test_lab_hands_its_process_to_jupyterlab(tmp_path, monkeypatch):
    from toolkit import cli

    handed = []

    def execv(path, argv):
        handed.append((path, argv))
        raise SystemExit(0)  # a real execv never returns

    monkeypatch.setattr(os, "execv", execv)
    with pytest.raises(SystemExit):
        cli.main(["lab", str(tmp_path), "--port", "8899", "--no-browser"])
    [(path, argv)] = handed
    assert path == sys.executable and argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert {f"--ServerApp.root_dir={tmp_path}", "--ServerApp.port=8899", "--no-browser"} <= set(argv)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="signals a process by its id")
def test_stopping_toolkit_lab_stops_the_server():
    port = free_port()
    status = f"http://127.0.0.1:{port}/api/status?token=test-token"
    process = serve([TOOLKIT, "lab", "--no-browser", "--port", str(port)], status, env={**os.environ, "JUPYTER_TOKEN": "test-token"})
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=test-token", timeout=10) as response:
            names = {item["name"] for item in json.load(response)["content"]}
        assert {"01-quickstart.ipynb", "02-explore.ipynb", "03-write-a-plugin.ipynb", "04-evaluate.ipynb"} <= names
        process.send_signal(signal.SIGTERM)  # the command alone, as a process manager or `kill` stops it
        process.wait(timeout=60)
        with pytest.raises(ProcessLookupError):  # nothing it started is left running
            os.killpg(process.pid, 0)
    finally:
        stop(process)
    with pytest.raises(OSError):
        urllib.request.urlopen(status, timeout=5)


def test_samples_are_found_wherever_the_toolkit_runs():
    from toolkit import load_corpus, sample_corpus, sample_gold

    assert len(load_corpus(sample_corpus())) == 5
    assert len(list(sample_gold().glob("*.json"))) == 5 and (sample_gold() / "README.md").is_file()


@pytest.mark.slow
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


@pytest.mark.slow
def test_third_party_plugin_is_listed_and_run(hello_plugin, tmp_path):
    listing = run("plugins").stdout
    line = next(line for line in listing.splitlines() if line.startswith("hello.v2"))
    assert line.split() == ["hello.v2", "*", "hello", "toolkit-hello", "0.3.0", "third-party"]
    (tmp_path / "a.txt").write_text("Hello from the front line, the ministry said on Sunday.", encoding="utf-8")
    run("extract", tmp_path, "--out", tmp_path / "out", "--extractor", "hello")
    assert pl.read_parquet(tmp_path / "out" / "hello.parquet").select("text", "word").rows() == [("Hello", "hello")]
