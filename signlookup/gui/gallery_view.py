"""The gallery view: browse and filter entries, play one, add the current recording or a video
file, rename, delete (with Undo), import a folder (with progress and cancel).

Every read and write of the gallery runs in the gallery's request worker; the view shows the
handle's ``entries`` snapshot and never touches SQLite itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from signlookup.facets import GalleryFacets
from signlookup.gallery import (
    KNOWN_SOURCES,
    Entry,
    Gallery,
    ImportReport,
    import_folder,
    parse_filename,
)
from signlookup.gallery.store import VIDEO_EXTENSIONS
from signlookup.gui.errors import error_route
from signlookup.gui.facets import FacetChips
from signlookup.gui.favourites import FavouriteButton
from signlookup.gui.gallery_model import (
    EntryRole,
    GalleryFilter,
    GalleryTableModel,
    source_label,
)
from signlookup.gui.panes import split_list_and_detail
from signlookup.gui.players import MatchPlayer, PlaybackBar
from signlookup.gui.search_controller import SearchController
from signlookup.gui.services import GalleryHandle
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import CancelToken, Progress, Task, TaskPool
from signlookup.search import Searcher

LANGUAGES = ("Libras", "ASL", "LGP", "LSF", "DGS", "BSL")


class NewSignDialog(QDialog):
    """Asks for the gloss and the language of a recording that joins the gallery."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "", gloss: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Add the recording to the gallery"))
        self.gloss = QLineEdit(gloss)
        self.gloss.setPlaceholderText(self.tr("e.g. CASA"))
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(LANGUAGES)
        form = QFormLayout(self)
        form.addRow(self.tr("&Gloss (the sign's name):"), self.gloss)
        form.addRow(self.tr("&Language:"), self.language)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class GalleryView(QWidget):
    """Browse and edit the gallery (see module docstring)."""

    #: (text, button text, action): a message with one button for the window's banner (Undo)
    message = Signal(str, str, object)

    def __init__(
        self,
        gallery: GalleryHandle,
        pool: TaskPool,
        search: SearchController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.handle = gallery
        self.pool = pool
        self.search = search
        self._import_job: Task | None = None
        self._build()
        gallery.changed.connect(self.refresh)
        gallery.loaded.connect(self._on_loaded)
        gallery.failed.connect(self._on_failed)
        gallery.loading.connect(self._on_loading)
        search.query_ready.connect(self._update_buttons)
        search.cleared.connect(self._update_buttons)

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by gloss…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter by gloss"))
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.source_combo = QComboBox()
        self.source_combo.setAccessibleName(self.tr("Source"))
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 2)
        filters.addWidget(self.language_combo, 1)
        filters.addWidget(self.source_combo, 1)
        # browse by handshape and place: the gallery's inventory, computed in the request worker
        self.facet_chips = FacetChips(stacked=True)

        self.model = GalleryTableModel()
        self.proxy = GalleryFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Gallery entries"))

        self.add_button = QPushButton(self.tr("&Add current recording…"))
        self.add_video_button = QPushButton(self.tr("Add &video file…"))
        self.rename_button = QPushButton(self.tr("Re&name…"))
        self.delete_button = QPushButton(self.tr("&Delete"))
        self.import_button = QPushButton(self.tr("&Import folder…"))
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.add_video_button,
            self.rename_button,
            self.delete_button,
            self.import_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)

        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.facet_chips)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        left.addWidget(self.state_label)
        left.addWidget(self.count_label)
        left_panel = QWidget()
        left_panel.setLayout(left)
        self.title = QLabel(self.tr("Choose an entry to play it."))
        self.title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.player_view = VideoView(placeholder=self.tr("No entry chosen"))
        self.player = MatchPlayer(self.player_view, self.pool, self._report)
        self.player_controls = PlaybackBar(self.player, self.player_view)
        self.favourite_button = FavouriteButton()  # bound to the favourites by the window
        title_row = QHBoxLayout()
        title_row.addWidget(self.title)
        title_row.addWidget(self.favourite_button)
        title_row.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(title_row)
        right.addWidget(self.player_view, 1)
        right.addWidget(self.player_controls)
        right.addWidget(self.details)
        split_list_and_detail(self, left_panel, right)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.language_combo.currentIndexChanged.connect(self._apply_filter)
        self.source_combo.currentIndexChanged.connect(self._apply_filter)
        self.facet_chips.selection_changed.connect(self._apply_facets)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # clicked(bool) must not reach the optional arguments: each button has its own slot
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_video_button.clicked.connect(self._on_add_video_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.import_button.clicked.connect(self.choose_import_folder)
        self.cancel_button.clicked.connect(self.cancel_import)
        self._update_buttons()

    @staticmethod
    def _report(exc: BaseException) -> None:
        error_route().report(exc, "gallery")

    @Slot(str)
    def _on_loading(self, folder: str) -> None:
        self.cancel_import()  # the gallery it writes to is being closed
        self.state_label.setText(self.tr("Loading the gallery in %1…").replace("%1", folder))

    @Slot(object)
    def _on_loaded(self, _searcher: object) -> None:
        self.state_label.clear()
        self.refresh()

    @Slot()
    def _on_add_clicked(self) -> None:
        self.add_recording()

    @Slot()
    def _on_add_video_clicked(self) -> None:
        self.choose_video_file()

    @Slot()
    def _on_rename_clicked(self) -> None:
        self.rename_selected()

    @Slot()
    def _on_delete_clicked(self) -> None:
        self.delete_selected()

    # --- listing -------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Show the handle's entries snapshot (read in the worker, never here)."""
        entries = self.handle.entries
        self.model.set_entries(entries)
        if self.handle.searcher is None:
            self._update_buttons()
            return
        self._fill_combo(
            self.language_combo,
            [(v, v) for v in sorted({e.language for e in entries if e.language})],
            self.tr("All languages"),
        )
        self._fill_combo(
            self.source_combo,
            sorted({(source_label(e.source), e.source) for e in entries if e.source}),
            self.tr("All sources"),
        )
        where = str(self.handle.folder)
        read_only = self.tr(" (read-only)") if self.handle.read_only else ""
        self.count_label.setText(
            self.tr("%n sign(s) in", "", len(entries)) + f" {where}{read_only}"
        )
        self._apply_filter()
        self._update_buttons()
        if self.isVisible():
            self.load_facets()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load_facets()  # only when shown: the first computation must not delay a search

    def load_facets(self) -> None:
        """Ask the request worker for the gallery's handshapes and places (cached by revision)."""
        searcher = self.handle.searcher
        if searcher is None:
            return

        def work(s: Searcher, _cancel: CancelToken) -> GalleryFacets:
            return s.facets()

        self.handle.read(work, self._on_facets, self._report, key="gallery-facets")

    def _on_facets(self, facets: GalleryFacets) -> None:
        self.facet_chips.set_facets(facets)
        self._apply_facets()

    @Slot()
    def _apply_facets(self) -> None:
        self.proxy.set_facets(self.facet_chips.facets, *self.facet_chips.selection())

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, str]], all_label: str) -> None:
        """``items``: (shown text, value) pairs."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, "")
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _apply_filter(self) -> None:
        self.proxy.set_filter(
            self.filter_edit.text(),
            self.language_combo.currentData() or "",
            self.source_combo.currentData() or "",
        )

    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(EntryRole) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        entry = self.selected_entry()
        self._update_buttons()
        self.favourite_button.set_entry(entry.id if entry is not None else None)
        if entry is None:
            self.player.stop()
            return
        self.title.setText(entry.gloss)
        self.details.setText(
            self.tr("%1 · %2 · %3 frames at %4 fps")
            .replace("%1", entry.language or "?")
            .replace("%2", entry.attribution or source_label(entry.source) or "?")
            .replace("%3", str(entry.frames))
            .replace("%4", f"{entry.fps:.0f}")
        )
        self.player.play(entry.video_path, entry.pose_path, None)

    @Slot()
    def _update_buttons(self) -> None:
        writable = self.handle.searcher is not None and not self.handle.read_only
        busy = self._import_job is not None
        has_entry = self.selected_entry() is not None
        self.add_button.setEnabled(writable and not busy and self.search.query is not None)
        self.add_video_button.setEnabled(writable and not busy)
        self.rename_button.setEnabled(writable and has_entry and not busy)
        self.delete_button.setEnabled(writable and has_entry and not busy)
        self.import_button.setEnabled(writable and not busy)

    @Slot(object)
    def _on_failed(self, _exc: BaseException) -> None:
        self.model.set_entries([])
        self.state_label.setText(
            self.tr("No gallery is open. Choose a gallery folder in File › Settings.")
        )
        self._update_buttons()

    # --- edits -----------------------------------------------------------------------------------

    def _run(
        self,
        edit: Callable[[Gallery], object],
        done_text: str,
        then: Callable[[object], None] | None = None,
    ) -> None:
        """Apply ``edit`` in the gallery's worker; say ``done_text`` when it is done."""

        def done(result: object) -> None:
            self.state_label.setText(done_text)
            if then is not None:
                then(result)

        self.handle.run(edit, done, self._report)

    def add_recording(self, gloss: str | None = None, language: str | None = None) -> None:
        """Add the search view's current (trimmed) recording as a new sign."""
        query = self.search.query
        if query is None or self.handle.searcher is None:
            return
        if gloss is None:
            dialog = NewSignDialog(self)
            if not dialog.exec() or not dialog.gloss.text().strip():
                return
            gloss, language = dialog.gloss.text().strip(), dialog.language.currentText().strip()
        pose = query.trimmed
        self._run(
            lambda g: g.add(gloss=gloss, pose=pose, language=language or "", source="user"),
            self.tr("Added %1.").replace("%1", gloss),
        )

    def choose_video_file(self) -> None:
        filter_text = " ".join(f"*{suffix}" for suffix in VIDEO_EXTENSIONS)
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Add a video file to the gallery"),
            "",
            self.tr("Videos (%1)").replace("%1", filter_text),
        )
        if path:
            self.add_video(Path(path))

    def add_video(self, path: Path, gloss: str | None = None, language: str | None = None) -> None:
        """Add one sign from a video file (its landmarks are extracted in the worker).

        The gloss offered is the file name without its take number (``oi_2.mp4`` -> oi).
        """
        if self.handle.searcher is None:
            return
        suggested, code = parse_filename(path)
        if gloss is None:
            dialog = NewSignDialog(
                self, title=self.tr("Add a video file to the gallery"), gloss=suggested
            )
            if not dialog.exec() or not dialog.gloss.text().strip():
                return
            gloss, language = dialog.gloss.text().strip(), dialog.language.currentText().strip()
        source = code or "user"
        self.state_label.setText(self.tr("Reading %1…").replace("%1", path.name))
        self._run(
            lambda g: g.add(
                gloss=gloss,
                video=path,
                language=language or "",
                source=source,
                attribution=KNOWN_SOURCES.get(code, ""),
            ),
            self.tr("Added %1.").replace("%1", gloss),
        )

    def rename_selected(self, new_gloss: str | None = None) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if new_gloss is None:
            new_gloss, ok = QInputDialog.getText(
                self, self.tr("Rename"), self.tr("New gloss:"), text=entry.gloss
            )
            if not ok or not new_gloss.strip():
                return
        self._run(
            lambda g: g.rename(entry.id, new_gloss),
            self.tr("Renamed to %1.").replace("%1", new_gloss),
        )

    def delete_selected(self) -> None:
        """Delete the chosen entry at once; the banner offers Undo (the gallery keeps a trash)."""
        entry = self.selected_entry()
        if entry is None:
            return
        self.player.stop()
        text = self.tr("Deleted %1.").replace("%1", entry.gloss)
        self._run(
            lambda g: g.delete(entry.id),
            text,
            lambda _r: self.message.emit(text, self.tr("Undo"), lambda: self.restore(entry)),
        )

    def restore(self, entry: Entry) -> None:
        """Undo a deletion: the entry comes back from the gallery's trash (in the worker)."""
        self._run(
            lambda g: g.restore(entry.id),
            self.tr("Restored %1.").replace("%1", entry.gloss),
        )

    def choose_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder of sign videos"))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path, language: str = "Libras") -> None:
        """Import every clip in ``folder`` (names like ``casa_xx_1.mp4`` give the gloss)."""
        gallery = self.handle.gallery
        if gallery is None:
            return

        def work(cancel: CancelToken, progress: Progress) -> ImportReport:
            return import_folder(
                gallery,
                folder,
                language=language,
                progress=lambda d, t, _n="": progress(d, t),
                should_stop=cancel.is_set,
            )

        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.state_label.setText(self.tr("Importing %1…").replace("%1", folder.name))
        # a long job with its own cancel: in the pool, so searches are not queued behind it
        self._import_job = self.pool.submit(
            work, self._on_imported, self._on_import_failed, self._on_import_progress
        )
        self._update_buttons()

    def _on_import_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_import(self) -> None:
        self._import_job = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _on_imported(self, report: ImportReport) -> None:
        self._finish_import()
        text = (
            self.tr("Imported %1, skipped %2 already present, %3 failed.")
            .replace("%1", str(len(report.added)))
            .replace("%2", str(len(report.skipped)))
            .replace("%3", str(len(report.failed)))
        )
        self.state_label.setText(text)
        if report.failed:
            name, reason = report.failed[0]
            error_route().warn(
                self.tr("Some files could not be imported, e.g. %1: %2")
                .replace("%1", name)
                .replace("%2", reason)
            )
        self.handle.run(lambda _g: None)  # re-read the entries in the worker

    def _on_import_failed(self, exc: BaseException) -> None:
        self._finish_import()
        error_route().report(exc, "import")

    def cancel_import(self) -> None:
        if self._import_job is not None:
            self._import_job.stop()
            self.state_label.setText(self.tr("Stopping the import after the current file…"))

    def shutdown(self, timeout_ms: int = 3000) -> None:
        self.player.join(timeout_ms)
