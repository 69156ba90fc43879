"""What produced a run: the toolkit's version, Python's, spaCy's and the pipelines that read the text."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.plugins import ToolkitPluginManager

DISTRIBUTION = "conflict-claims-toolkit"


def package_version(name: str) -> str | None:
    """The installed version of distribution or module ``name`` (None when not installed)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def versions(plugin_manager: "ToolkitPluginManager | None" = None) -> dict[str, Any]:
    """The versions an analysis depends on: the toolkit, Python, spaCy and, per language, the
    pipeline package a run would read it with (``None`` when none is installed)."""
    from toolkit.nlp import installed_package, supported_languages

    pipelines = {}
    for lang in sorted(supported_languages(plugin_manager)):
        name = installed_package(lang, plugin_manager)
        pipelines[lang] = None if name is None else f"{name} {package_version(name) or '?'}"
    return {
        "toolkit": package_version(DISTRIBUTION),
        "python": platform.python_version(),
        "spacy": package_version("spacy"),
        "pipelines": pipelines,
    }


def version_text(plugin_manager: "ToolkitPluginManager | None" = None) -> str:
    """``toolkit --version``: one line for the toolkit, one for what it reads text with."""
    found = versions(plugin_manager)
    pipelines = ", ".join(f"{lang}: {name or 'none installed'}" for lang, name in found["pipelines"].items())
    return f"{DISTRIBUTION} {found['toolkit']}\nPython {found['python']}, spaCy {found['spacy']}; pipelines {pipelines}"
