"""The sign-search view: live video with skeleton, record with countdown, trim, ranked results.

Only widgets and wiring live here; the flow is in ``SearchController``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from signlookup.gallery.store import VIDEO_EXTENSIONS, Entry
from signlookup.gui.facets import FacetPanel
from signlookup.gui.favourites import FavouriteButton, FavouritesCombo
from signlookup.gui.players import MatchPlayer, PlaybackBar, SequencePlayer
from signlookup.gui.plots import EnergyPlot, ScoreBars
from signlookup.gui.results_model import CARD, ResultCard, ResultDelegate, ResultsModel
from signlookup.gui.search_controller import QueryClip, SearchController
from signlookup.gui.thumbnails import ThumbnailAnimator
from signlookup.gui.video_view import VideoView

VIDEO_FILTER = " ".join(f"*{suffix}" for suffix in VIDEO_EXTENSIONS)


class SearchView(QWidget):
    """Sign search: choose a source, record, adjust the trim, browse and play matches."""

    #: The user asked to add the current recording to the gallery.
    add_to_gallery_requested = Signal()

    def __init__(self, controller: SearchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAcceptDrops(True)
        self._replaying = False
        self._build()
        self._wire()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.camera_combo = QComboBox()
        self.camera_combo.setAccessibleName(self.tr("Camera"))
        self.camera_button = QPushButton(self.tr("Start &camera"))
        self.open_button = QPushButton(self.tr("&Open video…"))
        self.open_button.setShortcut(QKeySequence.StandardKey.Open)
        self.open_button.setToolTip(
            self.tr("Open a video file (Ctrl+O), or drop one on this window")
        )
        self.session_button = QPushButton()
        self.session_button.setFlat(True)
        self.session_button.setAccessibleName(self.tr("Forget how I sign"))
        self.session_button.setToolTip(
            self.tr(
                "Camera look-ups are centred on your own signing (your build, camera and "
                "framing), learnt from your recent look-ups. Click to start over, e.g. when "
                "someone else signs."
            )
        )
        self.session_button.hide()
        sources = QHBoxLayout()
        sources.addWidget(self.camera_combo, 1)
        sources.addWidget(self.camera_button)
        sources.addWidget(self.open_button)
        sources.addWidget(self.session_button)

        self.query_view = VideoView(
            placeholder=self.tr(
                "Start the camera or open a video file (you can also drop one here).\n"
                "Then press Record (R) and sign."
            )
        )
        self.query_view.setAccessibleName(self.tr("Your sign"))
        self.query_view.installEventFilter(self)
        self.query_player = SequencePlayer(self.query_view)
        self.query_controls = PlaybackBar(self.query_player, self.query_view)
        self.query_view.setMinimumHeight(120)  # room for its bar on a 768-pixel-high screen
        self.record_button = QPushButton(self.tr("● Record (R)"))
        # a shortcut of its own: QPushButton.setText replaces a button's shortcut
        self.record_shortcut = QShortcut(QKeySequence("R"), self)
        self.record_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.record_button.setToolTip(
            self.tr("Start a 3-2-1 countdown and record; press again to stop")
        )
        self.record_button.setEnabled(False)
        self.add_button = QPushButton(self.tr("Add to gallery…"))
        self.add_button.setEnabled(False)
        self.cancel_file_button = QPushButton(self.tr("Cancel reading"))
        self.cancel_file_button.setToolTip(self.tr("Stop reading the opened video (Esc)"))
        self.cancel_file_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_file_button.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addWidget(self.add_button)
        record_row.addWidget(self.cancel_file_button)
        record_row.addWidget(self.status_label, 1)

        self.energy_plot = EnergyPlot()
        self.energy_plot.setToolTip(self.tr("Hand motion over time; drag the shaded span to trim"))
        self.trim_start = QSpinBox()
        self.trim_stop = QSpinBox()
        for box, name in (
            (self.trim_start, self.tr("Trim start (frame)")),
            (self.trim_stop, self.tr("Trim end (frame)")),
        ):
            box.setAccessibleName(name)
            box.setKeyboardTracking(False)
            box.setEnabled(False)
        trim_row = QHBoxLayout()
        trim_row.addWidget(QLabel(self.tr("Hand motion — trim from frame")))
        trim_row.addWidget(self.trim_start)
        trim_row.addWidget(QLabel(self.tr("to")))
        trim_row.addWidget(self.trim_stop)
        trim_row.addStretch(1)

        query_col = QVBoxLayout()
        query_col.addLayout(sources)
        query_col.addWidget(self.query_view, 3)
        query_col.addWidget(self.query_controls)
        query_col.addLayout(record_row)
        query_col.addLayout(trim_row)
        query_col.addWidget(self.energy_plot, 1)
        query_panel = QWidget()
        query_panel.setLayout(query_col)

        self.match_title = QLabel(self.tr("Best matches"))
        self.match_title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.match_view = VideoView(
            placeholder=self.tr("Choose a result to play it here, next to your sign.")
        )
        self.match_view.setAccessibleName(self.tr("Chosen match"))
        self.match_player = MatchPlayer(
            self.match_view, self.controller.pool, self.controller.error.emit
        )
        self.score_bars = ScoreBars()
        self.favourite_button = FavouriteButton()  # bound to the favourites by the window
        title_row = QHBoxLayout()
        title_row.addWidget(self.match_title)
        title_row.addWidget(self.favourite_button)
        title_row.addStretch(1)
        match_col = QVBoxLayout()
        match_col.addLayout(title_row)
        match_col.addWidget(self.match_view, 3)
        self.match_controls = PlaybackBar(self.match_player, self.match_view)
        match_col.addWidget(self.match_controls)
        match_col.addWidget(QLabel(self.tr("Similarity of each result")))
        match_col.addWidget(self.score_bars, 1)
        match_panel = QWidget()
        match_panel.setLayout(match_col)

        self.results_hint = QLabel(self.tr("Results appear here after a recording."))
        self.results_model = ResultsModel()
        self.results_view = QListView()
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(ResultDelegate(self.results_view))
        self.results_view.setViewMode(QListView.ViewMode.IconMode)
        self.results_view.setFlow(QListView.Flow.LeftToRight)
        self.results_view.setWrapping(False)
        self.results_view.setUniformItemSizes(True)
        self.results_view.setMovement(QListView.Movement.Static)
        self.results_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.results_view.setSpacing(2)
        self.results_view.setMinimumHeight(CARD.height() + 16)
        self.results_view.setAccessibleName(self.tr("Results"))
        self.thumbnails = ThumbnailAnimator(self.results_model, self.results_view, self)
        self.history_combo = QComboBox()
        self.history_combo.setAccessibleName(self.tr("Recent look-ups"))
        self.history_combo.setToolTip(self.tr("Recent look-ups: choose one to see it again"))
        self.history_combo.setPlaceholderText(self.tr("Recent look-ups"))
        self.history_combo.setMinimumContentsLength(18)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.results_hint, 1)
        hint_row.addWidget(self.history_combo)
        self.favourites_combo = FavouritesCombo()
        hint_row.addWidget(self.favourites_combo)
        results_col = QVBoxLayout()
        results_col.setContentsMargins(0, 0, 0, 0)
        results_col.addLayout(hint_row)
        self.facet_panel = FacetPanel(self.controller)  # facets + the no-close-match banner
        results_col.addWidget(self.facet_panel)
        results_col.addWidget(self.results_view)
        results_panel = QWidget()
        results_panel.setLayout(results_col)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(query_panel)
        top.addWidget(match_panel)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(results_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _wire(self) -> None:
        c = self.controller
        self.camera_button.clicked.connect(self.start_camera)
        self.open_button.clicked.connect(self.choose_file)
        self.record_button.clicked.connect(self._on_record_clicked)
        self.record_shortcut.activated.connect(self._on_record_shortcut)
        self.add_button.clicked.connect(self.add_to_gallery_requested)
        c.source_opened.connect(self._on_source_opened)
        c.source_ended.connect(self._on_source_ended)
        c.live_frame.connect(self._on_live_frame)
        c.live_pose.connect(self._on_live_pose)
        c.file_progress.connect(self._on_file_progress)
        c.file_analysis.connect(self._on_file_analysis)
        self.cancel_file_button.clicked.connect(c.cancel_file)
        c.countdown.connect(self._on_countdown)
        c.recording_changed.connect(self._on_recording_changed)
        c.recording_time.connect(self._on_recording_time)
        c.cleared.connect(self.clear_results)
        c.history_changed.connect(self._on_history_changed)
        c.session_changed.connect(self._on_session_changed)
        self.session_button.clicked.connect(c.forget_signer)
        self.history_combo.activated.connect(self._on_history_chosen)
        self.favourites_combo.chosen.connect(self.play_favourite)
        c.query_ready.connect(self._on_query_ready)
        c.query_images_ready.connect(self._on_query_images)
        c.results_ready.connect(self._on_results)
        c.results_ready.connect(self.facet_panel.on_results)
        self.facet_panel.banner.connect(self.results_hint.setText)
        self.facet_panel.reordered.connect(self.results_model.set_results)
        c.status.connect(self.status_label.setText)
        c.error.connect(self._on_error)
        self.energy_plot.trim_changed.connect(self._on_trim_dragged)
        self.trim_start.valueChanged.connect(self._on_trim_typed)
        self.trim_stop.valueChanged.connect(self._on_trim_typed)
        self.results_view.selectionModel().currentChanged.connect(self._on_current_result)
        self.query_player.frame_shown.connect(self.energy_plot.set_playhead)

    @Slot(int)
    def _on_session_changed(self, look_ups: int) -> None:
        self.session_button.setText(self.tr("Adapted to you: %n look-up(s) ✕", "", look_ups))
        self.session_button.setVisible(look_ups > 0)

    # --- cameras -------------------------------------------------------------------------------

    def set_cameras(self, indices: list[int], preferred: int) -> None:
        self.camera_combo.clear()
        if not indices:
            self.camera_combo.addItem(self.tr("No camera found"), -1)
        for i in indices:  # people count cameras from 1; the index stays the item's data
            self.camera_combo.addItem(self.tr("Camera %1").replace("%1", str(i + 1)), i)
        at = self.camera_combo.findData(preferred)
        self.camera_combo.setCurrentIndex(max(at, 0))

    def start_camera(self) -> None:
        index = self.camera_combo.currentData()
        self._stop_replay()
        self.controller.start_camera(
            int(index)
            if index is not None and index >= 0
            else self.controller.settings.camera_index
        )

    # --- files ---------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a sign video"),
            "",
            self.tr("Videos (%1)").replace("%1", VIDEO_FILTER),
        )
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        self._stop_replay()
        self.controller.open_file(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_video(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_video(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    @staticmethod
    def _dropped_video(event: QDragEnterEvent | QDropEvent) -> Path | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in VIDEO_EXTENSIONS:
                return Path(url.toLocalFile())
        return None

    # --- live ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_view and event.type() == QEvent.Type.Resize:
            self.controller.set_display_box(self.query_view.width(), self.query_view.height())
        return super().eventFilter(watched, event)

    @Slot(str, float)
    def _on_source_opened(self, name: str, _fps: float) -> None:
        self.record_button.setEnabled(not self.controller.analysing_file)
        self.query_view.set_caption(name)

    @Slot()
    def _on_source_ended(self) -> None:
        self.record_button.setEnabled(self.controller.recording)

    @Slot(object)
    def _on_error(self, _exc: BaseException) -> None:
        self.status_label.setText("")
        self.record_button.setEnabled(self.controller.has_source)

    @Slot(object)
    def _on_live_frame(self, image: QImage | np.ndarray) -> None:
        if not self._replaying:
            self.query_view.set_frame(image)

    @Slot(object, object)
    def _on_live_pose(self, points: np.ndarray, mask: np.ndarray) -> None:
        if not self._replaying:
            self.query_view.set_pose(points, mask)

    @Slot(int, int)
    def _on_file_progress(self, done: int, total: int) -> None:
        text = (
            self.tr("Reading the video: frame %1 of %2").replace("%1", str(done))
            if total
            else self.tr("Reading the video: frame %1").replace("%1", str(done))
        )
        self.query_view.set_caption(text.replace("%2", str(total)))

    @Slot(bool)
    def _on_file_analysis(self, on: bool) -> None:
        self.cancel_file_button.setVisible(on)
        self.record_button.setEnabled(not on and self.controller.has_source)
        if on:
            self.results_hint.setText(self.tr("Reading the whole video, then searching…"))

    @Slot(float)
    def _on_recording_time(self, seconds: float) -> None:
        if not self.controller.analysing_file:
            self.query_view.set_caption(self.tr("● REC %1 s").replace("%1", f"{seconds:.1f}"))

    @Slot()
    def _on_record_shortcut(self) -> None:
        if self.record_button.isEnabled():
            self._on_record_clicked()

    @Slot()
    def _on_record_clicked(self) -> None:
        if not self.controller.recording and not self.controller.counting_down:
            self._stop_replay()
        self.controller.toggle_record()

    @Slot()
    def _on_history_changed(self) -> None:
        self.history_combo.blockSignals(True)
        self.history_combo.clear()
        for look_up in self.controller.history:
            best = look_up.cards[0].gloss if look_up.cards else "—"
            self.history_combo.addItem(f"{look_up.time}  {best}  ({look_up.clip.source_name})")
        self.history_combo.setCurrentIndex(-1)
        self.history_combo.blockSignals(False)

    @Slot(int)
    def _on_history_chosen(self, index: int) -> None:
        self._stop_replay()
        self.controller.show_look_up(index)

    @Slot()
    def clear_results(self) -> None:
        """Empty every pane that showed the previous query's results."""
        self.match_player.stop()
        self.match_view.clear()
        self.results_model.clear()
        self.score_bars.set_scores([], [], None)
        self.energy_plot.clear_plot()
        for box in (self.trim_start, self.trim_stop):
            box.setEnabled(False)
        self.match_title.setText(self.tr("Best matches"))
        self.favourite_button.set_entry(None)
        self.results_hint.setText(self.tr("Results appear here after a recording."))
        self.add_button.setEnabled(False)

    @Slot(int)
    def _on_countdown(self, left: int) -> None:
        self.query_view.set_big_caption(str(left) if left > 0 else "")

    @Slot(bool)
    def _on_recording_changed(self, on: bool) -> None:
        analysing = self.controller.analysing_file
        self.query_view.set_recording(on and not analysing)
        self.query_view.set_caption(self.tr("● REC") if on and not analysing else "")
        self.record_button.setText(self.tr("■ Stop (R)") if on else self.tr("● Record (R)"))
        self.record_button.setEnabled(self.controller.has_source and not analysing)
        if on:
            self.results_hint.setText(
                self.tr("Reading the whole video, then searching…")
                if analysing
                else self.tr("Recording… press R or Stop when you have finished the sign.")
            )

    def _stop_replay(self) -> None:
        self._replaying = False
        self.query_player.stop()
        self.match_player.stop()
        self.energy_plot.set_playhead(None)

    # --- query and results -----------------------------------------------------------------

    @Slot(object)
    def _on_query_ready(self, clip: QueryClip) -> None:
        n = len(clip.sequence)
        self.energy_plot.set_energy(clip.energy, clip.sequence.fps)
        self.energy_plot.set_trim(*clip.span)
        for box in (self.trim_start, self.trim_stop):
            box.blockSignals(True)
            box.setRange(0, n)
            box.setEnabled(True)
        self.trim_start.setValue(clip.span[0])
        self.trim_stop.setValue(clip.span[1])
        for box in (self.trim_start, self.trim_stop):
            box.blockSignals(False)
        self.add_button.setEnabled(True)
        self._replaying = True
        self.query_view.set_caption(self.tr("Your sign"))
        self.query_player.play(clip.sequence, clip.images, clip.span)

    @Slot(object)
    def _on_query_images(self, clip: QueryClip) -> None:
        if self._replaying and self.controller.query is clip:
            self.query_player.play(clip.sequence, clip.images, clip.span)

    def _on_trim_dragged(self, start: int, stop: int) -> None:
        for box, value in ((self.trim_start, start), (self.trim_stop, stop)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._apply_trim(start, stop)

    def _on_trim_typed(self) -> None:
        start, stop = self.trim_start.value(), self.trim_stop.value()
        self.energy_plot.set_trim(start, max(stop, start + 2))
        self._apply_trim(start, stop)

    def _apply_trim(self, start: int, stop: int) -> None:
        self.controller.set_trim(start, stop)
        if self.controller.query is not None:
            self.query_player.set_span(self.controller.query.span)

    @Slot(object)
    def _on_results(self, cards: list[ResultCard]) -> None:
        self.results_model.set_results(cards)
        self.score_bars.set_scores(
            [c.gloss for c in cards], [c.score for c in cards], 0 if cards else None
        )
        if cards:
            self.results_hint.setText(
                self.tr(
                    "Best match: %1. Click a result (or use the arrow keys) to play it."
                ).replace("%1", cards[0].gloss)
            )
            self.results_view.setCurrentIndex(self.results_model.index(0))
        else:
            self.results_hint.setText(
                self.tr("The gallery is empty: add signs in the Gallery tab.")
            )

    def _on_current_result(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        card = self.results_model.card(current.row())
        self.match_title.setText(f"{current.row() + 1}. {card.gloss}  ({card.score:.2f})")
        self.favourite_button.set_entry(card.key)
        cards = self.results_model.cards
        self.score_bars.set_scores(
            [c.gloss for c in cards], [c.score for c in cards], current.row()
        )
        query = self.controller.query
        self.match_player.play(
            card.video_path, card.pose_path, query.trimmed_duration_s if query else None
        )

    @Slot(object)
    def play_favourite(self, entry: Entry) -> None:
        """A favourite sign plays in the match pane (at its own speed)."""
        self.match_title.setText(f"★ {entry.gloss}")
        self.favourite_button.set_entry(entry.id)
        self.match_player.play(entry.video_path, entry.pose_path, None)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop players, thumbnail decodes and the capture and pose workers (closing only)."""
        self._replaying = False
        self.query_player.stop()
        self.match_player.join(timeout_ms)
        self.thumbnails.stop(timeout_ms)
        self.facet_panel.shutdown()
        self.controller.shutdown(timeout_ms)
