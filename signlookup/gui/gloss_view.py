"""The gloss look-up view: type Portuguese, see ranked Libras gloss sequences; each gloss opens
its dictionary entry and, when the gallery has it, plays its sign.

The text layer (``signlookup.text``) loads in a worker the first time it is needed; until it
exists, the view says so instead of failing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from signlookup.gui.errors import describe, error_route
from signlookup.gui.panes import split_list_and_detail
from signlookup.gui.players import MatchPlayer
from signlookup.gui.services import GalleryHandle, Services
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import JobRunner


@dataclass(frozen=True)
class GlossToken:
    """One gloss of an aligned sequence and its dictionary entry (empty fields when unknown)."""

    gloss: str
    definition: str = ""
    word_class: str = ""
    topic: str = ""
    example: str = ""
    #: What to look for in the gallery (the dictionary headword, without punctuation).
    lookup: str = ""


@dataclass(frozen=True)
class GlossSequence:
    score: float
    tokens: list[GlossToken] = field(default_factory=list)


def _token(raw: Any) -> GlossToken:
    """A ``signlookup.text.LinkedToken`` (or a plain string) as the view shows it.

    An entry may have several senses (INES lists some glosses twice): definitions are numbered.
    """
    if isinstance(raw, str):
        return GlossToken(raw)
    text = str(getattr(raw, "token", raw))
    entry = getattr(raw, "entry", None)
    senses = list(getattr(entry, "senses", ()) or ())
    if not senses:
        return GlossToken(text, lookup=" ".join(getattr(raw, "words", ())) or text)
    if len(senses) == 1:
        definition = senses[0].definition
    else:
        definition = "<br>".join(f"{i}. {s.definition}" for i, s in enumerate(senses, 1))
    classes = dict.fromkeys(s.word_class for s in senses if s.word_class)
    topics = dict.fromkeys(s.topic for s in senses if s.topic and s.topic != "NENHUM")
    return GlossToken(
        text, definition, ", ".join(classes), ", ".join(topics), lookup=str(entry.gloss)
    )


def to_sequences(raw: Any) -> list[GlossSequence]:
    """The text layer's ranked alignments as GlossSequences (duck-typed, see GlossToken)."""
    out = []
    for item in raw:
        tokens = getattr(item, "tokens", None)
        if tokens is None:
            tokens = getattr(item, "glosses", None)
        if isinstance(tokens, str):
            tokens = tokens.split()
        out.append(
            GlossSequence(
                float(getattr(item, "score", 0.0)),
                [_token(t) for t in tokens or [] if getattr(t, "kind", "") != "punct"],
            )
        )
    return out


