"""Starting the desktop app: connect (asking where on first run or failure), log in, main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from invdesk.config import config_path, resolve_database
from invdesk.credentials import url_with_saved_password
from invdesk.domain.errors import InvdeskError
from invdesk.services import connection
from invdesk.services import demo as demo_data
from invdesk.services.database import Database
from invdesk.ui.connection_dialog import ConnectionDialog
from invdesk.ui.login_dialog import LoginDialog
from invdesk.ui.main_window import MainWindow


def open_at_start(db_url: str | None, env: Mapping[str, str] = os.environ) -> Database | None:
    """The database to work on, or None if the user gave up. Never half-connected: the dialog
    stays until a connection works (or is cancelled), showing what went wrong and what to do.
    """
    choice = resolve_database(db_url, env)
    first_run = choice.source == "default" and not config_path(env).exists()
    message = None
    if not first_run:
        try:
            return connection.connect(url_with_saved_password(choice.url))
        except connection.ConnectionProblem as problem:
            message = problem.message
    # A --db flag or INVDESK_DATABASE_URL is a choice for this run only: not saved.
    dialog = ConnectionDialog(
        initial_url=choice.url,
        message=message,
        save=choice.source in ("default", "config file"),
        env=env,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.database


def launch(db_url: str | None, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("invdesk")
    app.setOrganizationName("invdesk")
    db = open_at_start(db_url)
    if db is None:
        return 0
    try:
        login = LoginDialog(db)
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return 0
        actor = login.actor
        if demo:
            try:
                demo_data.load_demo(db, actor)
            except InvdeskError as error:
                QMessageBox.warning(None, "invdesk: demo data", error.message)
        window = MainWindow(db, actor)
        window.show()
        return app.exec()
    finally:
        db.dispose()
