"""The crash dialog for bugs: the traceback, where the log is, and a way to copy both."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtWidgets import QApplication, QMessageBox

from invdesk.ui.message_box import keep_open

log = logging.getLogger("invdesk")


def log_path() -> Path:
    return Path(user_log_dir("invdesk", appauthor=False)) / "invdesk.log"


def setup_logging() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def show_crash(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> QMessageBox | None:
    text = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error\n%s", text)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, error, tb)
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, "invdesk: unexpected error", "")
    box.setText(
        "Something went wrong inside invdesk. Your stock data is safe: an operation is either "
        "recorded in full or not at all.\n\nPlease send the details below and the log file "
        f"to your support contact.\nLog file: {log_path()}"
    )
    box.setDetailedText(text)
    keep_open(box)
    return box


def install_excepthook() -> None:
    """Bugs anywhere in the GUI become the crash dialog instead of a silent stderr trace."""
    sys.excepthook = show_crash
