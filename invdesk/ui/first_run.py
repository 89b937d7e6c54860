"""First run: on an empty database offer the demo data; load it off the GUI thread with progress."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from invdesk.services.demo import loader
from invdesk.services.demo.loader import DemoSummary
from invdesk.services.reads import browse
from invdesk.ui import background

if TYPE_CHECKING:
    from invdesk.ui.window_host import WindowHost


def offer_demo(window: WindowHost) -> QMessageBox | None:
    """Ask whether to load the demo data, if the database is empty; returns the open question."""
    if not browse.is_empty(window.db, window.actor):
        return None
    box = QMessageBox(QMessageBox.Icon.Question, "Welcome to invdesk", "", parent=window)
    box.setText("This database is empty.")
    box.setInformativeText(
        "Load the demo data set to look around? It adds 4 warehouses, about 300 products and "
        "six months of stock history. Start empty to set up your own warehouses and products."
    )
    load = box.addButton("Load demo data", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Start empty", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(load)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    load.clicked.connect(lambda: load_demo(window))
    box.open()
    return box


def load_demo(window: WindowHost) -> QProgressDialog:
    """Load the demo data in the background with a progress dialog that can cancel it."""
    dialog = QProgressDialog("Loading the demo data…", "Cancel", 0, 100, window)
    dialog.setWindowTitle("invdesk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    done = [0, 1]
    stop = threading.Event()
    dialog.canceled.connect(stop.set)
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: dialog.setValue(int(100 * done[0] / max(1, done[1]))))
    timer.start(100)

    def progress(count: int, total: int) -> None:  # worker thread: only plain values here
        done[0], done[1] = count, total

    def work() -> DemoSummary:
        return loader.load_demo(window.db, window.actor, progress=progress, cancelled=stop.is_set)

    def finished(summary: DemoSummary) -> None:
        timer.stop()
        dialog.close()
        window.statusBar().showMessage(
            f"Demo data loaded: {summary.warehouses} warehouses, {summary.products:,} products, "
            f"{summary.movements:,} movements.",
            10_000,
        )
        window.data_changed.emit("all")

    def failed(error: BaseException) -> None:
        timer.stop()
        dialog.close()
        background.show_error(window, error, "invdesk: demo data")

    dialog.show()
    background.default().run(work, finished, failed)
    return dialog
