"""Helpers for a plugin's unit tests: parse a sentence as a run would, and run one extractor on a
few sentences, with its setup, the other plugins' lexicon rows and the core's schema checks.

    from toolkit.testing import parse, run_extractor

    doc = parse("Trois soldats ont été tués.", "fr")
    rows = run_extractor("displacement", ["2 000 civils ont été évacués d'Alep."], lang="fr")
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from toolkit.claims import UnlinkedPartsWarning
from toolkit.corpus import Document
from toolkit.extractor import Extractor
from toolkit.nlp import load_pipeline
from toolkit.plugins import ToolkitPluginManager, get_plugin_manager
from toolkit.runner import extract

if TYPE_CHECKING:
    from spacy.tokens import Doc


def parse(text: str, lang: str, *, plugin_manager: ToolkitPluginManager | None = None) -> "Doc":
    """``text`` parsed by the full pipeline of ``lang`` that runs use (every analysis)."""
    return load_pipeline(lang, plugin_manager)(text)


def run_extractor(
    extractor: str | Extractor,
    texts: str | Iterable[str | Document],
    *,
    lang: str = "fr",
    published: date | str | None = None,
    plugin_manager: ToolkitPluginManager | None = None,
) -> pl.DataFrame:
    """The table of one extractor (a registered name or an ``Extractor``) over ``texts``: one
    sentence, several (each its own document, ``doc_id`` "0", "1"... in ``lang`` published on
    ``published``) or ``Document``s. A plugin error is raised, not recorded, so a test sees it."""
    if isinstance(texts, str):
        texts = [texts]
    documents = [
        text if isinstance(text, Document) else Document(doc_id=str(number), text=text, lang=lang, published=published)
        for number, text in enumerate(texts)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnlinkedPartsWarning)  # the table is wanted, not linked claims
        results = extract(documents, [extractor], strict=True, plugin_manager=plugin_manager or get_plugin_manager(strict=True))
    return results[extractor if isinstance(extractor, str) else extractor.name]
