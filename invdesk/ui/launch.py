"""Starting the desktop app: choose the database, open it, show the main window."""

from __future__ import annotations

import getpass
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from invdesk.config import resolve_database
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Role
from invdesk.services import demo as demo_data
from invdesk.services.database import open_database
from invdesk.ui.main_window import MainWindow


def launch(db_url: str | None, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("invdesk")
    app.setOrganizationName("invdesk")
    try:
        db = open_database(resolve_database(db_url).url)
    except InvdeskError as error:
        QMessageBox.critical(None, "invdesk: cannot open the database", error.message)
        return error.exit_code
    actor = Actor(getpass.getuser(), Role.ADMIN)
    if demo:
        try:
            demo_data.load_demo(db, actor)
        except InvdeskError as error:
            QMessageBox.warning(None, "invdesk: demo data", error.message)
    window = MainWindow(db, actor)
    window.show()
    try:
        return app.exec()
    finally:
        db.dispose()
