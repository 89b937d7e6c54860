"""Filled-in examples of every dialog, for the screenshots command and the README."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from invdesk.domain.catalog import ProductView
from invdesk.domain.locations import QuantView
from invdesk.domain.security import Actor
from invdesk.services.catalog import locations, products
from invdesk.services.reads import dialog_lookups, grain, queries
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.adjust import AdjustDialog
from invdesk.ui.dialogs.attach_barcode import AttachBarcodeDialog
from invdesk.ui.dialogs.lines import Column
from invdesk.ui.dialogs.location_editor import LocationEditor
from invdesk.ui.dialogs.move import MoveDialog
from invdesk.ui.dialogs.product_editor import ProductEditor
from invdesk.ui.dialogs.stock_dialogs import (
    IssueDialog,
    ReceiveDialog,
    ReturnDialog,
    TransferDialog,
)
from invdesk.ui.dialogs.warehouse_editor import WarehouseEditor


def _delivery(products: list[ProductView]) -> list[str]:
    """Three scanned-looking codes: a case barcode first if any product has one, then unit codes."""
    cases = [(p.sku, b.code) for p in products for b in p.barcodes if b.pack_qty > 1]
    picked: list[tuple[str, str]] = cases[:1]
    for p in products:
        if len(picked) == 3:
            break
        if p.sku not in {sku for sku, _ in picked}:
            units = [b.code for b in p.barcodes if b.pack_qty == 1]
            picked.append((p.sku, (units or [p.sku])[0]))
    return [code for _, code in picked]


def dialog_shots(db: Database, actor: Actor) -> list[tuple[str, QDialog]]:
    """(file stem, dialog) pairs: each dialog filled in from the data in `db` (the demo data set).

    The caller shows, grabs and closes them. With no warehouses or products the dialogs are empty.
    """
    warehouses = [w.code for w in dialog_lookups.active_warehouses(db, actor)]
    found = products.list_products(db, actor, limit=200)
    with_barcodes = [p for p in found if p.barcodes] or found
    first = warehouses[0] if warehouses else None
    second = warehouses[1] if len(warehouses) > 1 else None
    codes = _delivery(found)
    stocked = [
        level.sku
        for level in (queries.stock_levels(db, actor, warehouse=first, limit=200) if first else [])
        if level.available >= 10
    ] or [p.sku for p in found]
    shots: list[tuple[str, QDialog]] = []

    receive = ReceiveDialog(
        db, actor, warehouse=first, lines=[(c, 2 + i) for i, c in enumerate(codes[:3])]
    )
    receive.reference.setText("PO-1042")
    cost = list(receive.columns).index(Column.COST)
    for row in range(receive.model.rowCount()):
        receive.model.setData(receive.model.index(row, cost), f"{3.05 + row:.2f}")
    shots.append(("dialog-receive", receive))

    issue = IssueDialog(db, actor, warehouse=first, lines=[(sku, 2) for sku in stocked[:2]])
    issue.reference.setText("ORDER-77")
    shots.append(("dialog-issue", issue))

    transfer = TransferDialog(
        db, actor, source=first, destination=second, lines=[(sku, 4) for sku in stocked[2:4]]
    )
    transfer.reference.setText("Restock the shop")
    shots.append(("dialog-transfer", transfer))

    ret = ReturnDialog(db, actor, warehouse=first, lines=[(p.sku, 1) for p in found[4:5]])
    ret.damaged.setChecked(True)
    if ret.reason is not None:
        ret.reason.setText("Cracked housing")
    ret.reference.setText("RMA-311")
    shots.append(("dialog-return", ret))

    adjust = AdjustDialog(db, actor, warehouse=first, lines=[(sku, 7) for sku in stocked[4:5]])
    adjust.reason.setText("Cycle count, aisle 4")
    shots.append(("dialog-adjust", adjust))

    if with_barcodes:
        cased = [p for p in with_barcodes if any(b.pack_qty > 1 for b in p.barcodes)]
        showcase = (cased or with_barcodes)[0]
        shots.append(("dialog-product", ProductEditor(db, actor, sku=showcase.sku)))
    if first is not None:
        shots.append(("dialog-warehouse", WarehouseEditor(db, actor, code=first)))
    with_bins = [w for w in warehouses if locations.list_locations(db, actor=actor, warehouse=w)]
    if with_bins or first is not None:
        shots += _location_shots(db, actor, (with_bins or [first])[0])
    attach = AttachBarcodeDialog(db, actor, code="96385074")
    if found:
        attach.product.setText(found[0].sku)
        attach.pack.setValue(6)
    shots.append(("dialog-attach-barcode", attach))
    return shots


def _location_shots(db: Database, actor: Actor, warehouse: str) -> list[tuple[str, QDialog]]:
    """The Move dialog and the location editor, on the warehouse's locations (if it has any)."""
    bins = locations.list_locations(db, warehouse, actor, include_inactive=False)
    stocked = [b for b in bins if b.on_hand]
    source = stocked[0].code if stocked else None
    move = MoveDialog(db, actor, warehouse=warehouse, source=source)
    if len(bins) > 1:
        leaves = [b.code for b in bins if b.code != source and b.zone] or [
            b.code for b in bins if b.code != source
        ]
        target = leaves[0]
        move.destination.setCurrentIndex(move.destination.findData(target))
    lines = stocked and [r.sku for r in _stock_at(db, actor, warehouse, stocked[0].code)]
    if lines:
        move.add_code(lines[0], 3, quiet=True)
    move.reference.setText("Replenish pick face")
    shots: list[tuple[str, QDialog]] = [("dialog-move", move)]
    inner = [b for b in bins if b.zone]
    if inner:
        editor = LocationEditor(db, actor, warehouse=warehouse, code=inner[0].code)
        shots.append(("dialog-location", editor))
    return shots


def _stock_at(db: Database, actor: Actor, warehouse: str, code: str) -> list[QuantView]:
    rows = grain.stock_by_grain(db, actor, by_location=True, by_lot=False, warehouse=warehouse)
    return [r for r in rows if r.location == code]
