"""The main window: assembles the views, the status bar, menus and the error banner.

It owns the shared pieces (job runner, gallery handle, settings) and shuts every worker down
in ``closeEvent``; each view's flow lives in the view and its controller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from signlookup.gui.errors import error_route
from signlookup.gui.search_controller import SearchController
from signlookup.gui.search_view import SearchView
from signlookup.gui.services import GalleryHandle, Services
from signlookup.gui.settings import AppSettings, demo_gallery_folder
from signlookup.gui.settings_dialog import SettingsDialog
from signlookup.gui.workers import JobRunner
from signlookup.resources import resource

GEOMETRY_VERSION = 1


class MessageBanner(QFrame):
    """A dismissable line at the top of the window: the place every error is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.messages = []
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss message"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    #: Every message shown since start (newest last); the banner shows the newest.
    messages: list[str]

    def show_message(self, text: str, is_error: bool = True) -> None:
        self.messages.append(text)
        colour, border = ("#fdecea", "#e63946") if is_error else ("#fff8e1", "#f4a261")
        self.setStyleSheet(
            f"#banner {{ background: {colour}; border: 1px solid {border}; border-radius: 6px; }}"
            " QLabel { color: #1d232a; }"
        )
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class MainWindow(QMainWindow):
    def __init__(self, store: QSettings, services: Services | None = None) -> None:
        super().__init__()
        self.store = store
        self.services = services or Services()
        self.settings = AppSettings.load(store)
        self.jobs = JobRunner()
        self.cameras: list[int] = []
        self.setWindowTitle("signlookup")
        icon = resource("icons", "signlookup.svg")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))

        self.gallery = GalleryHandle(self.services, self.jobs)
        self.search_controller = SearchController(
            self.services, self.gallery, self.jobs, self.settings
        )
        self.search_view = SearchView(self.search_controller)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.search_view, self.tr("&Sign search"))
        self._add_optional_views()

        self.banner = MessageBanner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._build_menus()
        self._wire()
        self._restore_geometry()
        QTimer.singleShot(0, self._start_loading)

    def _add_optional_views(self) -> None:
        """Gallery and gloss views (added by their modules when present)."""
        from signlookup.gui.gallery_view import GalleryView
        from signlookup.gui.gloss_view import GlossView

        self.gallery_view = GalleryView(self.gallery, self.jobs, self.search_controller)
        self.gloss_view = GlossView(self.services, self.jobs, self.gallery)
        self.tabs.addTab(self.gallery_view, self.tr("&Gallery"))
        self.tabs.addTab(self.gloss_view, self.tr("G&loss look-up"))

    # --- chrome --------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.source_label = QLabel(self.tr("No source"))
        self.fps_label = QLabel("")
        self.model_label = QLabel(self.tr("Loading pose model…"))
        self.gallery_label = QLabel(self.tr("Loading gallery…"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        for w in (self.source_label, self.fps_label, self.model_label, self.gallery_label):
            bar.addPermanentWidget(w)
        bar.addWidget(self.progress)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_action = QAction(self.tr("&Open video…"), self)
        open_action.triggered.connect(self.search_view.choose_file)
        file_menu.addAction(open_action)
        settings_action = QAction(self.tr("&Settings…"), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.edit_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for i in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(i).replace("&", ""), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About signlookup"), self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "signlookup",
                self.tr(
                    "signlookup: a reverse dictionary for sign languages.\n"
                    "Sign into the camera or open a video to find the most similar signs."
                ),
            )
        )
        help_menu.addAction(about)

    def _wire(self) -> None:
        self.search_view.add_to_gallery_requested.connect(self._add_recording_to_gallery)
        route = error_route()
        route.message.connect(self.banner.show_message)
        c = self.search_controller
        c.error.connect(lambda exc: route.report(exc, "search"))
        c.source_opened.connect(
            lambda name, fps: (self.source_label.setText(name), self.banner.hide())
        )
        c.fps_measured.connect(
            lambda fps: self.fps_label.setText(self.tr("%1 fps").replace("%1", f"{fps:.0f}"))
        )
        c.pose_model_ready.connect(self._on_pose_model)
        c.pose_model_failed.connect(lambda: self.model_label.setText(self.tr("No pose model")))
        self.gallery.loading.connect(
            lambda _f: self.gallery_label.setText(self.tr("Loading gallery…"))
        )
        self.gallery.progress.connect(self._on_progress)
        self.gallery.changed.connect(self._update_gallery_label)
        self.gallery.loaded.connect(lambda _s: (self.progress.hide(), self._update_gallery_label()))
        self.gallery.failed.connect(self._on_gallery_failed)

    def _open_gallery(self) -> None:
        seed = None if self.settings.gallery_folder else demo_gallery_folder()
        self.gallery.open(self.settings.gallery_path, seed)

    def _add_recording_to_gallery(self) -> None:
        self.tabs.setCurrentWidget(self.gallery_view)
        self.gallery_view.add_recording()

    def _start_loading(self) -> None:
        self._open_gallery()

        def probe(_cancel: threading.Event, _p: Callable[[int, int], None]) -> list[int]:
            return self.services.list_cameras()

        self.jobs.start(probe, self._on_cameras, lambda exc: error_route().report(exc, "cameras"))

    def _on_cameras(self, cameras: list[int]) -> None:
        self.cameras = cameras
        self.search_view.set_cameras(cameras, self.settings.camera_index)

    def _on_pose_model(self, name: str) -> None:
        self.model_label.setText(name)
        self._update_gallery_label()

    def _on_progress(self, done: int, total: int, _what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(done < total)

    def _update_gallery_label(self) -> None:
        size = self.gallery.size
        if size is None:
            return
        model = self.gallery.model_name
        self.gallery_label.setText(self.tr("Gallery: %n sign(s)", "", size))
        if model:
            pose = self.model_label.text().split(" · ")[0]
            self.model_label.setText(f"{pose} · {model}")

    def _on_gallery_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.gallery_label.setText(self.tr("No gallery"))
        error_route().report(exc, "gallery")

    # --- settings ----------------------------------------------------------------------------

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.cameras, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, settings: AppSettings) -> None:
        old, self.settings = self.settings, settings
        settings.save(self.store)
        self.search_controller.apply_settings(settings)
        if settings.gallery_path != old.gallery_path:
            self._open_gallery()
        if settings.camera_index != old.camera_index:
            self.search_view.set_cameras(self.cameras, settings.camera_index)

    # --- geometry and shutdown ------------------------------------------------------------

    def _restore_geometry(self) -> None:
        if int(self.store.value("window/version", 0) or 0) == GEOMETRY_VERSION:
            geometry = self.store.value("window/geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
            state = self.store.value("window/splitter")
            if state is not None:
                self.search_view.splitter.restoreState(state)
            self.tabs.setCurrentIndex(int(self.store.value("window/tab", 0) or 0))
        else:
            self.resize(1280, 820)

    def _save_geometry(self) -> None:
        self.store.setValue("window/version", GEOMETRY_VERSION)
        self.store.setValue("window/geometry", self.saveGeometry())
        self.store.setValue("window/splitter", self.search_view.splitter.saveState())
        self.store.setValue("window/tab", self.tabs.currentIndex())
        self.store.sync()

    def shutdown(self) -> None:
        """Stop and join every worker; safe to call twice (closeEvent and aboutToQuit)."""
        self.search_view.shutdown()
        for view in (getattr(self, "gallery_view", None), getattr(self, "gloss_view", None)):
            if view is not None:
                view.shutdown()
        self.jobs.stop_all()
        self.gallery.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        self.settings.save(self.store)
        self.shutdown()
        event.accept()
