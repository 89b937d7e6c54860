"""Every dialog of the app gives each &-letter (Alt+letter) to one field or button only: a
second one would make Alt+letter cycle or press the wrong thing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QTabWidget,
    QToolBox,
    QWidget,
)

import invdesk.ui
from invdesk.domain.counts import OpenCount
from invdesk.domain.purchasing import CreatePurchase, OrderLine, PurchaseOrderView, SupplierDetails
from invdesk.domain.transit import ShipmentLineView, ShipmentStatus, ShipmentView
from invdesk.reports.documents.model import DocColumn, Document
from invdesk.reports.labels.designs import ProductLabel
from invdesk.reports.labels.sources import Counted
from invdesk.services.catalog import suppliers
from invdesk.services.counts import sheets
from invdesk.services.importing.files import ImportKind
from invdesk.services.purchasing import orders
from invdesk.services.system.database import Database
from invdesk.ui.connection_dialog import ConnectionDialog
from invdesk.ui.dialogs import (
    AdjustDialog,
    IssueDialog,
    LocationEditor,
    MoveDialog,
    ReceiveDialog,
    ReturnDialog,
    TransferDialog,
)
from invdesk.ui.dialogs.alert_mail import AlertMailDialog
from invdesk.ui.dialogs.api_access import (
    AddDialog,
    AddTokenDialog,
    AddWebhookDialog,
    SecretShownDialog,
)
from invdesk.ui.dialogs.attach_barcode import AttachBarcodeDialog
from invdesk.ui.dialogs.categories import CategoriesDialog
from invdesk.ui.dialogs.company_editor import CompanyEditor
from invdesk.ui.dialogs.count_sheet import CountSheetWindow
from invdesk.ui.dialogs.document import StockDocumentDialog
from invdesk.ui.dialogs.posting import PostingDialog
from invdesk.ui.dialogs.print_document import PrintDocumentDialog
from invdesk.ui.dialogs.product_editor import ProductEditor
from invdesk.ui.dialogs.purchase_order import PurchaseOrderDialog
from invdesk.ui.dialogs.receive_shipment import ReceiveShipmentDialog
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.stock_dialogs import _SingleWarehouseDialog
from invdesk.ui.dialogs.supplier_editor import SupplierEditor
from invdesk.ui.dialogs.supplier_link import SupplierLinkEditor
from invdesk.ui.dialogs.warehouse_editor import WarehouseEditor
from invdesk.ui.dialogs.watched import WatchedWarehousesDialog
from invdesk.ui.import_dialog import ImportDialog
from invdesk.ui.login_dialog import LoginDialog
from invdesk.ui.pages.counts import NewCountDialog
from invdesk.ui.pages.users import AccountDialog
from invdesk.ui.policy_editor import PolicyEditor
from invdesk.ui.printing.label_dialog import LabelDialog
from invdesk.ui.scanner_settings import ScannerSettingsDialog
from invdesk.ui.scanning import ScanDetector
from tests.ui.dialogs.shop import ADMIN

BASES = {PostingDialog, StockDocumentDialog, _SingleWarehouseDialog, RecordEditor, AddDialog}
"""Frames the dialogs below are built on; never shown on their own."""
_SHIPMENT = ShipmentView(
    "t-1", "MAIN", "SHOP", ShipmentStatus.IN_TRANSIT, None, "ann", datetime.now(UTC), None,
    (ShipmentLineView("CAB-1", "Cable", None, None, 3, 0, 0, None),),
)  # fmt: skip
_MNEMONIC = re.compile(r"&([^&\s])")


_DOCUMENT = Document("Pick list", "W-1", None, None, (), (), (DocColumn("SKU"),), ())


def mnemonic(text: str) -> str | None:
    """The letter Alt opens in a Qt text ('&&' is a literal ampersand), lower-cased."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonics(dialog: QWidget) -> Iterator[tuple[str, str]]:
    """(letter, the text carrying it) for every mnemonic in the dialog, hidden widgets too (they
    may be shown later, e.g. another tab or a button that appears for an unknown code)."""
    texts: list[str] = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QToolBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            yield letter, text


