"""The Settings dialog: edits an AppSettings copy; the window applies and saves it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from signlookup.gui.settings import AppSettings, default_gallery_folder


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: AppSettings,
        cameras: list[int] | None,
        parent: QWidget | None = None,
    ) -> None:
        """``cameras``: the cameras found (None while the search for them still runs)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.camera = QComboBox()
        if cameras == []:
            # the same words as the main view; the stored choice is kept for when one appears
            self.camera.addItem(self.tr("No camera found"), settings.camera_index)
        for i in sorted(set(cameras or []) | ({settings.camera_index} if cameras else set())):
            self.camera.addItem(self.tr("Camera %1").replace("%1", str(i + 1)), i)
        if cameras is None:
            self.camera.addItem(
                self.tr("Camera %1").replace("%1", str(settings.camera_index + 1)),
                settings.camera_index,
            )
        self.camera.setCurrentIndex(max(0, self.camera.findData(settings.camera_index)))
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 50)
        self.top_k.setValue(settings.top_k)
        self.mirror = QCheckBox(self.tr("I sign with my left hand (mirror my signs)"))
        self.mirror.setChecked(settings.mirror)
        self.countdown = QSpinBox()
        self.countdown.setRange(0, 10)
        self.countdown.setSuffix(" s")
        self.countdown.setValue(settings.countdown_s)
        self.gallery = QLineEdit(settings.gallery_folder)
        self.gallery.setPlaceholderText(str(default_gallery_folder()))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        gallery_row = QWidget()  # a widget, not a layout: its label's "&" needs a buddy
        row = QHBoxLayout(gallery_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.gallery, 1)
        row.addWidget(browse)
        self.language = QComboBox()
        for code, label in (
            ("", self.tr("Follow the system")),
            ("pt", "Português"),
            ("en", "English"),
        ):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

        form = QFormLayout(self)
        for text, field in (
            (self.tr("&Camera:"), self.camera),
            (self.tr("&Results shown:"), self.top_k),
            (self.tr("Count&down:"), self.countdown),
            (self.tr("&Gallery folder:"), gallery_row),
            (self.tr("&Language (after restart):"), self.language),
        ):
            label = QLabel(text)
            label.setBuddy(self.gallery if field is gallery_row else field)
            form.addRow(label, field)
        form.insertRow(2, "", self.mirror)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._base = settings

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Gallery folder"), self.gallery.text()
        )
        if folder:
            self.gallery.setText(folder)

    def result_settings(self) -> AppSettings:
        return self._base.with_(
            camera_index=int(self.camera.currentData()),
            top_k=self.top_k.value(),
            mirror=self.mirror.isChecked(),
            countdown_s=self.countdown.value(),
            gallery_folder=self.gallery.text().strip(),
            language=str(self.language.currentData()),
        )
