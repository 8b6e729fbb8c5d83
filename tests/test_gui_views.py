"""Gallery and gloss look-up views driven like a user, plus settings, translations and errors."""

from __future__ import annotations

import shutil

import pytest
from conftest import MIT_CLIP, QUERY_GLOSS, REPO, file_camera, lexical_aligner, make_store, need
from PySide6.QtCore import QLocale, Qt


@pytest.fixture
def own_gallery(gallery_dir, tmp_path):
    """A writable copy of the session gallery, so edits do not leak into other tests."""
    return shutil.copytree(gallery_dir, tmp_path / "gallery")


def _rows(view) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def test_gallery_filter_rename_delete(qtbot, make_window, own_gallery):
    window = make_window(own_gallery)
    view = window.gallery_view
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 4, timeout=20_000)
    assert "4" in window.gallery_label.text()
    qtbot.keyClicks(view.filter_edit, "obr")
    assert _rows(view) == ["OBRIGADO"]
    view.filter_edit.clear()
    view.language_combo.setCurrentIndex(view.language_combo.findData("ASL"))
    assert _rows(view) == [QUERY_GLOSS]
    view.language_combo.setCurrentIndex(0)

    view.table.selectRow(_rows(view).index("A"))
    qtbot.waitUntil(lambda: view.player_view.has_frame, timeout=10_000)  # skeleton replay
    with qtbot.waitSignal(window.gallery.changed, timeout=10_000):
        view.rename_selected("LETRA-A")
    assert "LETRA-A" in _rows(view)

    view.table.selectRow(_rows(view).index("B"))
    with qtbot.waitSignal(window.gallery.changed, timeout=10_000):
        view.delete_selected()
    assert "B" not in _rows(view) and len(_rows(view)) == 3


def test_add_current_recording_to_gallery(qtbot, make_window, own_gallery):
    window = make_window(own_gallery)
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=20_000)
    view = window.gallery_view
    assert not view.add_button.isEnabled()  # nothing recorded yet
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=60_000):
        window.search_view.open_file(need(MIT_CLIP))
    window.tabs.setCurrentWidget(view)
    view._update_buttons()
    assert view.add_button.isEnabled()
    with qtbot.waitSignal(window.gallery.changed, timeout=20_000):
        view.add_recording("MINHA-PESSOA", "ASL")
    assert "MINHA-PESSOA" in _rows(view)
    # searching again now finds the new entry among the best two
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=60_000) as got:
        window.search_controller.run_search()
    assert "MINHA-PESSOA" in [c.gloss for c in got.args[0][:2]]


def test_import_folder_with_progress(qtbot, make_window, own_gallery, tmp_path):
    window = make_window(own_gallery)
    view = window.gallery_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 4, timeout=20_000)
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(need(MIT_CLIP), folder / "pose_test_video_mit.mp4")  # same bytes: skipped
    (folder / "broken_xx_1.mp4").write_bytes(b"not a video")  # reported, import goes on
    with qtbot.waitSignal(window.gallery.changed, timeout=60_000):
        view.import_folder(folder)
    assert "skipped 1" in view.state_label.text() and "1 failed" in view.state_label.text()
    assert any("broken_xx_1.mp4" in m for m in window.banner.messages)
    assert view.progress.isHidden()


def test_gloss_look_up_links_entries(qtbot, make_window, gallery_dir):
    from signlookup.gui.services import Services

    services = Services(
        open_camera=file_camera(),
        list_cameras=lambda: [],
        open_aligner=lexical_aligner(),
    )
    window = make_window(gallery_dir, services=services)
    view = window.gloss_view
    window.tabs.setCurrentWidget(view)
    view.sentence.setText(
        "Minha amiga detesta passear no shopping."
    )  # keyClicks aborts on non-ASCII
    qtbot.keyClick(view.sentence, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.sequences), timeout=30_000)
    best = view.sequences[0]
    assert [t.gloss for t in best.tokens][:3] == ["AMIG@", "ME@", "DETESTAR"]
    assert view.entry_title.text() == "AMIG@"
    detest = best.tokens[2]
    view.show_entry(detest)
    assert detest.word_class == "VERBO" and detest.definition
    assert "VERBO" in view.entry_text.text()