def _all_dialogs(db: Database, tmp_path: Path) -> list[Callable[[], QDialog]]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return [
        lambda: ReceiveDialog(db, ADMIN, warehouse="MAIN"),
        lambda: IssueDialog(db, ADMIN, warehouse="MAIN"),
        lambda: ReturnDialog(db, ADMIN, warehouse="MAIN"),
        lambda: TransferDialog(db, ADMIN),
        lambda: AdjustDialog(db, ADMIN, warehouse="MAIN"),
        lambda: AttachBarcodeDialog(db, ADMIN, code="12345670"),
        lambda: ProductEditor(db, ADMIN),
        lambda: ProductEditor(db, ADMIN, sku="CAB-1"),
        lambda: WarehouseEditor(db, ADMIN),
        lambda: CompanyEditor(db, ADMIN),
        lambda: WarehouseEditor(db, ADMIN, code="MAIN"),
        lambda: LocationEditor(db, ADMIN, warehouse="MAIN"),
        lambda: MoveDialog(db, ADMIN, warehouse="MAIN"),
        lambda: CategoriesDialog(db, ADMIN),
        lambda: WatchedWarehousesDialog(db, ADMIN),
        lambda: PolicyEditor(db, ADMIN, "MAIN"),
        lambda: ImportDialog(db, ADMIN, ImportKind.PRODUCTS, settings=settings),
        lambda: ImportDialog(db, ADMIN, ImportKind.STOCK, settings=settings),
        lambda: LoginDialog(db),
        lambda: AccountDialog(None, title="New account", new_account=True),
        lambda: AccountDialog(None, title="Your password", new_account=False, current=True),
        lambda: ScannerSettingsDialog(ScanDetector(), settings),
        lambda: ConnectionDialog(env={"INVDESK_CONFIG": str(tmp_path / "config.toml")}),
        lambda: AddTokenDialog(db, ADMIN),
        lambda: AddWebhookDialog(db, ADMIN),
        lambda: SecretShownDialog("New API token", "token", "secret-0123456789"),
        lambda: AlertMailDialog(db, ADMIN),
        lambda: NewCountDialog(db, ADMIN),
        lambda: CountSheetWindow(db, ADMIN, sheets.open_count(db, OpenCount("MAIN"), ADMIN).id),
        lambda: ReceiveShipmentDialog(db, ADMIN, _SHIPMENT),
        lambda: SupplierEditor(db, ADMIN),
        lambda: SupplierLinkEditor(db, ADMIN, supplier=_sent_po(db).supplier),
        lambda: PurchaseOrderDialog(db, ADMIN),
        lambda: PurchaseOrderDialog(db, ADMIN, number=_sent_po(db).number),
        lambda: ImportDialog(db, ADMIN, ImportKind.SUPPLIERS, settings=settings),
        lambda: PrintDocumentDialog("Pick list", lambda: _DOCUMENT),
        lambda: LabelDialog(
            [Counted(ProductLabel("CAB-1", "Cable", None, ()))],
            title="Labels",
            username="ann",
            per_pack_choice=True,
            settings=settings,
        ),
    ]


def _sent_po(db: Database) -> PurchaseOrderView:
    """A sent PO of supplier ACME (made once per database): the PO window at its fullest."""
    found = orders.list_pos(db, ADMIN, status="sent")
    if found:
        return found[0]
    suppliers.create_supplier(db, SupplierDetails("ACME", "Acme"), ADMIN)
    lines = (OrderLine("CAB-1", 12, "1.50"),)
    po = orders.create_po(db, CreatePurchase("ACME", "MAIN", lines), ADMIN)
    return orders.send_po(db, po.number, ADMIN)


def _dialog_classes() -> set[type[QDialog]]:
    """Every dialog class defined in invdesk.ui."""
    found: set[type[QDialog]] = set()
    for info in pkgutil.walk_packages(invdesk.ui.__path__, "invdesk.ui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__.startswith("invdesk."):
                found.add(cls)
    return found


def test_every_dialog_gives_each_mnemonic_to_one_control(qtbot, shop, tmp_path):
    opened: set[type[QDialog]] = set()
    clashes: list[str] = []
    for make in _all_dialogs(shop, tmp_path):
        dialog = make()
        qtbot.addWidget(dialog)
        opened.add(type(dialog))
        seen: dict[str, str] = {}
        for letter, text in mnemonics(dialog):
            if letter in seen:
                clashes.append(
                    f"{type(dialog).__name__}: Alt+{letter} is {seen[letter]!r} and {text!r}"
                )
            seen.setdefault(letter, text)
    assert not clashes, "\n".join(clashes)
    missing = _dialog_classes() - opened - BASES
    assert not missing, f"dialogs this test does not open: {sorted(c.__name__ for c in missing)}"


@pytest.mark.parametrize(
    ("text", "letter"),
    [("&Post", "p"), ("Re&ference:", "f"), ("Fish && &Chips", "c"), ("Fish && Chips", None)],
)
def test_a_mnemonic_is_the_letter_after_a_single_ampersand(text, letter):
    assert mnemonic(text) == letter
