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
    """Return extra rows for the shared lexicon called ``name``, or an empty list.

    Lexicons are tab-separated data files shipped by the core or by a plugin (``actors``, for
    example, has columns ``canonical``, ``alias``, ``lang``, ``kind``). Returned rows use the
    same column names; they are appended after the file's rows, so a plugin can add aliases,
    terms or gazetteer entries without editing the files of another package.
    """
