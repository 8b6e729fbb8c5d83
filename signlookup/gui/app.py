"""Application set-up: logging, error hooks, translations, the settings store, the window."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QLibraryInfo,
    QLocale,
    QSettings,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

from signlookup.gui.errors import install_hooks
from signlookup.gui.settings import AppSettings
from signlookup.resources import resource

if TYPE_CHECKING:  # imported when the window is built, after the splash is on screen
    from signlookup.gui.main_window import MainWindow
    from signlookup.gui.services import Services


def splash_message() -> str:
    # (defined before any "#:" comment: lupdate would attach those to this string)
    return QCoreApplication.translate("Splash", "Loading models…")


TRANSLATIONS = Path(__file__).resolve().parent / "translations"
ORGANISATION = "signlookup"
APPLICATION = "signlookup"
#: Modules whose import holds the GIL in native code far longer than a frame: ``torch._C``'s
#: initialisation, 0.18-0.3 s at a stretch on 2 cores, freezes the GUI thread even when a worker
#: imports it. They are imported before the event loop, behind the splash screen. (MediaPipe and
#: sentence-transformers stall only through the cyclic GC, which the loaders pause instead:
#: ``workers.collection_paused``.)
PRELOAD_MODULES = ("torch",)
SPLASH_SIZE = (420, 220)
SPLASH_ICON = 96
#: Longest the splash waits for the window system to map it before the imports start.
SPLASH_WAIT_MS = 500


def ui_language(preference: str, system: QLocale | None = None) -> str:
    """'pt' or 'en': the stored preference, else Portuguese on a Portuguese system."""
    if preference in ("pt", "en"):
        return preference
    locale = system or QLocale.system()
    return "pt" if locale.language() == QLocale.Language.Portuguese else "en"


#: Qt's own translations (file dialogs, Cancel/OK buttons) for each UI language.
QT_TRANSLATIONS = {"pt": "qtbase_pt_BR"}


def install_qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own strings (file dialogs, standard buttons) in ``language``, from Qt's install."""
    name = QT_TRANSLATIONS.get(language)
    if name is None:
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(name, folder):
        app.installTranslator(translator)
        return translator
    logging.getLogger("signlookup.gui").warning("no Qt translation %s in %s", name, folder)
    return None


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load ``signlookup_<language>.qm`` and Qt's own translation (English: only its plural
    forms, "1 result" / "6 results")."""
    if language != "en":
        install_qt_translator(app, language)
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS / f"signlookup_{language}.qm")):
        app.installTranslator(translator)
        return translator
    logging.getLogger("signlookup.gui").warning(
        "no %s translation found in %s", language, TRANSLATIONS
    )
    return None


def default_store() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("signlookup")
    icon = resource("icons", "signlookup.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    install_hooks()
    return app


def show_splash(app: QApplication) -> QLabel:
    """The start-up screen, painted before ``preload_modules`` takes the GUI thread.

    A frameless label rather than QSplashScreen, whose ``show()`` alone took a second here
    (offscreen and under Xvfb): the point is feedback at once. Close it once the window shows.
    """
    pixmap = QPixmap(*SPLASH_SIZE)
    pixmap.fill(QColor("#f4f6f8"))
    painter = QPainter(pixmap)
    icon = app.windowIcon()
    if not icon.isNull():
        icon.paint(painter, (SPLASH_SIZE[0] - SPLASH_ICON) // 2, 28, SPLASH_ICON, SPLASH_ICON)
    painter.setPen(QColor("#1d232a"))
    painter.drawText(
        pixmap.rect().adjusted(0, 0, 0, -24),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        "signlookup\n" + splash_message(),
    )
    painter.end()
    splash = QLabel()
    splash.setPixmap(pixmap)
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.resize(*SPLASH_SIZE)
    screen = app.primaryScreen()
    if screen is not None:
        splash.move(screen.availableGeometry().center() - splash.rect().center())
    splash.show()
    waited = QElapsedTimer()
    waited.start()
    handle = splash.windowHandle()
    while handle is not None and not handle.isExposed() and waited.elapsed() < SPLASH_WAIT_MS:
        app.processEvents()  # until the window system has mapped it
    splash.repaint()
    app.processEvents()
    return splash


def preload_modules(
    names: Iterable[str] = PRELOAD_MODULES,
    importer: Callable[[str], object] = importlib.import_module,
) -> list[str]:
    """Import ``names`` on this (the GUI) thread, before the event loop starts.

    Returns those that imported. One that is missing or broken is skipped: the worker that
    needs it imports it again and reports the error in the window.
    """
    loaded = []
    for name in names:
        try:
            importer(name)
        except Exception as exc:  # reported by the worker that needs it
            logging.getLogger("signlookup.gui").info("not preloaded: %s (%s)", name, exc)
            continue
        loaded.append(name)
    return loaded


def create_main_window(store: QSettings, services: Services | None = None) -> MainWindow:
    """The window with its language installed first (widgets translate their text when built)."""
    from signlookup.gui.main_window import MainWindow

    install_ui_language(store)
    return MainWindow(store, services)


def install_ui_language(store: QSettings) -> None:
    """Install the stored (or the system's) UI language once per application."""
    app = QCoreApplication.instance()
    if app is not None and not getattr(app, "_signlookup_translator", None):
        language = ui_language(AppSettings.load(store).language)
        app._signlookup_translator = install_translator(app, language) or "en"  # type: ignore[attr-defined]
