"""A widget that paints a video frame with the MediaPipe skeleton on top, in the GUI thread.

Pose bones, the left hand and the right hand have distinct colours (and a legend), so a
signer sees at a glance which hand the tracker found. A caption (countdown, REC, a hint)
is painted over the picture.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from signlookup.pose.layout import BONES, LEFT_HAND, POSE, RIGHT_HAND

POSE_COLOUR = QColor("#f5f5f5")
LEFT_COLOUR = QColor("#ff9f1c")  # orange: the signer's left hand
RIGHT_COLOUR = QColor("#2ec4b6")  # teal: the signer's right hand
REC_COLOUR = QColor("#e63946")


def qimage_from_rgb(image: np.ndarray) -> QImage:
    """A QImage that owns a copy of an RGB uint8 (H, W, 3) array."""
    image = np.ascontiguousarray(image[..., :3], dtype=np.uint8)
    h, w = image.shape[:2]
    return QImage(image.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _bone_colour(a: int) -> QColor:
    if LEFT_HAND.start <= a < LEFT_HAND.stop:
        return LEFT_COLOUR
    if RIGHT_HAND.start <= a < RIGHT_HAND.stop:
        return RIGHT_COLOUR
    return POSE_COLOUR


_BONE_COLOURS = [_bone_colour(a) for a, _ in BONES]


def paint_skeleton(
    painter: QPainter, rect: QRectF, points: np.ndarray, mask: np.ndarray, width: float = 2.5
) -> None:
    """Draw bones of detected landmarks (x, y in 0..1 of ``rect``)."""

    def at(i: int) -> QPointF:
        return QPointF(
            rect.x() + points[i, 0] * rect.width(), rect.y() + points[i, 1] * rect.height()
        )

    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for (a, b), colour in zip(BONES, _BONE_COLOURS, strict=True):
        if mask[a] and mask[b]:
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(at(a), at(b))
    for part, colour in ((POSE, POSE_COLOUR), (LEFT_HAND, LEFT_COLOUR), (RIGHT_HAND, RIGHT_COLOUR)):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        for i in range(part.start, part.stop):
            if mask[i] and (part is not POSE or i < 25):
                painter.drawEllipse(at(i), width * 0.9, width * 0.9)


def skeleton_image(
    points: np.ndarray, mask: np.ndarray, width: int, height: int, pen: float = 1.5
) -> QImage:
    """One pose drawn on the dark video background: a frame for entries that have no video.

    Painting into a QImage is safe off the GUI thread, so workers can pre-render replays.
    """
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#1d232a"))
    painter = QPainter(image)
    paint_skeleton(painter, QRectF(0, 0, width, height), points, mask, pen)
    painter.end()
    return image


class VideoView(QWidget):
    """Shows the newest frame, scaled to fit, with skeleton, caption and recording border."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None
        self._points: np.ndarray | None = None
        self._mask: np.ndarray | None = None
        self._caption = ""
        self._big_caption = ""
        self._recording = False
        self.placeholder = placeholder
        self.show_legend = True
        #: Show the picture and skeleton left-right mirrored (to sign along with a clip).
        self.mirrored = False

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    def set_frame(self, image: np.ndarray | QImage | None) -> None:
        self._image = (
            image if isinstance(image, QImage) or image is None else qimage_from_rgb(image)
        )
        self.update()

    def set_pose(self, points: np.ndarray | None, mask: np.ndarray | None) -> None:
        self._points, self._mask = points, mask
        self.update()

    def set_caption(self, text: str) -> None:
        self._caption = text
        self.update()

    def set_big_caption(self, text: str) -> None:
        """Large centred text: the 3-2-1 countdown."""
        self._big_caption = text
        self.update()

    def set_mirrored(self, mirrored: bool) -> None:
        self.mirrored = mirrored
        self.update()

    def set_recording(self, recording: bool) -> None:
        self._recording = recording
        self.update()

    def clear(self) -> None:
        self._image = self._points = self._mask = None
        self._caption = self._big_caption = ""
        self._recording = False
        self.update()

    def _picture_rect(self) -> QRectF:
        if self._image is None:
            return QRectF(self.rect())
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1d232a"))
        rect = self._picture_rect()
        if self._image is None:
            painter.setPen(QColor("#aab4be"))
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if self.mirrored:
                painter.translate(self.width(), 0)
                painter.scale(-1, 1)
            painter.drawImage(rect, self._image)
            if self._points is not None and self._mask is not None:
                painter.setClipRect(rect)  # hips below the picture are predicted, not seen
                paint_skeleton(
                    painter, rect, self._points, self._mask, max(1.5, rect.width() / 250)
                )
                painter.setClipping(False)
            painter.resetTransform()
            if self.show_legend:
                self._paint_legend(painter, rect)
        if self._recording:
            painter.setPen(QPen(REC_COLOUR, 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(3, 3, -3, -3))
        if self._caption:
            self._paint_caption(painter)
        if self._big_caption:
            font = QFont(self.font())
            font.setPointSizeF(max(24.0, self.height() / 5))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._big_caption)
        painter.end()

    def _paint_caption(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRectF(10, 10, metrics.horizontalAdvance(self._caption) + 20, metrics.height() + 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(REC_COLOUR if self._recording else QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._caption)

    def _paint_legend(self, painter: QPainter, rect: QRectF) -> None:
        from PySide6.QtCore import QCoreApplication

        labels = (
            (QCoreApplication.translate("VideoView", "left hand"), LEFT_COLOUR),
            (QCoreApplication.translate("VideoView", "right hand"), RIGHT_COLOUR),
        )
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        x = rect.x() + 8
        y = rect.bottom() - metrics.height() - 8
        for text, colour in labels:
            w = metrics.horizontalAdvance(text) + 26
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 150))
            painter.drawRoundedRect(QRectF(x, y, w, metrics.height() + 4), 4, 4)
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x + 9, y + 2 + metrics.height() / 2), 5, 5)
            painter.setPen(QColor("white"))
            painter.drawText(QRectF(x + 18, y + 2, w - 18, metrics.height()), text)
            x += w + 6
