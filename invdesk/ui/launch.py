"""Starting the desktop app: choose the database, open it, show the main window."""

from __future__ import annotations

import getpass
import os
import sys

from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from invdesk.config import resolve_database
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Role
from invdesk.services.database import open_database
from invdesk.ui import crash, first_run
from invdesk.ui.main_window import MainWindow
from invdesk.ui.resources import stylesheet


def make_app(*, offscreen: bool = False) -> QApplication:
    """The QApplication with invdesk's names, style and stylesheet (made once)."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("invdesk")
    app.setOrganizationName("invdesk")
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setStyleSheet(stylesheet())
    return app


def current_actor() -> Actor:
    # Until user accounts exist, the app acts as the logged-in OS user.
    try:
        name = getpass.getuser()
    except OSError:
        name = "desk"
    return Actor(name[:64], Role.ADMIN)


def launch(db_url: str | None, *, demo: bool = False) -> int:
    app = make_app()
    crash.setup_logging()
    crash.install_excepthook()
    try:
        db = open_database(resolve_database(db_url).url)
    except InvdeskError as error:
        QMessageBox.critical(None, "invdesk: cannot open the database", error.message)
        return error.exit_code
    window = MainWindow(db, current_actor())
    window.show()
    if demo:
        first_run.load_demo(window)
    else:
        first_run.offer_demo(window)
    try:
        return app.exec()
    finally:
        db.dispose()
