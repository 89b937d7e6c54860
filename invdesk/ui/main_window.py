"""The main window: for now the stock overview; the workspace pages build on it."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView

from invdesk.domain.security import Actor
from invdesk.services import database, queries
from invdesk.services.database import Database
from invdesk.ui.models.stock_levels import StockLevelModel

MAX_ROWS = 5000


class MainWindow(QMainWindow):
    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self._db, self._actor = db, actor
        self.setWindowTitle("invdesk")
        self.resize(1100, 700)
        self.model = StockLevelModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.setCentralWidget(self.table)
        self.statusBar().addPermanentWidget(QLabel(f"{database.describe(db)}  ·  {actor.username}"))
        self.refresh()

    def refresh(self) -> None:
        rows = queries.stock_levels(self._db, self._actor, limit=MAX_ROWS)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
