"""The plugin manager: built-in and third-party plugins, loaded through one entry-point group."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import types
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pluggy

from toolkit import hookspecs
from toolkit.extractor import Extractor

#: What a plugin may raise without stopping the run: any error, and ``sys.exit`` called from plugin
#: code (an interrupt from the keyboard still stops it).
PLUGIN_FAULTS = (Exception, SystemExit)


class PluginFault(RuntimeError):
    """With ``strict``, the first fault of a plugin: which extractor, which document, what error."""
GROUP = "toolkit"
BUILTIN_DISTRIBUTION = "conflict-claims-toolkit"

hookimpl = pluggy.HookimplMarker(GROUP)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginInfo:
    """Where a plugin comes from."""

    name: str
    distribution: str
    version: str
    builtin: bool
    error: str | None = None


class ToolkitPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers each plugin's origin and the plugins that failed to load."""

    def __init__(self, *, strict: bool = False) -> None:
        super().__init__(GROUP)
        self.strict = strict
        self.infos: dict[str, PluginInfo] = {}
        self._entry_points: set[str] = set()
        self.add_hookspecs(hookspecs)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """A manager travels to another process (a worker) as what rebuilds it there: plugins
        loaded from entry points by name, modules by name, other plugins as objects, in the
        order they were registered."""
        plugins: list[tuple[str, object, PluginInfo | None]] = []
        for name, plugin in self.list_name_plugin():
            if plugin is None:
                continue
            if name in self._entry_points:
                plugin = _EntryPoint(name)
            elif isinstance(plugin, types.ModuleType):
                plugin = _Module(plugin.__name__)
            plugins.append((name, plugin, self.infos.get(name)))
        return _rebuilt_manager, (self.strict, plugins)

    def register_plugin(
        self, plugin: object, name: str, *, distribution: str = "", version: str = "", builtin: bool = False
    ) -> bool:
        """Register ``plugin``; a plugin that fails to register is recorded, not fatal (unless strict)."""
        try:
            self.register(plugin, name=name)
            self.check_pending()
        except PLUGIN_FAULTS as exc:
            if self.is_registered(plugin):
                self.unregister(plugin)
            self._record_failure(name, distribution, version, builtin, exc)
            return False
        self.infos[name] = PluginInfo(name, distribution, version, builtin)
        return True

    def load_entry_points(self) -> None:
        """Load every plugin of the ``toolkit`` entry-point group, or only ``TOOLKIT_LOAD_PLUGINS``."""
        wanted = os.environ.get("TOOLKIT_LOAD_PLUGINS")
        allowed = {name.strip() for name in wanted.split(",") if name.strip()} if wanted is not None else None
        for entry_point in sorted(metadata.entry_points(group=GROUP), key=lambda ep: ep.name):
            if allowed is not None and entry_point.name not in allowed:
                continue
            if self.has_plugin(entry_point.name):
                continue
            dist = entry_point.dist
            dist_name = dist.metadata["Name"] if dist is not None else ""
            version = dist.version if dist is not None else ""
            builtin = dist_name == BUILTIN_DISTRIBUTION
            try:
                plugin = entry_point.load()
            except PLUGIN_FAULTS as exc:
                self._record_failure(entry_point.name, dist_name, version, builtin, exc)
                continue
            if self.register_plugin(plugin, entry_point.name, distribution=dist_name, version=version, builtin=builtin):
                self._entry_points.add(entry_point.name)

    def extractors(self) -> dict[str, Extractor]:
        """Every registered extractor by table name; a plugin whose hook raises is reported and skipped."""
        found: dict[str, Extractor] = {}
        for impl in self.hook.toolkit_register_extractors.get_hookimpls():
            # each plugin's implementation called through pluggy (traced, as every hook is), alone,
            # so that one that raises is reported and the others still register
            others = [plugin for plugin in self.get_plugins() if plugin is not impl.plugin]
            call = self.subset_hook_caller("toolkit_register_extractors", remove_plugins=others)
            try:
                provided = [extractor for batch in call() for extractor in batch or []]
                for extractor in provided:
                    if not isinstance(extractor, Extractor):
                        raise TypeError(f"returned {type(extractor).__name__}, not an Extractor")
            except PLUGIN_FAULTS as exc:
                self._record_failure(impl.plugin_name, *self._origin(impl.plugin_name), exc)
                continue
            for extractor in provided:
                extractor.plugin = impl.plugin_name
                if extractor.name in found:
                    self._record_failure(
                        impl.plugin_name,
                        *self._origin(impl.plugin_name),
                        ValueError(f"extractor {extractor.name!r} is already provided by {found[extractor.name].plugin}"),
                    )
                    continue
                found[extractor.name] = extractor
        return found

    @property
    def failures(self) -> dict[str, str]:
        """Plugin name -> why it could not be loaded or used."""
        return {name: info.error for name, info in self.infos.items() if info.error}

    def _origin(self, name: str) -> tuple[str, str, bool]:
        info = self.infos.get(name)
        return (info.distribution, info.version, info.builtin) if info else ("", "", False)

    def _record_failure(self, name: str, distribution: str, version: str, builtin: bool, exc: Exception) -> None:
        if self.strict:
            raise exc
        message = f"{type(exc).__name__}: {exc}"
        logger.warning("plugin %s could not be used: %s", name, message)
        self.infos[name] = PluginInfo(name, distribution, version, builtin, error=message)


@dataclass(frozen=True)
class _EntryPoint:
    name: str


@dataclass(frozen=True)
class _Module:
    name: str


def _rebuilt_manager(strict: bool, plugins: list[tuple[str, object, PluginInfo | None]]) -> ToolkitPluginManager:
    manager = ToolkitPluginManager(strict=strict)
    for name, recipe, info in plugins:
        origin = (info.distribution, info.version, info.builtin) if info else ("", "", False)
        try:
            plugin = _made(name, recipe)
        except PLUGIN_FAULTS as exc:
            manager._record_failure(name, *origin, exc)
            continue
        registered = manager.register_plugin(plugin, name, distribution=origin[0], version=origin[1], builtin=origin[2])
        if registered and isinstance(recipe, _EntryPoint):
            manager._entry_points.add(name)
    return manager


def _made(name: str, recipe: object) -> object:
    if isinstance(recipe, _EntryPoint):
        found = metadata.entry_points(group=GROUP, name=name)
        if not found:
            raise LookupError(f"entry point {name!r} is not installed in this environment")
        return next(iter(found)).load()
    if isinstance(recipe, _Module):
        return importlib.import_module(recipe.name)
    return recipe


def get_plugin_manager(*, strict: bool = False, load_entry_points: bool = True) -> ToolkitPluginManager:
    """Build a plugin manager with every installed plugin (built-ins included) registered.

    ``strict`` re-raises plugin errors instead of recording them, for plugin authors.
    ``TOOLKIT_LOAD_PLUGINS=a,b`` restricts loading to the named entry points (empty: none);
    ``TOOLKIT_TRACE_PLUGINS=1`` prints every hook call on stderr.
    """
    manager = ToolkitPluginManager(strict=strict)
    if load_entry_points:
        manager.load_entry_points()
    if os.environ.get("TOOLKIT_TRACE_PLUGINS"):
        manager.trace.root.setwriter(lambda message: print(message, end="", file=sys.stderr))
        manager.enable_tracing()
    return manager