def test_gloss_look_up_without_text_model_says_so(qtbot, make_window):
    from signlookup.gui.services import Services
    from signlookup.text import ModelMissingError

    def missing():
        raise ModelMissingError("no text index at /nowhere")

    window = make_window(services=Services(list_cameras=lambda: [], open_aligner=missing))
    view = window.gloss_view
    view.sentence.setText("Bom dia")
    view.look_up()
    qtbot.waitUntil(lambda: "text model is missing" in view.state_label.text(), timeout=10_000)
    assert any("text model is missing" in m for m in window.banner.messages)


def test_settings_persist_and_apply(qtbot, make_window, tmp_path):
    from signlookup.gui.settings import AppSettings

    window = make_window()
    window.apply_settings(window.settings.with_(top_k=3, mirror=True, camera_index=2))
    assert window.search_controller.settings.top_k == 3
    again = AppSettings.load(window.store)
    assert (again.top_k, again.mirror, again.camera_index) == (3, True, 2)


def test_settings_dialog_round_trip(qtbot):
    from signlookup.gui.settings import AppSettings
    from signlookup.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(top_k=5), cameras=[0, 1])
    qtbot.addWidget(dialog)
    dialog.top_k.setValue(12)
    dialog.mirror.setChecked(True)
    dialog.camera.setCurrentIndex(dialog.camera.findData(1))
    result = dialog.result_settings()
    assert (result.top_k, result.mirror, result.camera_index) == (12, True, 1)


def test_portuguese_is_the_default_on_a_portuguese_system(qapp):
    from signlookup.gui.app import TRANSLATIONS, ui_language

    assert ui_language("", QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)) == "pt"
    assert ui_language("", QLocale(QLocale.Language.German)) == "en"
    assert ui_language("en", QLocale(QLocale.Language.Portuguese)) == "en"
    assert (TRANSLATIONS / "signlookup_pt.qm").is_file()


def test_portuguese_translation_translates_the_window(qapp):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from signlookup.gui.app import TRANSLATIONS

    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "signlookup_pt.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("MainWindow", "&Sign search") != "&Sign search"
        assert QCoreApplication.translate("SearchView", "● Record (R)") == "● Gravar (R)"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_first_start_copies_the_demo_gallery(
    qtbot, make_window, gallery_dir, tmp_path, monkeypatch
):
    import signlookup.gui.main_window as main_window
    import signlookup.gui.settings as settings

    user_gallery = tmp_path / "user" / "gallery"
    monkeypatch.setattr(settings, "default_gallery_folder", lambda: user_gallery)
    monkeypatch.setattr(main_window, "demo_gallery_folder", lambda: gallery_dir)
    window = make_window(gallery="")  # no folder chosen: the user's copy of the demo
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=20_000)
    assert (user_gallery / "gallery.sqlite").is_file()
    assert window.gallery.size == 4


def test_run_app_shows_the_window_and_exits_cleanly(
    qtbot, qapp, gallery_dir, tmp_path, monkeypatch
):
    """The real entry point (what `signlookup` with no command runs), closed by a timer."""
    import sys
    import threading

    from PySide6.QtCore import QTimer

    import signlookup.gui.app as app_module
    from signlookup.gui import run_app
    from signlookup.gui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    store = make_store(tmp_path, gallery_folder=str(gallery_dir))
    monkeypatch.setattr(app_module, "default_store", lambda: store)
    seen: list[MainWindow] = []

    def close_when_loaded() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].gallery.searcher is not None:
            seen.append(windows[0])
            windows[0].close()
        else:
            QTimer.singleShot(100, close_when_loaded)

    QTimer.singleShot(100, close_when_loaded)
    assert run_app([]) == 0
    assert seen and not seen[0].search_controller._pose.isRunning()


def test_translations_are_up_to_date_and_complete():
    """Every tr() string is in the .ts files and translated to Portuguese (CI guard)."""
    import subprocess
    import sys

    script = REPO / "scripts" / "update_translations.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
