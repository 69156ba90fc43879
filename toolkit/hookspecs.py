"""Hook specifications: everything a plugin, built-in or third-party, can contribute.

A plugin is a module or object with functions marked ``@toolkit.hookimpl`` whose names are those
below. It is found through the ``toolkit`` entry-point group::

    [project.entry-points.toolkit]
    my_plugin = "my_package.plugin"

Built-in plugins are registered through that same group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from spacy.language import Language

    from toolkit.extractor import Extractor

hookspec = pluggy.HookspecMarker("toolkit")


@hookspec
def toolkit_register_extractors() -> list["Extractor"]:
    """Return the extractors this plugin provides.

    Each ``Extractor`` names the table it writes (``name``), its ``version`` (bump it when its
    output changes), the languages it handles (``"*"`` for any), and the polars schema of every
    frame it returns, which must start with the span columns ``doc_id``, ``start``, ``end``,
    ``text``. The core checks every returned frame against that schema and reports the plugin by
    name when it does not match. Two extractors with the same name are an error reported for the
    later plugin; the first one registered is kept. ``needs`` declares what the extractor reads of
    the parse (``sentences``, ``parse``, ``tags``, ``lemmas``, ``entities``; all by default): a run
    skips the pipeline components that none of its extractors needs, so an extractor must not
    read annotations it did not declare.
    """


@hookspec
def toolkit_pipeline_packages() -> dict[str, list[str]]:
    """Return spaCy pipeline packages by language code, such as ``{"de": ["de_core_news_md"]}``.

    For each language the plugins' packages are tried before the core's, in order; the first one
    installed is used. A language named here is accepted by the corpus loader, so this is how a
    plugin adds a language. Return an empty dict to add nothing.
    """


@hookspec
def toolkit_configure_pipeline(nlp: "Language", lang: str) -> None:
    """Adjust the spaCy pipeline ``nlp`` of language ``lang`` once, right after it is loaded.

    Add components (an ``entity_ruler`` with patterns, a custom component) or settings. The same
    pipeline object is shared by every extractor, so a plugin must only add, never remove or
    replace, what others may rely on. Called once per pipeline and process.
    """


@hookspec
def toolkit_lexicon_entries(name: str) -> list[dict[str, Any]]:
    """Return rows that add to, replace or remove rows of the lexicon called ``name``, or an empty list.

    Lexicons are tab-separated data files shipped by the core (``toolkit/data/<name>.tsv``) or by
    a plugin (``actors``, for example, has columns ``canonical``, ``alias``, ``lang``, ``kind``).
    Returned rows use the same column names, with text values, and are applied in turn after the
    file's rows:

    - a row with ``"action": "remove"`` removes every row that has its values in the columns it
      gives (``{"action": "remove", "lang": "fr", "cue": "aurait"}``);
    - a row with the same key as rows of the lexicon replaces the first of them, in its place,
      and the others are dropped; the columns it leaves out keep their values;
    - any other row is added at the end.

    Values are compared without case, accents, apostrophes or hyphens. A lexicon's key columns
    are those of ``toolkit.lexicons.LEXICON_KEYS`` for the core's (``alias`` and ``lang`` for
    ``actors``, ``word`` and ``lang`` for ``number_words``...) and the ``key`` its owner gives
    ``ExtractorContext.lexicon`` for a plugin's; rows of a lexicon without a key are only added
    or removed.

    The rows reach every reader of the lexicon in the runs whose plugin manager holds the plugin,
    in every worker process: extractors' setups through ``ExtractorContext.lexicon``, and the
    core's own readers (number parser, modality, structure words, periods, demonyms,
    transliteration, the actors and theatres of the linker). Runs of another plugin manager, and
    the core's functions called outside a run, read the data files alone.
    """
