"""Message boxes that do not block: shown at once, kept alive until the person closes them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

_shown: set[QMessageBox] = set()


def keep_open(box: QMessageBox) -> None:
    """Open a message box without blocking; hold it until closed (a parentless one has no owner)."""
    _shown.add(box)
    box.finished.connect(lambda _result: _shown.discard(box))
    box.open()
