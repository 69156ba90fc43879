import polars as pl
import pytest
from pluggy import PluginValidationError

from toolkit import Extractor, extract, hookimpl, load_corpus, table_schema
from toolkit.plugins import PluginFault, get_plugin_manager


class Broken:
    @hookimpl
    def toolkit_register_extractors(self):
        raise RuntimeError("cannot start")


class UnknownHook:
    @hookimpl
    def toolkit_no_such_hook(self):
        return []


def _extractor(name, extract_function, schema=None):
    class Plugin:
        @hookimpl
        def toolkit_register_extractors(self):
            return [Extractor(name=name, version=1, languages={"fr", "en"},
                              schema=schema or table_schema({"n": pl.Int64()}), extract=extract_function)]
    return Plugin()


def test_broken_plugins_are_reported_not_fatal(manager):
    manager.register_plugin(Broken(), "broken")
    manager.register_plugin(UnknownHook(), "unknown")
    assert list(manager.extractors()) == ["figures"]
    assert "cannot start" in manager.failures["broken"]
    assert "toolkit_no_such_hook" in manager.failures["unknown"]


def test_a_plugin_calling_sys_exit_is_a_reported_fault(manager, tmp_path):
    import sys

    (tmp_path / "a.txt").write_text("Trois soldats ont été tués.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Five soldiers were killed on Sunday.", encoding="utf-8")

    def leave(doc, document):
        if document.doc_id == "a":
            sys.exit(3)
        return []

    class ExitsOnRegister:
        @hookimpl
        def toolkit_register_extractors(self):
            sys.exit(4)

    manager.register_plugin(ExitsOnRegister(), "exits")
    manager.register_plugin(_extractor("quitter", leave), "quitter")
    results = extract(load_corpus(tmp_path), plugin_manager=manager)
    assert results.errors.select("doc_id", "extractor", "error").rows() == [("a", "quitter.v1", "SystemExit")]
    assert sorted(results.documents["doc_id"]) == ["a", "b"]
    assert "exits" in manager.failures


def test_strict_mode_reraises():
    pm = get_plugin_manager(strict=True, load_entry_points=False)
    with pytest.raises(PluginValidationError, match="toolkit_no_such_hook"):
        pm.register_plugin(UnknownHook(), "unknown")


def test_extractor_error_is_recorded_and_run_goes_on(manager, tmp_path):
    (tmp_path / "a.txt").write_text("Trois soldats ont été tués. Boum.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Five soldiers were killed on Sunday near the border.", encoding="utf-8")

    def explode(doc, document):
        if "Boum" in doc.text:
            raise ValueError("boum")
        return []

    manager.register_plugin(_extractor("fragile", explode), "fragile")
    results = extract(load_corpus(tmp_path), plugin_manager=manager)
    assert results.errors.select("doc_id", "extractor", "message").rows() == [("a", "fragile.v1", "boum")]
    assert results["figures"].height == 2
    assert results["fragile"].schema == table_schema({"n": pl.Int64()})
    with pytest.raises(PluginFault, match=r"extractor fragile.v1 \(plugin fragile\) failed on document 'a': ValueError: boum") as raised:
        extract(load_corpus(tmp_path), ["fragile"], plugin_manager=manager, strict=True)
    assert isinstance(raised.value.__cause__, ValueError)  # the plugin's own traceback is kept


def test_schema_violation_names_the_plugin(manager, tmp_path):
    (tmp_path / "a.txt").write_text("Trois soldats ont été tués dans la nuit.", encoding="utf-8")
    manager.register_plugin(_extractor("sloppy", lambda doc, d: [{"start": 0, "end": 1, "text": "T", "surprise": 1}]), "sloppy-plugin")
    manager.register_plugin(
        _extractor("wrongtype", lambda doc, d: pl.DataFrame({"start": [0], "end": [1], "text": ["T"], "n": ["x"]})), "wrong-plugin")
    results = extract(load_corpus(tmp_path), ["sloppy", "wrongtype"], plugin_manager=manager)
    messages = dict(results.errors.select("extractor", "message").rows())
    assert "sloppy-plugin" in messages["sloppy.v1"] and "surprise" in messages["sloppy.v1"]
    assert "wrong-plugin" in messages["wrongtype.v1"] and "'n'" in messages["wrongtype.v1"]


def test_duplicate_extractor_name_keeps_first(manager):
    manager.register_plugin(_extractor("figures", lambda doc, d: []), "impostor")
    assert manager.extractors()["figures"].plugin == "counts"
    assert "already provided" in manager.failures["impostor"]


def test_extractor_declares_span_columns():
    with pytest.raises(ValueError, match="span column"):
        Extractor(name="bad", version=1, languages={"fr"}, schema=pl.Schema({"x": pl.Int64()}), extract=lambda d, doc: [])


def test_load_plugins_env_restricts(monkeypatch):
    monkeypatch.setenv("TOOLKIT_LOAD_PLUGINS", "")
    assert get_plugin_manager().extractors() == {}


def test_lexicon_entries_hook(manager):
    class Aliases:
        @hookimpl
        def toolkit_lexicon_entries(self, name):
            return [{"canonical": "Wagner", "alias": "PMC Wagner"}] if name == "testlex" else []

    manager.register_plugin(Aliases(), "aliases")
    from toolkit import load_lexicon

    rows = load_lexicon("testlex", rows=[{"canonical": "ISIS", "alias": "Daech"}], plugin_manager=manager)
    assert [row["canonical"] for row in rows] == ["ISIS", "Wagner"]


def test_registering_extractors_goes_through_pluggy(manager):
    called = []
    undo = manager.add_hookcall_monitoring(lambda name, impls, kwargs: called.append(name), lambda outcome, name, impls, kwargs: None)
    try:
        assert manager.extractors()
    finally:
        undo()
    assert "toolkit_register_extractors" in called


def test_reading_an_analysis_the_extractor_did_not_declare_is_reported():
    from toolkit import AliasMatcher, Document, Extractor, extract, find_figures, table_schema

    def figures(doc, document):
        find_figures(doc, document.lang, terms=AliasMatcher(), cues=AliasMatcher())
        return []

    extractor = Extractor(name="undeclared", version=1, languages={"en"}, schema=table_schema({}), extract=figures, needs=frozenset({"sentences"}))
    results = extract([Document(doc_id="d", text="Troops killed 12 militants.", lang="en")], [extractor])
    messages = results.errors["message"].to_list()
    assert len(messages) == 1 and "find_figures reads lemmas, parse, tags of the parse" in messages[0] and "needs" in messages[0]
    declared = Extractor(name="declared", version=1, languages={"en"}, schema=table_schema({}), extract=figures,
                         needs=frozenset({"sentences", "parse", "tags", "lemmas"}))
    assert extract([Document(doc_id="d", text="Troops killed 12 militants.", lang="en")], [declared]).errors.height == 0
