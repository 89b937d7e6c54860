"""Watched warehouses…: a checkbox per active warehouse; new alerts of the ticked ones reach the
user as tray messages. Every user keeps their own list (default: every warehouse)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.catalog import warehouses, watching
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.widgets import ErrorLabel, Heading


class WatchedWarehousesDialog(QDialog):
    """`saved(WatchedWarehouses)` after the choice is stored."""

    saved = Signal(object)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.setWindowTitle("Watched warehouses")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addWidget(
            Heading(
                "Watched warehouses",
                "New low-stock and out-of-stock alerts of the ticked warehouses show as "
                "messages in the system tray. Your choice; other users keep their own.",
                self,
            )
        )
        current = watching.watched_warehouses(db, actor)
        self.boxes: dict[str, QCheckBox] = {}
        for w in warehouses.list_warehouses(db, actor, include_inactive=False):
            box = QCheckBox(f"{w.code}  ·  {w.name}", self)
            box.setChecked(w.code in current.codes)
            box.toggled.connect(lambda _on: self.error.show_message(None))
            self.boxes[w.code] = box
            layout.addWidget(box)
        quick = QHBoxLayout()
        self.all_button = QPushButton("All", self)
        self.none_button = QPushButton("None", self)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        quick.addWidget(self.all_button)
        quick.addWidget(self.none_button)
        quick.addStretch(1)
        layout.addLayout(quick)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _tick_all(self, on: bool) -> None:
        for box in self.boxes.values():
            box.setChecked(on)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def save(self) -> None:
        try:
            result = watching.set_watched_warehouses(self._db, self._actor, self.chosen())
        except InvdeskError as error:
            self.error.show_message(error.message)
            return
        self.saved.emit(result)
        self.accept()
