"""The main window: assembles the views, the status bar, menus and the error banner.

It owns the shared pieces (job runner, gallery handle, settings) and shuts every worker down
in ``closeEvent``; each view's flow lives in the view and its controller.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from signlookup.gui.errors import error_route
from signlookup.gui.favourites import Favourites
from signlookup.gui.search_controller import SearchController
from signlookup.gui.search_view import SearchView
from signlookup.gui.services import GalleryHandle, Services
from signlookup.gui.settings import AppSettings, demo_gallery_folder
from signlookup.gui.settings_dialog import SettingsDialog
from signlookup.gui.workers import (
    CancelToken,
    Progress,
    RequestWorker,
    TaskPool,
    freeze_loaded_objects,
    join_retired,
)
from signlookup.resources import resource

GEOMETRY_VERSION = 2
#: The window fits a 1366x768 laptop screen with its panel (about 1366x720 usable).
MIN_SIZE = (1000, 640)
DEFAULT_SIZE = (1280, 800)
#: Longest the window waits for each group of workers when it closes.
CLOSE_TIMEOUT_MS = 3000
#: Start loading models and the gallery after this long even if the window never paints.
LOAD_FALLBACK_MS = 1000


class MessageBanner(QFrame):
    """A dismissable line at the top of the window: the place every error is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.messages = []
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.hide()
        self.action_button.clicked.connect(self._run_action)
        self._action: Callable[[], None] | None = None
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss message"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.hide()

    #: Every message shown since start (newest last); the banner shows the newest.
    messages: list[str]

    @Slot(str, bool)
    def show_message(self, text: str, is_error: bool = True) -> None:
        self._set_action(None, None)
        self._show(text, ("#fdecea", "#e63946") if is_error else ("#fff8e1", "#f4a261"))

    def show_info(self, text: str, action_text: str, action: Callable[[], None]) -> None:
        """A neutral message with one button (e.g. "Deleted X." with "Undo")."""
        self._set_action(action_text, action)
        self._show(text, ("#e8f4f8", "#2a9d8f"))

    def _set_action(self, text: str | None, action: Callable[[], None] | None) -> None:
        self._action = action
        self.action_button.setText(text or "")
        self.action_button.setVisible(action is not None)

    def _run_action(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    def _show(self, text: str, colours: tuple[str, str]) -> None:
        self.messages.append(text)
        colour, border = colours
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
        #: everything that touches the gallery, in order (newest search wins)
        self.requests = RequestWorker()
        #: short independent jobs (analysis, match preparation, text model)
        self.pool = TaskPool(max_threads=2, parent=self)
        self.cameras: list[int] | None = None
        self._closed = False
        self.setWindowTitle("signlookup")
        icon = resource("icons", "signlookup.svg")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))

        self.gallery = GalleryHandle(self.services, self.requests)
        self.search_controller = SearchController(
            self.services, self.gallery, self.pool, self.settings
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
        self.favourites = Favourites(store, self.gallery)
        for widget in (
            self.search_view.favourite_button,
            self.search_view.favourites_combo,
            self.gallery_view.favourite_button,
        ):
            widget.bind(self.favourites)
        self._build_status_bar()
        self._build_menus()
        self._wire()
        self._restore_geometry()
        self._loading_started = False
        # Models and the gallery load once the window has painted (their imports hold the GIL
        # in long native stretches); the timer starts them anyway if it is never painted.
        self.installEventFilter(self)
        QTimer.singleShot(LOAD_FALLBACK_MS, self._start_loading)

    def _add_optional_views(self) -> None:
        """Gallery and gloss views (added by their modules when present)."""
        from signlookup.gui.gallery_view import GalleryView
        from signlookup.gui.gloss_view import GlossView

        self.gallery_view = GalleryView(self.gallery, self.pool, self.search_controller)
        self.gloss_view = GlossView(self.services, self.pool, self.gallery)
        self.tabs.addTab(self.gallery_view, self.tr("&Gallery"))
        self.tabs.addTab(self.gloss_view, self.tr("G&loss look-up"))

    # --- chrome --------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.source_label = QLabel(self.tr("No source"))
        self.fps_label = QLabel("")
        self.model_label = QLabel(self.tr("Loading pose model…"))
        self.gallery_label = QLabel(self.tr("Loading gallery…"))
        for label in (self.source_label, self.model_label, self.gallery_label):
            label.setMaximumWidth(320)  # a long file name must not widen the window
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
        add_video = QAction(self.tr("&Add a video file to the gallery…"), self)
        add_video.triggered.connect(self._add_video_to_gallery)
        file_menu.addAction(add_video)
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
        how_to = QAction(self.tr("&How to use signlookup"), self)
        how_to.setShortcut(QKeySequence.StandardKey.HelpContents)
        how_to.triggered.connect(self.show_help)
        help_menu.addAction(how_to)
        about = QAction(self.tr("&About signlookup"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_help(self) -> None:
        QMessageBox.information(
            self,
            self.tr("How to use signlookup"),
            self.tr(
                "<b>Sign search</b>: start the camera (or open a video file), press Record (R), "
                "sign once, press R again. The most similar dictionary signs appear below; "
                "click one to play it next to yours. Drag the shaded span in the hand-motion "
                "plot to trim your recording.<br><br>"
                "<b>Gallery</b>: the signs you search in. Add your recording or a video file, "
                "rename or delete entries (a deletion can be undone).<br><br>"
                "<b>Gloss look-up</b>: type a Portuguese sentence to see how the dictionary's "
                "closest example sentences are written in Libras glosses."
            ),
        )

    def show_about(self) -> None:
        import PySide6

        from signlookup import __version__

        QMessageBox.about(
            self,
            self.tr("About signlookup"),
            self.tr(
                "<b>signlookup %1</b>: a reverse dictionary for sign languages.<br>"
                "Sign into the camera or open a video to find the most similar signs.<br><br>"
                "signlookup is MIT licensed. It uses Qt for Python %2 (LGPL-3.0), "
                "MediaPipe (Apache-2.0), faiss (MIT), PyTorch (BSD-3-Clause) and "
                "OpenCV (Apache-2.0).<br>"
                "The demo gallery's Libras clips come from the INES, UFV, V-Librasil and "
                "SignBank dictionaries, whose rights remain theirs; the text look-up uses the "
                "INES dictionary (see ATTRIBUTION.md in the installed resources)."
            )
            .replace("%1", __version__)
            .replace("%2", PySide6.__version__),
        )

    def _wire(self) -> None:
        self.search_view.add_to_gallery_requested.connect(self._add_recording_to_gallery)
        route = error_route()
        route.message.connect(self.banner.show_message)
        self.gallery_view.message.connect(self.banner.show_info)
        c = self.search_controller
        c.error.connect(self._on_search_error)
        c.source_opened.connect(self._on_source_opened)
        c.fps_measured.connect(self._on_fps)
        c.pose_model_ready.connect(self._on_pose_model)
        c.pose_model_failed.connect(self._on_pose_model_failed)
        self.gallery.loading.connect(self._on_gallery_loading)
        self.gallery.progress.connect(self._on_progress)
        self.gallery.changed.connect(self._update_gallery_label)
        self.gallery.loaded.connect(self._on_gallery_loaded)
        self.gallery.failed.connect(self._on_gallery_failed)

    @Slot(object)
    def _on_search_error(self, exc: BaseException) -> None:
        error_route().report(exc, "search")

    @Slot(str, float)
    def _on_source_opened(self, name: str, _fps: float) -> None:
        self.source_label.setText(name)
        self.source_label.setToolTip(name)
        self.banner.hide()

    @Slot(float)
    def _on_fps(self, fps: float) -> None:
        self.fps_label.setText(self.tr("%1 fps").replace("%1", f"{fps:.0f}"))

    @Slot()
    def _on_pose_model_failed(self) -> None:
        self.model_label.setText(self.tr("No pose model"))

    @Slot(str)
    def _on_gallery_loading(self, _folder: str) -> None:
        self.gallery_label.setText(self.tr("Loading gallery…"))

    @Slot(object)
    def _on_gallery_loaded(self, _searcher: object) -> None:
        self.progress.hide()
        self._update_gallery_label()
        freeze_loaded_objects()

    def _open_gallery(self) -> None:
        seed = None if self.settings.gallery_folder else demo_gallery_folder()
        self.gallery.open(self.settings.gallery_path, seed)

    def _add_recording_to_gallery(self) -> None:
        self.tabs.setCurrentWidget(self.gallery_view)
        self.gallery_view.add_recording()

    def _add_video_to_gallery(self) -> None:
        self.tabs.setCurrentWidget(self.gallery_view)
        self.gallery_view.choose_video_file()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and not self._loading_started:
            QTimer.singleShot(0, self._start_loading)  # after this paint has finished
        return super().eventFilter(watched, event)

    def _start_loading(self) -> None:
        if self._closed or self._loading_started:  # closed before the event loop ran
            return
        self._loading_started = True
        self.removeEventFilter(self)
        self.search_controller.start_pose_model()
        self._open_gallery()
        list_cameras = self.services.list_cameras

        def probe(_cancel: CancelToken, _p: Progress) -> list[int]:
            return list_cameras()

        self.pool.submit(probe, self._on_cameras, self._on_cameras_failed)

    def _on_cameras(self, cameras: list[int]) -> None:
        self.cameras = cameras
        self.search_view.set_cameras(cameras, self.settings.camera_index)

    def _on_cameras_failed(self, exc: BaseException) -> None:
        self._on_cameras([])
        error_route().report(exc, "cameras")

    @Slot(str)
    def _on_pose_model(self, name: str) -> None:
        self.model_label.setText(self.tr("Pose model: %1").replace("%1", name))
        freeze_loaded_objects()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(done < total)

    def _update_gallery_label(self) -> None:
        size = self.gallery.size
        if size is None:
            return
        self.gallery_label.setText(self.tr("Gallery: %n sign(s)", "", size))

    @Slot(object)
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
        if settings.camera_index != old.camera_index and self.cameras is not None:
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
            self.resize(*self._default_size())

    def _default_size(self) -> tuple[int, int]:
        """The default size, shrunk to the screen's usable area (a 1366x768 laptop)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return DEFAULT_SIZE
        area = screen.availableGeometry()
        return min(DEFAULT_SIZE[0], area.width()), min(DEFAULT_SIZE[1], area.height() - 40)

    def _save_geometry(self) -> None:
        self.store.setValue("window/version", GEOMETRY_VERSION)
        self.store.setValue("window/geometry", self.saveGeometry())
        self.store.setValue("window/splitter", self.search_view.splitter.saveState())
        self.store.setValue("window/tab", self.tabs.currentIndex())
        self.store.sync()

    def shutdown(self) -> None:
        """Stop every worker, waiting a bounded time for each; safe to call twice.

        The window hides first, so quitting while a model loads gives immediate feedback;
        a worker stuck in a library call longer than the timeout is left to finish alone.
        """
        if self._closed:
            return
        self._closed = True
        self.hide()
        self.search_view.shutdown(CLOSE_TIMEOUT_MS)
        self.gallery_view.shutdown(CLOSE_TIMEOUT_MS)
        self.gloss_view.shutdown(CLOSE_TIMEOUT_MS)
        self.pool.shutdown(CLOSE_TIMEOUT_MS)
        if self.requests.join(CLOSE_TIMEOUT_MS):
            self.gallery.close()
        join_retired(CLOSE_TIMEOUT_MS)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        self.settings.save(self.store)
        self.shutdown()
        event.accept()
