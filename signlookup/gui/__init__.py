"""The desktop app: the only package that imports Qt.

``run_app`` shows a splash screen while torch imports and the sign encoder loads (both hold
the GIL in native code, so they would freeze the window from any thread), then the window; it
loads MediaPipe, the gallery and the text model in workers, so the user sees a loading state
instead of a frozen start.
"""

from __future__ import annotations

import os

os.environ.setdefault("GLOG_minloglevel", "2")  # before anything imports mediapipe


def run_app(argv: list[str] | None = None) -> int:
    """Start the Qt application and its main window; returns the exit code."""
    import sys

    from signlookup.gui.app import (
        create_application,
        create_main_window,
        default_store,
        install_ui_language,
        preload_modules,
        show_splash,
    )

    app = create_application(argv if argv is not None else sys.argv)
    store = default_store()
    install_ui_language(store)  # the splash speaks the user's language too
    splash = show_splash(app)  # first: the imports below take a second or more
    from signlookup.gui.services import preload_sign_encoder
    from signlookup.gui.workers import join_retired

    preload_modules()  # before the event loop: these would freeze the window later
    preload_sign_encoder()
    window = create_main_window(store)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    splash.close()
    code = app.exec()
    join_retired(60_000)  # the window is gone: threads still in a library call may finish
    return code
