"""A damaged SQLite file at start: say so, and offer to put the newest backup in its place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.services.system import backup, database

NEWEST, CHOOSE, CANCEL = "newest", "choose", "cancel"


def _ask_with_a_message_box(parent: QWidget | None) -> Callable[[str, bool], str]:
    def ask(text: str, has_newest: bool) -> str:
        box = QMessageBox(QMessageBox.Icon.Critical, "The database file is damaged", text)
        box.setParent(parent)
        newest = box.addButton("Restore this backup", QMessageBox.ButtonRole.AcceptRole)
        newest.setVisible(has_newest)
        choose = box.addButton("Choose a backup…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return NEWEST if clicked is newest else CHOOSE if clicked is choose else CANCEL

    return ask


def _choose_with_a_file_dialog(parent: QWidget | None) -> Callable[[], str]:
    def choose() -> str:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Choose a backup", "", "invdesk database (*.db);;All files (*)"
        )
        return path

    return choose


def offer_restore(
    parent: QWidget | None,
    url: str,
    message: str,
    *,
    ask: Callable[[str, bool], str] | None = None,
    choose: Callable[[], str] | None = None,
) -> bool:
    """Show why the file was refused and offer its newest backup (or another one) in its place.
    True when a backup was put in place (the damaged file is kept beside it)."""
    path = database.sqlite_file(url)
    if path is None:
        return False
    newest = backup.newest_backup(path)
    if newest is not None:
        made = datetime.fromtimestamp(Path(newest.path).stat().st_mtime)
        offer = (
            f"The newest backup is {newest.path} (saved {made:%Y-%m-%d %H:%M}, "
            f"{newest.size_bytes:,} bytes). Put it in place of the damaged file? Everything "
            "recorded since that backup is lost; the damaged file is kept beside it."
        )
    else:
        offer = (
            f"No backup was found beside it or in {path.parent / 'backups'}. Choose a backup "
            "to put in its place? The damaged file is kept beside it."
        )
    answer = (ask or _ask_with_a_message_box(parent))(f"{message}\n\n{offer}", newest is not None)
    if answer == NEWEST and newest is not None:
        source = newest.path
    elif answer == CHOOSE:
        source = (choose or _choose_with_a_file_dialog(parent))()
    else:
        return False
    if not source:
        return False
    try:
        backup.replace_damaged(path, source)
    except InvdeskError as error:
        QMessageBox.warning(parent, "Restore failed", error.message)
        return False
    return True
