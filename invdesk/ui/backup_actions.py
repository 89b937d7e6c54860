"""Backup and restore of the local database, as functions and QActions for the main window's menu.

Wiring: `menu.addActions(backup_actions(window, db, actor, on_restored=window.refresh))`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.system import backup, database
from invdesk.services.system.database import Database


def backup_database(parent: QWidget | None, db: Database, actor: Actor) -> str | None:
    """Ask for a file name and back the database up there; returns the path, or None."""
    default = f"invdesk-backup-{datetime.now():%Y-%m-%d-%H%M}.db"
    path, _ = QFileDialog.getSaveFileName(
        parent, "Back up the database", default, "invdesk database (*.db)"
    )
    if not path:
        return None
    try:
        info = backup.backup(db, path, actor, overwrite=True)  # the dialog asked about overwriting
    except InvdeskError as error:
        QMessageBox.warning(parent, "Backup failed", error.message)
        return None
    QMessageBox.information(
        parent,
        "Backup made",
        f"The database was copied to\n{info.path}\n({info.size_bytes:,} bytes).",
    )
    return info.path


def restore_database(
    parent: QWidget | None,
    db: Database,
    actor: Actor,
    *,
    choose: Callable[[], str] | None = None,
    confirm: Callable[[str], bool] | None = None,
) -> bool:
    """Ask for a backup file, confirm, and replace the database with it. True when restored."""
    if choose is None:

        def choose() -> str:
            path, _ = QFileDialog.getOpenFileName(
                parent, "Restore a backup", "", "invdesk database (*.db);;All files (*)"
            )
            return path

    path = choose()
    if not path:
        return False
    try:
        info = backup.check_backup(path)
    except InvdeskError as error:
        QMessageBox.warning(parent, "Cannot restore this file", error.message)
        return False
    question = (
        f"Replace {database.describe(db)} with the backup\n{info.path}?\n\n"
        "Everything recorded since that backup will be lost. Other invdesk windows on this PC "
        "should be closed first."
    )
    if confirm is None:

        def confirm(text: str) -> bool:
            answer = QMessageBox.warning(
                parent,
                "Restore a backup",
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            return answer == QMessageBox.StandardButton.Yes

    if not confirm(question):
        return False
    try:
        backup.restore(db, path, actor)
    except InvdeskError as error:
        QMessageBox.warning(parent, "Restore failed", error.message)
        return False
    return True


def backup_actions(
    parent: QWidget, db: Database, actor: Actor, on_restored: Callable[[], None] | None = None
) -> list[QAction]:
    """ "Back up…" and "Restore…" actions, disabled (with a tip why) when they cannot apply."""
    make = QAction("&Back up the database…", parent)
    restore = QAction("&Restore a backup…", parent)
    make.triggered.connect(lambda: backup_database(parent, db, actor))

    def do_restore() -> None:
        if restore_database(parent, db, actor) and on_restored is not None:
            on_restored()

    restore.triggered.connect(do_restore)
    reason = None
    if db.dialect != "sqlite":
        reason = "A shared server is backed up on the server with pg_dump."
    elif not actor.can(Permission.ADMIN):
        reason = "Only an administrator can back up or restore the database."
    for action in (make, restore):
        action.setEnabled(reason is None)
        if reason:
            action.setToolTip(reason)
            action.setStatusTip(reason)
    return [make, restore]
