"""The gloss look-up view: type Portuguese, see a draft Libras gloss of that sentence, sign by
sign, then the dictionary's nearest example sentences as a secondary list; each gloss opens its
dictionary entry and, when the gallery has it, plays its sign.

The draft tables (``load_drafter``, about 1 s) and the text model (``load``, seconds) load in
workers the first time they are needed, each on its own, so the draft shows before the model is
ready; gallery entries come from the gallery handle's snapshot (no SQLite read on the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from signlookup.gallery import Entry
from signlookup.gui.errors import describe, error_route, is_user_mistake
from signlookup.gui.panes import split_list_and_detail
from signlookup.gui.players import MatchPlayer, PlaybackBar
from signlookup.gui.services import GalleryHandle, Services, TextLookup
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import (
    CancelToken,
    Progress,
    TaskPool,
    collection_paused,
    freeze_loaded_objects,
)
from signlookup.text.dictionary import DictionaryEntry
from signlookup.text.draft import Drafter, DraftToken
from signlookup.text.index import GlossMatch

#: Examples shown per look-up.
EXAMPLES = 5
#: Draft signs per row of chips (a long sentence wraps instead of widening the view).
DRAFT_CHIPS_PER_ROW = 6


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
    """One dictionary example: its gloss sequence, its Portuguese sentence and its score."""

    score: float
    tokens: list[GlossToken] = field(default_factory=list)
    gloss: str = ""
    #: the example's Portuguese sentence in the dictionary ("" when unknown)
    sentence: str = ""


def _token(
    gloss: str, words: tuple[str, ...], entry: DictionaryEntry | None, lookup: str = ""
) -> GlossToken:
    """A gloss of the text layer (an example's or the draft's) with its dictionary entry.

    An entry may have several senses (INES lists some glosses twice): definitions are numbered.
    ``lookup`` overrides what is looked for in the gallery (the draft's linked sign).
    """
    if entry is None or not entry.senses:
        return GlossToken(gloss, lookup=lookup or " ".join(words) or gloss)
    senses = entry.senses
    if len(senses) == 1:
        definition = senses[0].definition
    else:
        definition = "<br>".join(f"{i}. {s.definition}" for i, s in enumerate(senses, 1))
    classes = dict.fromkeys(s.word_class for s in senses if s.word_class)
    topics = dict.fromkeys(s.topic for s in senses if s.topic and s.topic != "NENHUM")
    return GlossToken(
        gloss, definition, ", ".join(classes), ", ".join(topics), lookup=lookup or entry.gloss
    )


def draft_tokens(tokens: list[DraftToken]) -> list[GlossToken]:
    """The draft's signs as GlossTokens (punctuation dropped), linked to gallery signs."""
    return [
        _token(t.gloss, t.words, t.entry, t.sign.gloss if t.sign is not None else "")
        for t in tokens
        if t.kind != "punct"
    ]


def to_sequences(
    matches: list[GlossMatch], lookup: TextLookup | None = None
) -> list[GlossSequence]:
    """The text layer's ranked examples as GlossSequences (punctuation tokens dropped)."""
    return [
        GlossSequence(
            m.score,
            [_token(t.token, t.words, t.entry) for t in m.tokens if t.kind != "punct"],
            gloss=m.gloss,
            sentence=lookup.example_sentence(m.gloss) if lookup is not None else "",
        )
        for m in matches
    ]


class GlossView(QWidget):
    """Portuguese sentence -> its draft gloss, then the nearest dictionary examples (see module
    docstring)."""

    def __init__(
        self,
        services: Services,
        pool: TaskPool,
        gallery: GalleryHandle,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.pool = pool
        self.gallery = gallery
        self._lookup: TextLookup | None = None
        self._pending: str | None = None
        self._loading = False
        self._drafter: Drafter | None = None
        self._draft_pending: str | None = None
        self._drafter_loading = False
        self._loaded_on_show = False
        self._generation = 0
        #: the draft gloss of the user's sentence, sign by sign
        self.draft: list[GlossToken] = []
        self.sequences: list[GlossSequence] = []
        self.current: GlossToken | None = None
        self._entries: dict[str, Entry] | None = None  # gallery entries by gloss key, built lazily
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
        self.draft_title = QLabel(self.tr("Draft gloss of your sentence"))
        self.draft_title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.draft_state = QLabel(
            self.tr("Your sentence appears here in Libras glosses, sign by sign (a draft).")
        )
        self.draft_state.setWordWrap(True)
        self.draft_chips = QGridLayout()
        self.draft_chips.setContentsMargins(0, 0, 0, 0)
        self.draft_chips.setColumnStretch(DRAFT_CHIPS_PER_ROW, 1)  # chips keep their own width
        self.examples_title = QLabel(self.tr("Nearest dictionary examples"))
        self.examples_title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.state_label = QLabel(
            self.tr(
                "The dictionary's example sentences closest to yours appear here, best first, "
                "each written in Libras glosses."
            )
        )
        self.state_label.setWordWrap(True)
        self.legend = QLabel(
            self.tr(
                "<small>How glosses are written: <b>@</b> either gender (AMIG@: amigo or amiga); "
                "<b>P-R-A-Ç-A</b> spelled letter by letter; <b>3sENSINAR1s</b> a verb whose "
                "numbers say who does it to whom (he/she teaches me); <b>^</b> joins the parts "
                "of one sign; lower case describes a handshape (classifier).</small>"
            )
        )
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.results_box = QWidget()
        self.results_layout = QVBoxLayout(self.results_box)
        self.results_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results_box)
        left = QVBoxLayout()
        left.addLayout(row)
        left.addWidget(self.draft_title)
        left.addWidget(self.draft_state)
        left.addLayout(self.draft_chips)
        left.addWidget(self.legend)
        left.addWidget(self.examples_title)
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
        self.player = MatchPlayer(self.sign_view, self.pool, self._report)
        self.player_controls = PlaybackBar(self.player, self.sign_view)
        right = QVBoxLayout()
        right.addWidget(self.entry_title)
        right.addWidget(self.entry_text)
        right.addWidget(self.play_button)
        right.addWidget(self.sign_view, 1)
        right.addWidget(self.player_controls)
        split_list_and_detail(self, left_panel, right)

        self.look_up_button.clicked.connect(self.look_up)
        self.sentence.returnPressed.connect(self.look_up)
        self.sentence.textChanged.connect(self._on_text_changed)
        self.play_button.clicked.connect(self.play_current)

    @staticmethod
    def _report(exc: BaseException) -> None:
        error_route().report(exc, "gloss")

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the view shows, load the draft tables and the text model while the
        user types: importing sentence-transformers alone takes 3-4 s on 2 cores, which the
        first look-up otherwise waited for (6-8 s in benchmarks/gui_responsiveness.py)."""
        super().showEvent(event)
        if not self._loaded_on_show:
            self._loaded_on_show = True
            if self._drafter is None:
                self._load_drafter()
            if self._lookup is None:
                self._load_text_model()

    # --- look-up -------------------------------------------------------------------------------

    @Slot()
    def look_up(self) -> None:
        text = self.sentence.text().strip()
        if not text:
            self.clear_results()
            return
        self._generation += 1
        self._draft(text)
        self._look_up_examples(text)

    def _draft(self, text: str) -> None:
        """The draft gloss of ``text`` (loads the draft tables first, once)."""
        if self._drafter is None:
            self._draft_pending = text
            self._load_drafter()
            return
        drafter = self._drafter
        entries = list(self.gallery.entries)  # the snapshot, copied on the GUI thread
        generation = self._generation
        self.draft_state.setText(self.tr("Drafting…"))

        def work(_cancel: CancelToken, _p: Progress) -> list[GlossToken]:
            from signlookup.text import draft_gloss

            return draft_tokens(draft_gloss(text, gallery=entries, drafter=drafter))

        def done(tokens: list[GlossToken]) -> None:
            if generation == self._generation:
                self._show_draft(tokens)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._on_draft_failed(exc)

        self.pool.submit(work, done, failed)

    def _load_drafter(self) -> None:
        if self._drafter_loading:
            return
        self._drafter_loading = True
        self.draft_state.setText(self.tr("Loading the draft tables…"))
        open_drafter = self.services.open_drafter

        def work(_cancel: CancelToken, _p: Progress) -> Drafter:
            with collection_paused():
                return open_drafter()

        def done(drafter: Drafter) -> None:
            self._drafter_loading = False
            self._drafter = drafter
            text, self._draft_pending = self._draft_pending, None
            if text:
                self._draft(text)

        def failed(exc: BaseException) -> None:
            self._drafter_loading = False
            self._on_draft_failed(exc)

        self.pool.submit(work, done, failed)

    def _on_draft_failed(self, exc: BaseException) -> None:
        self.draft = []
        self._clear_draft_chips()
        if is_user_mistake(exc):  # the examples' state line says it, once
            self.draft_state.setText("")
            return
        self.draft_state.setText(describe(exc))
        error_route().report(exc, "gloss draft")

    def _clear_draft_chips(self) -> None:
        while self.draft_chips.count():
            item = self.draft_chips.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _show_draft(self, tokens: list[GlossToken]) -> None:
        self.draft = tokens
        self._clear_draft_chips()
        for i, token in enumerate(tokens):
            self.draft_chips.addWidget(
                self._chip(token), i // DRAFT_CHIPS_PER_ROW, i % DRAFT_CHIPS_PER_ROW
            )
        self.draft_state.setText(
            self.tr(
                "A draft, sign by sign (word order and grammar are not checked). "
                "Click a sign for its dictionary entry."
            )
            if tokens
            else self.tr("No sign could be drafted for this sentence.")
        )
        if tokens:
            self.show_entry(tokens[0])

    def _look_up_examples(self, text: str) -> None:
        """The dictionary examples nearest to ``text`` (loads the text model first, once)."""
        if self._lookup is None:
            self._pending = text
            self._load_text_model()
            return
        lookup = self._lookup
        generation = self._generation
        self.state_label.setText(self.tr("Looking up…"))

        def work(_cancel: CancelToken, _p: Progress) -> list[GlossSequence]:
            return to_sequences(lookup.align(text, EXAMPLES), lookup)

        def done(sequences: list[GlossSequence]) -> None:
            if generation == self._generation:
                self._show(sequences)

        self.pool.submit(work, done, self._on_failed)

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self.clear_results()

    def clear_results(self) -> None:
        """An empty query shows no results (not those of the previous sentence)."""
        self._generation += 1
        self._pending = None
        self._draft_pending = None
        self.sequences = []
        self.draft = []
        self._clear_rows()
        self._clear_draft_chips()
        if not self._drafter_loading:
            self.draft_state.setText("")
        if not self._loading:
            self.state_label.setText(
                self.tr("Type a sentence in Portuguese and press Enter to look it up.")
            )

    def _load_text_model(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.state_label.setText(self.tr("Loading the text model…"))
        open_lookup = self.services.open_aligner

        def work(_cancel: CancelToken, _p: Progress) -> TextLookup:
            with collection_paused():
                return open_lookup()

        def done(lookup: TextLookup) -> None:
            self._loading = False
            self._lookup = lookup
            freeze_loaded_objects()
            text, self._pending = self._pending, None
            if text:
                self._look_up_examples(text)

        def failed(exc: BaseException) -> None:
            self._loading = False
            self._on_failed(exc)

        self.pool.submit(work, done, failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.state_label.setText(describe(exc))
        if is_user_mistake(exc):
            return  # said beside the text field; nothing for the log or the banner
        error_route().report(exc, "gloss look-up")

    def _clear_rows(self) -> None:
        while self.results_layout.count() > 1:
            item = self.results_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _show(self, sequences: list[GlossSequence]) -> None:
        self.sequences = sequences
        self._clear_rows()
        for rank, seq in enumerate(sequences, 1):
            self.results_layout.insertWidget(rank - 1, self._sequence_row(rank, seq))
        self.state_label.setText(
            self.tr(
                "The %n dictionary example(s) closest to your sentence, best first. "
                "Click a gloss for its entry.",
                "",
                len(sequences),
            )
            if sequences
            else self.tr("No dictionary example was found for this sentence.")
        )
        if sequences and sequences[0].tokens and not self.draft:  # the draft's sign comes first
            self.show_entry(sequences[0].tokens[0])

    def _sequence_row(self, rank: int, seq: GlossSequence) -> QWidget:
        """Rank and score first (always in view), the glosses, then the example's sentence."""
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(frame)
        outer.setContentsMargins(6, 4, 6, 4)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        score = QLabel(f"<b>{rank}.</b> {seq.score:.2f}")
        score.setToolTip(self.tr("Rank and similarity to your sentence (1 is identical)"))
        layout.addWidget(score)
        for token in seq.tokens:
            layout.addWidget(self._chip(token))
        layout.addStretch(1)
        if seq.sentence:
            sentence = QLabel(f"<i>“{seq.sentence}”</i>")
            sentence.setWordWrap(True)
            sentence.setToolTip(self.tr("The dictionary's Portuguese sentence for this example"))
            outer.addWidget(sentence)
        return frame

    def _chip(self, token: GlossToken) -> QPushButton:
        """A gloss as a button that opens its entry; ▶ and a darker colour when the gallery has
        its sign."""
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
        return chip

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

    def _gallery_entry(self, gloss: str) -> Entry | None:
        """The gallery's entry for a gloss (case, accents form and punctuation ignored).

        Reads the handle's snapshot of entries, never the database.
        """
        from signlookup.search import gloss_key

        if self._entries is None:
            self._entries = {gloss_key(e.gloss): e for e in reversed(self.gallery.entries)}
        return self._entries.get(gloss_key(gloss.strip(".,;:!?")))

    @Slot()
    def _forget_entries(self) -> None:
        self._entries = None

    def play_current(self) -> None:
        if self.current is not None:
            self.show_entry(self.current)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        self.player.join(timeout_ms)
