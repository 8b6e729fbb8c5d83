"""Start-up order: GIL-holding native imports happen behind the splash, before the event loop,
and model loads in workers run with the cyclic GC paused (no timing asserts: the benchmark
benchmarks/gui_responsiveness.py measures the stalls)."""

from __future__ import annotations

import gc

import pytest


def test_preload_imports_each_module_in_order_and_skips_broken_ones():
    from signlookup.gui.app import preload_modules

    imported: list[str] = []

    def importer(name: str) -> object:
        imported.append(name)
        if name == "broken":
            raise ImportError("no module named broken")
        return object()

    loaded = preload_modules(["first", "broken", "second"], importer=importer)

    assert imported == ["first", "broken", "second"]
    assert loaded == ["first", "second"]


def test_torch_is_preloaded():
    """torch._C's native start-up is what froze the window from a worker (issue 21)."""
    from signlookup.gui.app import PRELOAD_MODULES

    assert "torch" in PRELOAD_MODULES


def test_run_app_preloads_behind_the_splash_before_the_window_and_event_loop(qapp, monkeypatch):
    import signlookup.gui.app as app_module
    import signlookup.gui.services as services
    from signlookup.gui import run_app

    events: list[str] = []

    class FakeSplash:
        def close(self) -> None:
            events.append("splash closed")

    class FakeWindow:
        def shutdown(self) -> None:
            pass

        def show(self) -> None:
            events.append("window shown")

    def fake_splash(_app: object) -> FakeSplash:
        events.append("splash shown")
        return FakeSplash()

    def fake_preload() -> list[str]:
        events.append("preloaded")
        return []

    def fake_encoder() -> None:
        events.append("encoder loaded")

    def fake_window(_store: object) -> FakeWindow:
        events.append("window built")
        return FakeWindow()

    def fake_exec() -> int:
        events.append("event loop")
        return 0

    monkeypatch.setattr(app_module, "show_splash", fake_splash)
    monkeypatch.setattr(app_module, "preload_modules", fake_preload)
    monkeypatch.setattr(app_module, "create_main_window", fake_window)
    monkeypatch.setattr(services, "preload_sign_encoder", fake_encoder)
    monkeypatch.setattr(app_module, "default_store", lambda: None)
    monkeypatch.setattr(app_module, "install_ui_language", lambda _store: events.append("language"))
    monkeypatch.setattr(qapp, "exec", fake_exec)

    assert run_app(["signlookup"]) == 0
    assert events == [
        "language",
        "splash shown",
        "preloaded",
        "encoder loaded",
        "window built",
        "window shown",
        "splash closed",
        "event loop",
    ]


def test_a_preloaded_sign_encoder_is_the_one_galleries_open_with(monkeypatch, tmp_path):
    import signlookup.gui.services as services
    from signlookup.search import Searcher

    encoder = object()
    opened_with: list[object] = []
    monkeypatch.setattr(services, "_preloaded_encoders", {})
    monkeypatch.setattr("signlookup.search.default_embedder", lambda: encoder)
    monkeypatch.setattr(
        Searcher,
        "open",
        classmethod(
            lambda _cls, _folder, embedder=None, progress=None: opened_with.append(embedder)
        ),
    )

    services._open_searcher(tmp_path, lambda *_a: None)  # nothing preloaded: Searcher's default
    services.preload_sign_encoder()
    services._open_searcher(tmp_path, lambda *_a: None)

    assert opened_with == [None, encoder]


def test_a_broken_sign_encoder_is_left_to_the_gallery_worker_to_report(monkeypatch):
    import signlookup.gui.services as services
    from signlookup.encoder.bundle import ModelBundleError

    def broken() -> object:
        raise ModelBundleError("sign_encoder.pt does not match its sidecar")

    monkeypatch.setattr(services, "_preloaded_encoders", {})
    monkeypatch.setattr("signlookup.search.default_embedder", broken)

    services.preload_sign_encoder()  # no exception before the window exists

    assert services._preloaded_encoders == {}


def test_splash_is_shown_with_a_loading_message(qapp):
    from signlookup.gui.app import show_splash

    splash = show_splash(qapp)
    try:
        assert splash.isVisible()
        assert not splash.pixmap().isNull()  # the message is painted into it
    finally:
        splash.close()


@pytest.fixture
def collector_on():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_collection_paused_nests_and_freezes_what_loaded(collector_on):
    from signlookup.gui.workers import collection_paused

    frozen_before = gc.get_freeze_count()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load is still running
        loaded = [[i] for i in range(1000)]  # container objects a collection would walk
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(loaded)


def test_collection_paused_restores_the_collector_after_a_failed_load(collector_on):
    from signlookup.gui.workers import collection_paused

    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("model missing")
    assert gc.isenabled()


def test_collection_paused_leaves_a_disabled_collector_disabled(collector_on):
    from signlookup.gui.workers import collection_paused

    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_the_text_model_loads_with_the_collector_paused(qtbot, make_window, collector_on):
    from signlookup.gui.services import Services
    from signlookup.text import ModelMissingError

    seen: list[bool] = []

    def model() -> object:
        seen.append(gc.isenabled())
        raise ModelMissingError("no text index at /nowhere")

    window = make_window(services=Services(list_cameras=lambda: [], open_aligner=model))
    view = window.gloss_view
    view.sentence.setText("Bom dia")
    view.look_up()
    qtbot.waitUntil(lambda: "text model is missing" in view.state_label.text(), timeout=10_000)
    assert seen == [False]


def test_showing_the_gloss_view_starts_loading_the_text_model_once(qtbot, make_window):
    """The user types while it loads, instead of waiting after pressing Enter."""
    from signlookup.gui.services import Services
    from signlookup.text import ModelMissingError

    calls: list[int] = []

    def model() -> object:
        calls.append(1)
        raise ModelMissingError("no text index at /nowhere")

    window = make_window(services=Services(list_cameras=lambda: [], open_aligner=model))
    view = window.gloss_view
    assert calls == []  # not at start: the search view is the one shown
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: "text model is missing" in view.state_label.text(), timeout=10_000)
    window.tabs.setCurrentWidget(window.search_view)
    window.tabs.setCurrentWidget(view)
    qtbot.wait(50)
    assert calls == [1]  # once, not on every visit
