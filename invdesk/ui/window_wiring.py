"""What the main window adds around its pages: live updates from other PCs, the alert badge and
tray messages, the sweeper and the integrity check, reorder suggestions turned into documents,
import and export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSystemTrayIcon,
    QTableView,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Permission
from invdesk.services.importing.files import ImportKind
from invdesk.services.reads import alerts
from invdesk.services.trust.integrity import CheckView
from invdesk.ui import background
from invdesk.ui.expiry_watch import ExpiryWatch
from invdesk.ui.export import export_model
from invdesk.ui.import_dialog import ImportDialog
from invdesk.ui.integrity import IntegrityWatch, describe
from invdesk.ui.live import LiveUpdates, SweepTimer, TrayNotifier
from invdesk.ui.policy_editor import PolicyEditor
from invdesk.ui.printing import label_actions
from invdesk.ui.resources import icon

if TYPE_CHECKING:
    from invdesk.ui.pages.reorder import ReorderPage
    from invdesk.ui.window_host import WindowHost


class LiveWiring(QObject):
    """Keeps the window in step with the database, whoever changed it (DESIGN.md section 5)."""

    def __init__(self, window: WindowHost, live: LiveUpdates) -> None:
        super().__init__(window)
        self.window, self.live = window, live
        db, actor = window.db, window.actor
        self.online_label = QLabel("", window)
        self.online_label.setObjectName("onlineLabel")
        window.statusBar().addPermanentWidget(self.online_label)
        tray = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = QSystemTrayIcon(icon("invdesk"), window)
            tray.show()
        self.tray = TrayNotifier(db, actor, tray, parent=window)
        self.sweeper = SweepTimer(db, actor, self) if actor.can(Permission.STOCK) else None
        self.expiry = ExpiryWatch(db, actor, self) if actor.can(Permission.STOCK) else None
        # The scheduled integrity check runs beside the sweeper (`invdesk serve` runs the same
        # integrity.run_check from its scheduler), on PCs of people who may read the audit trail.
        self.integrity = IntegrityWatch(db, actor, self) if actor.can(Permission.REPORTS) else None
        if self.integrity is not None:
            self.integrity.mismatch.connect(self.on_mismatch)
        live.changed.connect(self.on_changed)
        live.online_changed.connect(self.on_online)
        live.alert_raised.connect(lambda *_: self.tray.check_later())
        self.update_badge()

    def on_changed(self, kinds: frozenset[str], ids: Any) -> None:
        """Pages that follow live changes are told; the rest are read again when next shown."""
        window = self.window
        current = window.stack.currentIndex()
        for number, page in list(window.built_pages().items()):
            if not page.follows(kinds):
                continue  # nothing this page shows
            if number == current:
                page.on_changed(kinds, ids)
            else:
                window.mark_stale(number)
        if "alert" in kinds:
            self.update_badge()
            self.tray.check_later()

    def on_mismatch(self, check: CheckView) -> None:
        """A ledger-mismatch alert: to the admin's tray, and the banners on Alerts and Dashboard."""
        self.tray.notify("Ledger mismatch", describe(check))
        self.on_changed(frozenset({"alert"}), {})

    def on_online(self, online: bool) -> None:
        self.online_label.setText("" if online else "Offline: reconnecting…")
        if online:  # a catch-up: anything missed while offline shows now
            self.on_changed(
                frozenset({"stock", "alert", "order", "policy", "catalog", "admin"}), {}
            )

    def update_badge(self) -> None:
        """The open-alert count next to Alerts in the side bar (read off the GUI thread)."""
        db, actor = self.window.db, self.window.actor
        background.default().run(
            lambda: alerts.alert_badge_count(db, actor),
            lambda count: self.window.set_badge("Alerts", count),
            lambda error: (
                None
                if isinstance(error, InvdeskError)
                else background.show_error(self.window, error)
            ),
        )


def open_reorder_document(window: WindowHost, page: ReorderPage) -> None:
    """A reorder suggestion opens the receive (or transfer) dialog, pre-filled."""
    actions = window.actions_
    page.receive_requested.connect(
        lambda wh, sku, qty: actions.open_stock_dialog(
            "ReceiveDialog", warehouse=wh, lines=((sku, qty),)
        )
    )
    page.transfer_requested.connect(
        lambda src, dst, sku, qty: actions.open_stock_dialog(
            "TransferDialog", source=src, destination=dst, lines=((sku, qty),)
        )
    )
    page.policies_requested.connect(lambda wh: open_policy_editor(window, wh))


