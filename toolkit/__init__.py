"""Claims of human and material losses in French and English news, as polars tables."""

from toolkit.about import versions
from toolkit.claims import link_claims
from toolkit.corpus import Document, iter_corpus, load_corpus
from toolkit.evaluate import Evaluation, evaluate
from toolkit.events import compare, trace
from toolkit.extractor import Extractor, ExtractorContext
from toolkit.figures import FIGURE_COLUMNS, Figure, cue_values, figure_columns, find_figures, sentence_spans
from toolkit.geo import distance_km
from toolkit.lexicons import DATA_DIR, AliasMatch, AliasMatcher, demonyms, fold, fold_in_place, fold_key, load_lexicon, read_tsv, transliteration_key
from toolkit.nlp import UndeclaredAnalysisError, doc_text, span_text
from toolkit.numbers import Quantity, find_counts, find_quantities, parse_count
from toolkit.output import scan_results
from toolkit.periods import Period, find_periods
from toolkit.plugins import get_plugin_manager, hookimpl
from toolkit.results import Results
from toolkit.runner import extract, extract_to
from toolkit.schemas import SPAN_COLUMNS, SchemaError, table_schema
from toolkit.structure import CountedHead, Governor, counted_head, governing_predicate, noun_phrase
from toolkit.workspace import copy_notebooks, sample_corpus, sample_gold

__all__ = [
    "DATA_DIR", "FIGURE_COLUMNS", "AliasMatch", "AliasMatcher", "Period", "demonyms", "find_periods", "fold", "fold_in_place", "fold_key",
    "sentence_spans", "transliteration_key", "copy_notebooks", "sample_corpus", "sample_gold", "versions",
    "CountedHead", "Document", "Evaluation", "Extractor", "ExtractorContext",
    "Governor", "Figure", "Quantity", "Results", "SPAN_COLUMNS", "SchemaError", "counted_head", "compare", "cue_values", "distance_km", "doc_text",
    "evaluate", "extract", "extract_to", "figure_columns", "find_counts", "find_figures", "find_quantities",
    "UndeclaredAnalysisError", "get_plugin_manager", "governing_predicate", "hookimpl", "iter_corpus", "link_claims", "load_corpus",
    "load_lexicon", "noun_phrase", "parse_count", "read_tsv", "scan_results", "span_text", "table_schema", "trace",
]
