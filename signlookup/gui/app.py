"""Application set-up: logging, error hooks, translations, the settings store, the window."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from signlookup.gui.errors import install_hooks
from signlookup.gui.main_window import MainWindow
from signlookup.gui.services import Services
from signlookup.gui.settings import AppSettings
from signlookup.resources import resource

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
ORGANISATION = "signlookup"
APPLICATION = "signlookup"


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
    """Load ``signlookup_<language>.qm`` and Qt's own translation; English needs none."""
    if language == "en":
        return None
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


def create_main_window(store: QSettings, services: Services | None = None) -> MainWindow:
    """The window with its language installed first (widgets translate their text when built)."""
    app = QCoreApplication.instance()
    if app is not None and not getattr(app, "_signlookup_translator", None):
        language = ui_language(AppSettings.load(store).language)
        app._signlookup_translator = install_translator(app, language) or "en"  # type: ignore[attr-defined]
    return MainWindow(store, services)
