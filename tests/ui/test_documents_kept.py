"""Documents are never lost: closing one with lines asks first, and the open document is kept on
this PC as it is scanned, offered again after the app was killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from invdesk.ui.dialogs import ReceiveDialog
from invdesk.ui.drafts import ENV_DATA_DIR, DraftStore
from invdesk.ui.main_window import MainWindow
from tests import support
from tests.ui.conftest import CLERK


def _document(qtbot, window, *codes):
    window.activateWindow()
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", warehouse="MAIN")
    assert isinstance(dialog, ReceiveDialog)
    for code in codes:
        assert dialog.handle_scan(code)
    return dialog


def _question(qtbot, dialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.discard_question is not None)
    box = dialog.discard_question
    qtbot.waitUntil(box.isVisible)
    return box


def _click(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == text]
    button.click()


def test_escape_close_box_and_ctrl_w_ask_before_a_document_with_lines_closes(qtbot, window):
    dialog = _document(qtbot, window, "P-001", "P-002", "P-002")
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Escape)
    box = _question(qtbot, dialog)
    assert box.text() == "Discard this document with 2 lines (3 units)?"
    assert box.defaultButton().text().replace("&", "") == "Keep scanning"
    _click(box, "Keep scanning")
    assert dialog.isVisible() and len(dialog.model.lines) == 2

    assert not dialog.close()  # the close box
    _click(_question(qtbot, dialog), "Keep scanning")
    dialog.activateWindow()  # shortcuts work in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.scan, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    box = _question(qtbot, dialog)
    with qtbot.waitSignal(dialog.rejected):
        _click(box, "Discard document")
    assert not DraftStore().path(dialog.request_id).exists()
    assert support.on_hand(window.db, "P-002") == (20, 0)


def test_quitting_with_an_open_document_asks_and_keeps_the_window(qtbot, window):
    dialog = _document(qtbot, window, "P-001")
    assert not window.close()
    assert window.isVisible() and dialog.isVisible()
    _click(_question(qtbot, dialog), "Keep scanning")
    assert dialog.isVisible()


def test_the_document_is_saved_on_this_pc_as_it_is_scanned(qtbot, window):
    dialog = _document(qtbot, window, "P-001", "4006381333931", "P-003")
    dialog.reference.setText("PO-12")
    path = DraftStore().path(dialog.request_id)
    qtbot.waitUntil(lambda: path.exists() and "PO-12" in path.read_text(encoding="utf-8"))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["kind"] == "ReceiveDialog" and saved["user"] == CLERK.username
    assert [(line["code"], line["qty"]) for line in saved["lines"]] == [
        ("P-001", "1"),
        ("4006381333931", "1"),
        ("P-003", "1"),
    ]
    with qtbot.waitSignal(dialog.posted):
        dialog.post()
    qtbot.waitUntil(lambda: not path.exists())  # posted: nothing left to offer


_HALF_SCANNED = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QSettings, QTimer
    from invdesk.services.system.database import open_database
    from invdesk.ui.launch import make_app
    from invdesk.ui.main_window import MainWindow
    from invdesk.ui.drafts import DraftStore
    from tests.ui.conftest import CLERK

    app = make_app(offscreen=True)
    db = open_database(sys.argv[1])
    window = MainWindow(db, CLERK, settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", warehouse="MAIN")
    for code in ["P-001"] * 5 + ["P-002", "14006381333938", "P-003"]:
        dialog.handle_scan(code)
    path = DraftStore().path(dialog.request_id)

    def ready():
        if path.exists() and "P-003" in path.read_text(encoding="utf-8"):
            print("scanned", dialog.request_id, flush=True)
        else:
            QTimer.singleShot(20, ready)

    ready()
    app.exec()
    """
)


def test_a_killed_app_offers_the_half_scanned_document_at_the_next_start(
    qtbot, shop_db, settings, tmp_path
):
    url = str(shop_db.engine.url)
    env = {**os.environ, ENV_DATA_DIR: os.environ[ENV_DATA_DIR], "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-c", _HALF_SCANNED, url, str(tmp_path / "child.ini")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()  # blocks until the child has scanned (or died)
        assert line.startswith("scanned"), line
        request_id = line.split()[1]
        child.send_signal(signal.SIGKILL)  # no close event, no clean-up: a crash or power cut
    finally:
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    window = MainWindow(shop_db, CLERK, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.actions_.draft_questions) == 1)
    (box,) = window.actions_.draft_questions
    assert box.text().startswith("A receipt with 4 lines (19 units), saved at ")
    _click(box, "Reopen")
    qtbot.waitUntil(lambda: len(window.actions_.open_dialogs) == 1)
    (dialog,) = window.actions_.open_dialogs
    assert dialog.request_id == request_id
    assert [(line.item.code, line.qty_text) for line in dialog.model.lines] == [
        ("P-001", "5"),
        ("P-002", "1"),
        ("14006381333938", "1"),
        ("P-003", "1"),
    ]
    with qtbot.waitSignal(dialog.posted, timeout=10_000):
        dialog.post()
    assert support.on_hand(shop_db, "P-001") == (10 + 5 + 12, 0)
