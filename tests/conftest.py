from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from toolkit import Extractor, find_counts, hookimpl, table_schema
from toolkit.plugins import get_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds"

COUNT_SCHEMA = table_schema({"count_min": pl.Int64(), "qualifier": pl.String()})


def _counts(doc, document):
    return [
        {"start": q.start, "end": q.end, "text": q.text, "count_min": q.count_min, "qualifier": q.qualifier}
        for q in find_counts(doc.text, document.lang)
    ]


class CountsPlugin:
    """A plugin defined in code: every countable figure."""

    @hookimpl
    def toolkit_register_extractors(self):
        return [Extractor(name="figures", version=1, languages={"fr", "en"}, schema=COUNT_SCHEMA, extract=_counts)]


# Fixtures that parse a corpus for seconds (module, fixture): the tests that need one are slow.
CORPUS_FIXTURES = {
    ("test_claims", "claims"), ("test_claims", "seed_results"), ("test_attribution", "case_results"), ("test_geography", "places"),
    ("test_explore", "relays"), ("test_explore", "seed_results"), ("test_figure_plugins", "results"), ("test_reviews", "extracted"),
}


def pytest_collection_modifyitems(items):
    """Mark the notebook cells that nbval collects (``--nbval-lax`` in pyproject.toml) as ``notebooks``,
    and the tests that need a fixture of ``CORPUS_FIXTURES`` as ``slow``."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
        elif any((item.path.stem, name) in CORPUS_FIXTURES for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def manager():
    """A plugin manager with only the in-code test plugin."""
    pm = get_plugin_manager(load_entry_points=False)
    pm.register_plugin(CountsPlugin(), "counts")
    return pm


def score_row(gold: Path, corpus: Path, extractor: str, table: str) -> dict:
    """The evaluation row of ``table`` after running ``extractor`` on ``corpus``."""
    from toolkit import evaluate, extract, load_corpus

    scores = evaluate(gold, extract(load_corpus(corpus), [extractor])).scores
    return scores.filter(scores["table"] == table).to_dicts()[0]


@pytest.fixture(scope="session")
def seed_results():
    """Every installed extractor run once over the bundled seeds."""
    from toolkit import extract, load_corpus

    return extract(load_corpus(SEEDS))
