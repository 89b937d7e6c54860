"""`invdesk --gui-check`: prove that Qt, its platform plugin and our dialogs load (packaging smoke test)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from invdesk.ui.connection_dialog import ConnectionDialog


def gui_check() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    dialog = ConnectionDialog()
    dialog.show()
    app.processEvents()
    ok = not dialog.grab().isNull()
    dialog.close()
    print(f"gui-check: Qt platform {QApplication.platformName()}: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1
