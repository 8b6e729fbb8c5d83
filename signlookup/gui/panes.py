"""The list-beside-detail layout the gallery and gloss views share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QSplitter, QVBoxLayout, QWidget


def split_list_and_detail(owner: QWidget, left: QWidget, right: QLayout) -> QSplitter:
    """Fill ``owner`` with a horizontal splitter: ``left`` 3 parts, ``right`` (a layout) 2."""
    right_panel = QWidget()
    right_panel.setLayout(right)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(right_panel)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    QVBoxLayout(owner).addWidget(splitter)
    return splitter
