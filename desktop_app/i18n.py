"""Translations: Parqueue's own (``resources/translations/parqueue_<lang>.qm``) and Qt's, by system locale.

Strings are marked with ``self.tr()`` in widgets and ``QCoreApplication.translate(context, text)``
elsewhere; ``pyside6-lupdate`` collects them into the ``.ts`` files, ``pyside6-lrelease`` compiles
those (see ``resources/translations/README.md``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from jobs import paths

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def translations_dir() -> str:
    return str(paths.resource("translations"))


def install(app: QCoreApplication, locale: QLocale | None = None) -> list[str]:
    """Load the translations matching ``locale`` (default: the system's); returns the files loaded."""
    locale = locale or QLocale.system()
    remove(app)
    loaded: list[str] = []
    ours = QTranslator(app)
    if ours.load(locale, "parqueue", "_", translations_dir()):
        app.installTranslator(ours)
        _installed.append(ours)
        loaded.append(ours.filePath())
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
        loaded.append(qt.filePath())
    if loaded:
        log.info("translations for %s: %s", locale.name(), loaded)
    return loaded


def remove(app: QCoreApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())
