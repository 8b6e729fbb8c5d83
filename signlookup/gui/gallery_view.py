"""The gallery view: browse and filter entries, play one, add the current recording, rename,
delete, import a folder (with progress and cancel). Every write runs in a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
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
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from signlookup.gallery import import_folder
from signlookup.gui.errors import error_route
from signlookup.gui.gallery_model import EntryRole, GalleryFilter, GalleryTableModel
from signlookup.gui.panes import split_list_and_detail
from signlookup.gui.players import MatchPlayer
from signlookup.gui.search_controller import SearchController
from signlookup.gui.services import GalleryHandle
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import Job, JobRunner

LANGUAGES = ("Libras", "ASL", "LGP", "LSF", "DGS", "BSL")


class NewSignDialog(QDialog):
    """Asks for the gloss and the language of a recording that joins the gallery."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add the recording to the gallery"))
        self.gloss = QLineEdit()
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
    def __init__(
        self,
        gallery: GalleryHandle,
        jobs: JobRunner,
        search: SearchController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.handle = gallery
        self.jobs = jobs
        self.search = search
        self._import_job: Job | None = None
        self._build()
        gallery.changed.connect(self.refresh)
        gallery.loaded.connect(self._on_loaded)
        gallery.failed.connect(self._on_failed)
        gallery.loading.connect(
            lambda f: self.state_label.setText(
                self.tr("Loading the gallery in %1…").replace("%1", f)
            )
        )

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
        self.rename_button = QPushButton(self.tr("Re&name…"))
        self.delete_button = QPushButton(self.tr("&Delete"))
        self.import_button = QPushButton(self.tr("&Import folder…"))
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        buttons = QHBoxLayout()
        for b in (self.add_button, self.rename_button, self.delete_button, self.import_button):
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
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.player_view, 1)
        right.addWidget(self.details)
        split_list_and_detail(self, left_panel, right)
        self.player = MatchPlayer(
            self.player_view, self.jobs, lambda exc: error_route().report(exc, "gallery")
        )

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.language_combo.currentIndexChanged.connect(self._apply_filter)
        self.source_combo.currentIndexChanged.connect(self._apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_recording)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.choose_import_folder)
        self.cancel_button.clicked.connect(self.cancel_import)
        self._update_buttons()

    def _on_loaded(self, _searcher: object) -> None:
        self.state_label.clear()
        self.refresh()

    # --- listing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        gallery = self.handle.gallery
        if gallery is None:
            self.model.set_entries([])
            self._update_buttons()
            return
        entries = gallery.entries()
        self.model.set_entries(entries)
        self._fill_combo(
            self.language_combo,
            sorted({e.language for e in entries if e.language}),
            self.tr("All languages"),
        )
        self._fill_combo(
            self.source_combo,
            sorted({e.source for e in entries if e.source}),
            self.tr("All sources"),
        )
        where = str(self.handle.folder)
        read_only = self.tr(" (read-only)") if getattr(gallery, "read_only", False) else ""
        self.count_label.setText(
            self.tr("%n sign(s) in", "", len(entries)) + f" {where}{read_only}"
        )
        self._apply_filter()
        self._update_buttons()

    @staticmethod
    def _fill_combo(combo: QComboBox, values: list[str], all_label: str) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, "")
        for v in values:
            combo.addItem(v, v)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _apply_filter(self) -> None:
        self.proxy.set_filter(
            self.filter_edit.text(),
            self.language_combo.currentData() or "",
            self.source_combo.currentData() or "",
        )

    def selected_entry(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(EntryRole) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        entry = self.selected_entry()
        self._update_buttons()
        if entry is None:
            self.player.stop()
            return
        self.title.setText(entry.gloss)
        self.details.setText(
            self.tr("%1 · %2 · %3 frames at %4 fps")
            .replace("%1", entry.language or "?")
            .replace("%2", entry.attribution or entry.source or "?")
            .replace("%3", str(entry.frames))
            .replace("%4", f"{entry.fps:.0f}")
        )
        self.player.play(entry.video_path, entry.pose_path, None)

    def _update_buttons(self) -> None:
        gallery = self.handle.gallery
        writable = gallery is not None and not getattr(gallery, "read_only", False)
        busy = self._import_job is not None
        has_entry = self.selected_entry() is not None
        self.add_button.setEnabled(writable and not busy and self.search.query is not None)
        self.rename_button.setEnabled(writable and has_entry and not busy)
        self.delete_button.setEnabled(writable and has_entry and not busy)
        self.import_button.setEnabled(writable and not busy)

    def _on_failed(self, exc: BaseException) -> None:
        self.model.set_entries([])
        self.state_label.setText(
            self.tr("No gallery is open. Choose a gallery folder in File › Settings.")
        )
        self._update_buttons()

    # --- edits -----------------------------------------------------------------------------------

    def _run(self, fn: Callable[[Any], Any], done_text: str) -> None:
        gallery = self.handle.gallery

        def work(_cancel: threading.Event, _p: Callable[[int, int], None]) -> Any:
            return fn(gallery)

        def done(_result: Any) -> None:
            self.state_label.setText(done_text)
            self.handle.changed.emit()

        self.jobs.start(work, done, lambda exc: error_route().report(exc, "gallery"))

    def add_recording(self, gloss: str | None = None, language: str | None = None) -> None:
        """Add the search view's current (trimmed) recording as a new sign."""
        query = self.search.query
        if query is None or self.handle.gallery is None:
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

    def delete_selected(self, confirm: bool = True) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if (
            confirm
            and QMessageBox.question(
                self,
                self.tr("Delete"),
                self.tr("Delete %1 from the gallery?").replace("%1", entry.gloss),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        self.player.stop()
        self._run(lambda g: g.delete(entry.id), self.tr("Deleted %1.").replace("%1", entry.gloss))

    def choose_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder of sign videos"))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path, language: str = "Libras") -> None:
        """Import every clip in ``folder`` (names like ``casa_xx_1.mp4`` give the gloss)."""
        gallery = self.handle.gallery
        if gallery is None:
            return

        def work(cancel: threading.Event, progress: Callable[[int, int], None]) -> Any:
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
        self._import_job = self.jobs.start(
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

    def _on_imported(self, report: Any) -> None:
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
        self.handle.changed.emit()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._finish_import()
        error_route().report(exc, "import")

    def cancel_import(self) -> None:
        if self._import_job is not None:
            self._import_job.cancel.set()
            self.state_label.setText(self.tr("Stopping the import after the current file…"))

    def shutdown(self) -> None:
        self.player.stop()
