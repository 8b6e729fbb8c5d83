"""The desktop app: the only package that imports Qt."""

from __future__ import annotations


def run_app(argv: list[str] | None = None) -> int:
    """Start the Qt application and its main window; returns the exit code."""
    import sys

    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    window = QMainWindow()
    window.setWindowTitle("signlookup")
    window.setCentralWidget(QLabel("signlookup: sign search arrives with the GUI issue."))
    window.resize(800, 600)
    window.show()
    return app.exec()
