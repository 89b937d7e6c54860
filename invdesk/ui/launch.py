"""Starting the desktop app: choose and open the database, log in, show the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QStyleFactory

from invdesk.config import config_path, resolve_database, resolve_read_database
from invdesk.credentials import url_with_saved_password
from invdesk.services.catalog import logins
from invdesk.services.system import connection
from invdesk.services.system.database import DEFAULT_MAX_LAG_S, Database
from invdesk.ui import collector, crash, damaged_file, first_run
from invdesk.ui.connection_dialog import ConnectionDialog
from invdesk.ui.login_dialog import LoginDialog
from invdesk.ui.main_window import MainWindow
from invdesk.ui.resources import stylesheet
from invdesk.ui.scanning import ScanDetector, ScannerSettings, route_scan


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
    collector.install(app)
    return app


def open_at_start(db_url: str | None, env: Mapping[str, str] = os.environ) -> Database | None:
    """The database to work on, or None if the user gave up. Never half-connected: the dialog
    stays until a connection works (or is cancelled), showing what went wrong and what to do.
    """
    choice = resolve_database(db_url, env)
    first_start = choice.source == "default" and not config_path(env).exists()
    message = None
    if not first_start:
        try:
            # Reports and exports may read from a replica named in the environment or config.
            replica = resolve_read_database(None, None, env)
            return connection.connect(
                url_with_saved_password(choice.url),
                read_url=None if replica is None else url_with_saved_password(replica.url),
                read_max_lag_s=DEFAULT_MAX_LAG_S if replica is None else replica.max_lag_s,
            )
        except connection.ConnectionProblem as problem:
            message = problem.message
            if problem.kind == "damaged" and damaged_file.offer_restore(None, choice.url, message):
                return open_at_start(db_url, env)
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


def server_login_url(db_url: str | None, env: Mapping[str, str] = os.environ) -> str | None:
    """The address when this PC holds no database login of its own (a shared server where each
    person logs in as themselves): the login dialog connects; None otherwise."""
    url = url_with_saved_password(resolve_database(db_url, env).url)
    return url if logins.each_person_logs_in(url) else None


def launch(db_url: str | None, *, demo: bool = False) -> int:
    app = make_app()
    crash.setup_logging()
    crash.install_excepthook()
    server_url = server_login_url(db_url)
    db = None if server_url is not None else open_at_start(db_url)
    if db is None and server_url is None:
        return 0
    # One scan detector from the first window on: a scan at the login is refused, never typed.
    scanner = ScanDetector(app, settings=ScannerSettings.load(QSettings()))
    try:
        notice: str | None = None
        first = True
        while True:
            scanner.install()
            scanner.scanned.connect(route_scan)
            login = LoginDialog(db, server_url=server_url)
            if notice:
                login.show_error(notice)
            accepted = login.exec() == QDialog.DialogCode.Accepted
            scanner.scanned.disconnect(route_scan)
            if not accepted or login.actor is None:
                return 0
            if login.database is not None:
                # The person's own login: the session runs on it (and ends with it).
                if db is not None:
                    db.dispose()
                db = login.database
            assert db is not None
            window = MainWindow(db, login.actor, scanner=scanner)
            window.show()
            if first:
                if demo:
                    first_run.load_demo(window)
                else:
                    first_run.offer_demo(window)
            first = False
            code = app.exec()
            if window.ended_message is None and not window.logged_out:
                return code
            # Logged out, or an administrator ended the session: log in again (and say why).
            notice = window.ended_message
            if server_url is not None:
                db.dispose()  # the next person logs in with their own connection
                db = None
    finally:
        if db is not None:
            db.dispose()
