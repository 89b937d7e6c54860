"""The small shop the dialog tests run in, and helpers to read what a dialog shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from invdesk.domain.security import Actor, Role
from invdesk.services.system.database import Database
from tests import support

UNIT_EAN = "4006381333931"
CASE_EAN = "14006381333938"  # a case of 12 CAB-1
ADMIN = Actor("ada", Role.ADMIN)
CLERK = Actor("clara", Role.CLERK)


def seed(db: Database) -> Database:
    """Warehouses MAIN and SHOP; CAB-1 (unit and case barcodes, 10 in MAIN), SKU-2, SKU-3."""
    support.warehouse(db, "MAIN", "Main warehouse")
    support.warehouse(db, "SHOP", "Shop floor")
    support.product(db, "CAB-1", barcodes=((UNIT_EAN, 1), (CASE_EAN, 12)))
    support.product(db, "SKU-2")
    support.product(db, "SKU-3")
    support.stocked(db, "CAB-1", 10, "MAIN")
    return db


def shown(label: QWidget) -> bool:
    """True if a message label is not hidden (the dialog itself need not be on screen)."""
    return not label.isHidden()


def post(qtbot: Any, dialog: Any) -> None:
    """Click Post and wait for the post's answer (it runs off the GUI thread, as in the window)."""
    job = dialog.post()
    if job is not None:
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
