"""Claims of human and material losses in French and English news, as polars tables."""

from toolkit.claims import link_claims
from toolkit.corpus import Document, iter_corpus, load_corpus
from toolkit.evaluate import Evaluation, evaluate
from toolkit.extractor import Extractor, ExtractorContext
from toolkit.lexicons import AliasMatcher, load_lexicon, read_tsv
from toolkit.nlp import doc_text, span_text
from toolkit.numbers import Quantity, find_counts, find_quantities, parse_count
from toolkit.output import scan_results
from toolkit.plugins import get_plugin_manager, hookimpl
from toolkit.results import Results
from toolkit.runner import extract, extract_to
from toolkit.schemas import SPAN_COLUMNS, SchemaError, table_schema

__all__ = [
    "AliasMatcher", "Document", "Evaluation", "Extractor", "ExtractorContext", "Quantity", "Results",
    "SPAN_COLUMNS", "SchemaError", "doc_text", "evaluate", "extract", "extract_to", "find_counts", "find_quantities",
    "get_plugin_manager", "hookimpl", "iter_corpus", "link_claims", "load_corpus", "load_lexicon", "parse_count",
    "read_tsv", "scan_results", "span_text", "table_schema",
]