def open_watched_warehouses(window: WindowHost) -> None:
    """The user's watched warehouses: whose new alerts show as tray messages."""
    from invdesk.ui.dialogs.watched import WatchedWarehousesDialog

    dialog = WatchedWarehousesDialog(window.db, window.actor, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(
        lambda chosen: window.statusBar().showMessage(
            "Tray messages for new alerts in "
            + ("every warehouse" if chosen.everything else ", ".join(chosen.codes)),
            6000,
        )
    )
    dialog.open()


def open_alert_mail(window: WindowHost) -> None:
    """The user's own alert e-mail address and how alerts reach it."""
    from invdesk.ui.dialogs.alert_mail import MODES, AlertMailDialog

    try:
        dialog = AlertMailDialog(window.db, window.actor, window)
    except InvdeskError as error:
        background.show_error(window, error)
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(
        lambda chosen: window.statusBar().showMessage(
            "No alert e-mail."
            if chosen is None
            else f"Alert e-mail to {chosen.email}: {MODES[chosen.mode].lower()}.",
            6000,
        )
    )
    dialog.open()


def open_policy_editor(window: WindowHost, warehouse: str) -> None:
    editor = PolicyEditor(window.db, window.actor, warehouse, window)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.saved.connect(lambda: window.data_changed.emit("stock"))
    editor.open()


def file_actions(window: WindowHost) -> list[QAction]:
    """Import products, stock or suppliers (managers) and export the table on screen (everyone)."""
    products = QAction("Import &products…", window)
    stock = QAction("Import &stock…", window)
    vendors = QAction("Import s&uppliers…", window)
    export = QAction("&Export this table…", window)
    export.setShortcut("Ctrl+E")
    products.triggered.connect(lambda: import_file(window, ImportKind.PRODUCTS))
    stock.triggered.connect(lambda: import_file(window, ImportKind.STOCK))
    vendors.triggered.connect(lambda: import_file(window, ImportKind.SUPPLIERS))
    export.triggered.connect(lambda: export_current_table(window))
    watched = QAction("&Watched warehouses…", window)
    watched.setStatusTip("Choose the warehouses whose new alerts show in the tray")
    watched.triggered.connect(lambda: open_watched_warehouses(window))
    mail = QAction("Alert e-&mail…", window)
    mail.setStatusTip("Your e-mail address and whether alerts reach it at once, daily or never")
    mail.triggered.connect(lambda: open_alert_mail(window))
    if not window.actor.can(Permission.CATALOG):
        for action in (products, stock, vendors):
            action.setEnabled(False)
            action.setStatusTip("Imports need a manager.")
    return [products, stock, vendors, export, watched, mail]


def import_file(window: WindowHost, kind: ImportKind) -> None:
    dialog = ImportDialog(window.db, window.actor, kind, window, window.settings)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.imported.connect(lambda _result: window.data_changed.emit("stock"))
    dialog.imported.connect(lambda _result: window.data_changed.emit("catalog"))
    dialog.open()


def export_current_table(window: WindowHost, path: str | None = None) -> int:
    """Write the table on screen, with its filters and sort, to .xlsx or .csv."""
    page = window.current_page()
    tables = page.tables()
    if not tables:
        QMessageBox.information(window, "Export", "This page has no table to export.")
        return 0
    name, table = next(iter(tables.items()))
    if path is None:
        suggested = str(Path.home() / f"{name}.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            window, "Export table", suggested, "Excel workbook (*.xlsx);;CSV (*.csv)"
        )
        if not path:
            return 0
    model = table.model()
    progress = QProgressDialog("Exporting…", "Cancel", 0, max(1, model.rowCount()), window)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def step(done: int) -> None:
        progress.setValue(done)
        QApplication.processEvents()

    try:
        written = export_model(
            model,
            path,
            title=page.TITLE or name,
            by=window.actor.username,
            progress=step,
            cancelled=progress.wasCanceled,
        )
    except (InvdeskError, OSError) as error:
        message = error.message if isinstance(error, InvdeskError) else str(error)
        QMessageBox.warning(window, "Export", message)
        return 0
    finally:
        progress.close()
    window.statusBar().showMessage(f"Exported {written:,} rows to {path}", 6000)
    return written


def selected_skus(table: QTableView) -> list[str]:
    """The SKUs of a product table's selected rows, top to bottom."""
    model: Any = table.model()
    rows = sorted(index.row() for index in table.selectionModel().selectedRows())
    found = [model.row_at(row) for row in rows] if hasattr(model, "row_at") else []
    return [row.sku for row in found if row is not None and hasattr(row, "sku")]


def product_menu(
    window: WindowHost, table: QTableView, selected_sku: Callable[[], str | None]
) -> None:
    """Right-click on a product row: a document for that product, asked for by the user (a
    document opened from the toolbar starts empty), or labels for the selected products."""
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    # Several rows may be chosen for labels; everything else acts on the current one.
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def show(position: Any) -> None:
        sku = selected_sku()
        if not sku:
            return
        menu = QMenu(table)
        if window.actor.can(Permission.STOCK):
            for text, name in (
                ("&Receive this product", "ReceiveDialog"),
                ("&Issue this product", "IssueDialog"),
                ("&Transfer this product", "TransferDialog"),
            ):
                menu.addAction(text, lambda n=name: window.actions_.for_product(n, sku))
            menu.addSeparator()
        skus = selected_skus(table) or [sku]
        menu.addAction(
            "Print &labels…" if len(skus) == 1 else f"Print &labels for {len(skus):,} products…",
            lambda: label_actions.products(
                window, window.db, window.actor, skus, settings=window.settings
            ),
        )
        menu.popup(table.viewport().mapToGlobal(position))

    table.customContextMenuRequested.connect(show)