class GlossView(QWidget):
    def __init__(
        self,
        services: Services,
        jobs: JobRunner,
        gallery: GalleryHandle,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.jobs = jobs
        self.gallery = gallery
        self._aligner: Any = None
        self._pending: str | None = None
        self._loading = False
        self.sequences: list[GlossSequence] = []
        self.current: GlossToken | None = None
        self._entries: dict[str, Any] | None = None  # gallery entries by gloss key, built lazily
        gallery.changed.connect(self._forget_entries)
        self._build()

    def _build(self) -> None:
        self.sentence = QLineEdit()
        self.sentence.setPlaceholderText(
            self.tr("Type a sentence in Portuguese, e.g. Minha amiga detesta passear no shopping.")
        )
        self.sentence.setAccessibleName(self.tr("Portuguese sentence"))
        self.look_up_button = QPushButton(self.tr("&Look up"))
        self.look_up_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.sentence, 1)
        row.addWidget(self.look_up_button)
        self.state_label = QLabel(self.tr("The glosses of the sentence appear here, best first."))
        self.state_label.setWordWrap(True)
        self.results_box = QWidget()
        self.results_layout = QVBoxLayout(self.results_box)
        self.results_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results_box)
        left = QVBoxLayout()
        left.addLayout(row)
        left.addWidget(self.state_label)
        left.addWidget(scroll, 1)
        left_panel = QWidget()
        left_panel.setLayout(left)

        self.entry_title = QLabel(self.tr("Choose a gloss"))
        self.entry_title.setStyleSheet("font-weight: bold; font-size: 15pt;")
        self.entry_text = QLabel()
        self.entry_text.setWordWrap(True)
        self.entry_text.setTextFormat(Qt.TextFormat.RichText)
        self.entry_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.play_button = QPushButton(self.tr("&Play the sign"))
        self.play_button.setEnabled(False)
        self.sign_view = VideoView(
            placeholder=self.tr("The sign plays here when the gallery has it.")
        )
        right = QVBoxLayout()
        right.addWidget(self.entry_title)
        right.addWidget(self.entry_text)
        right.addWidget(self.play_button)
        right.addWidget(self.sign_view, 1)
        split_list_and_detail(self, left_panel, right)
        self.player = MatchPlayer(
            self.sign_view, self.jobs, lambda exc: error_route().report(exc, "gloss")
        )

        self.look_up_button.clicked.connect(self.look_up)
        self.sentence.returnPressed.connect(self.look_up)
        self.play_button.clicked.connect(self.play_current)

    # --- look-up -------------------------------------------------------------------------------

    def look_up(self) -> None:
        text = self.sentence.text().strip()
        if not text:
            return
        if self._aligner is None:
            self._pending = text
            self._load_aligner()
            return
        aligner = self._aligner
        self.state_label.setText(self.tr("Looking up…"))

        def work(_cancel: threading.Event, _p: Callable[[int, int], None]) -> list[GlossSequence]:
            return to_sequences(aligner(text, 5))

        self.jobs.start(work, self._show, self._on_failed)

    def _load_aligner(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.state_label.setText(self.tr("Loading the text model…"))

        def work(_cancel: threading.Event, _p: Callable[[int, int], None]) -> Any:
            return self.services.open_aligner()

        def done(aligner: Any) -> None:
            self._loading = False
            self._aligner = aligner
            if self._pending:
                self._pending = None
                self.look_up()

        def failed(exc: BaseException) -> None:
            self._loading = False
            self._on_failed(exc)

        self.jobs.start(work, done, failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.state_label.setText(describe(exc))
        error_route().report(exc, "gloss look-up")

    def _show(self, sequences: list[GlossSequence]) -> None:
        self.sequences = sequences
        while self.results_layout.count() > 1:
            item = self.results_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for rank, seq in enumerate(sequences, 1):
            self.results_layout.insertWidget(rank - 1, self._sequence_row(rank, seq))
        self.state_label.setText(
            self.tr(
                "%n gloss sequence(s), best first. Click a gloss for its entry.", "", len(sequences)
            )
            if sequences
            else self.tr("No gloss sequence was found for this sentence.")
        )
        if sequences and sequences[0].tokens:
            self.show_entry(sequences[0].tokens[0])

    def _sequence_row(self, rank: int, seq: GlossSequence) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(frame)
        layout.addWidget(QLabel(f"<b>{rank}.</b>"))
        for token in seq.tokens:
            chip = QPushButton(token.gloss)
            in_gallery = self._gallery_entry(token.lookup or token.gloss) is not None
            if in_gallery:
                chip.setText(f"▶ {token.gloss}")
                chip.setToolTip(self.tr("The gallery has this sign: click to see and play it"))
            chip.setAccessibleName(self.tr("Gloss %1").replace("%1", token.gloss))
            background = "#b7e4dc" if in_gallery else "#e9f5f3"
            chip.setStyleSheet(
                f"QPushButton {{ padding: 4px 10px; border-radius: 10px; background: {background};"
                " border: 1px solid #2a9d8f; font-weight: bold; }"
                " QPushButton:focus { border: 2px solid #e76f51; }"
            )
            chip.clicked.connect(lambda _=False, t=token: self.show_entry(t))
            layout.addWidget(chip)
        layout.addStretch(1)
        layout.addWidget(QLabel(f"{seq.score:.2f}"))
        return frame

    # --- entries -------------------------------------------------------------------------------

    def show_entry(self, token: GlossToken) -> None:
        self.current = token
        self.entry_title.setText(token.gloss)
        parts = []
        if token.word_class or token.topic:
            parts.append(f"<i>{' · '.join(p for p in (token.word_class, token.topic) if p)}</i>")
        parts.append(token.definition or self.tr("No dictionary definition for this gloss."))
        if token.example:
            parts.append(self.tr("Example: %1").replace("%1", token.example))
        entry = self._gallery_entry(token.lookup or token.gloss)
        parts.append(
            self.tr("In the gallery: yes") if entry is not None else self.tr("In the gallery: no")
        )
        self.entry_text.setText("<br><br>".join(parts))
        self.play_button.setEnabled(entry is not None)
        self.player.stop()
        self.sign_view.clear()
        if entry is not None:
            self.player.play(entry.video_path, entry.pose_path, None)

    def _gallery_entry(self, gloss: str) -> Any:
        """The gallery's entry for a gloss (case, accents form and punctuation ignored)."""
        from signlookup.search import gloss_key

        if self._entries is None:
            gallery = self.gallery.gallery
            entries = gallery.entries() if gallery is not None else []
            self._entries = {gloss_key(e.gloss): e for e in reversed(entries)}
        return self._entries.get(gloss_key(gloss.strip(".,;:!?")))

    def _forget_entries(self) -> None:
        self._entries = None

    def play_current(self) -> None:
        if self.current is not None:
            self.show_entry(self.current)

    def shutdown(self) -> None:
        self.player.stop()
