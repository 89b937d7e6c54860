"""Product and warehouse editors: validation as you type, duplicates, stale edits and reload."""

from __future__ import annotations

from decimal import Decimal

from invdesk.domain.catalog import EditProduct, EditWarehouse
from invdesk.services.catalog import barcodes, products, warehouses
from invdesk.ui.dialogs import AttachBarcodeDialog, ProductEditor, WarehouseEditor
from tests.ui.dialogs.shop import ADMIN, CASE_EAN, CLERK, UNIT_EAN, shown


def _product(qtbot, db, **kwargs):
    editor = ProductEditor(db, ADMIN, **kwargs)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _warehouse(qtbot, db, **kwargs):
    editor = WarehouseEditor(db, ADMIN, **kwargs)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_a_new_product_is_saved_with_its_barcodes(qtbot, shop):
    editor = _product(qtbot, shop)
    assert not editor.can_save()  # no SKU or name yet
    editor.sku.setText("TAPE-9")
    editor.name.setText("Packing tape")
    editor.category.setCurrentText("Office")
    editor.price.setText("3,50")
    editor.barcode_code.setText("96385074")
    assert editor.add_barcode()
    editor.barcode_code.setText("10012345000017")
    editor.barcode_pack.setValue(6)
    assert editor.add_barcode()
    with qtbot.waitSignal(editor.saved) as blocker:
        editor.save()
    view = blocker.args[0]
    assert (view.sku, view.category, view.price) == ("TAPE-9", "Office", Decimal("3.5"))
    assert {(b.code, b.pack_qty) for b in view.barcodes} == {
        ("96385074", 1),
        ("10012345000017", 6),
    }


def test_a_bad_price_keeps_save_disabled(qtbot, shop):
    editor = _product(qtbot, shop, sku="CAB-1")
    assert editor.can_save()
    editor.price.setText("1.23456")
    assert not editor.can_save()
    assert "decimal places" in editor.form.labels["price"].text()


def test_a_duplicate_sku_is_shown_at_the_sku(qtbot, shop):
    editor = _product(qtbot, shop)
    editor.sku.setText("SKU-2")
    editor.name.setText("Another")
    editor.save()
    assert editor.saved_view is None and editor.isVisible()
    assert "SKU-2 already exists" in editor.form.labels["sku"].text()
    assert editor.sku.property("invalid")
    editor.sku.setText("SKU-9")  # typing clears the stale message
    assert not shown(editor.form.labels["sku"])


def test_a_bad_check_digit_or_someone_elses_barcode_is_refused_at_the_list(qtbot, shop):
    editor = _product(qtbot, shop, sku="SKU-2")
    editor.barcode_code.setText("4006381333932")
    assert not editor.add_barcode()
    assert "check digit should be 1" in editor.form.labels["barcode"].text()
    editor.barcode_code.setText(UNIT_EAN)
    assert not editor.add_barcode()
    assert "already belongs to CAB-1" in editor.form.labels["barcode"].text()
    assert editor.barcodes.rowCount() == 0


def test_barcodes_are_added_and_removed_on_save(qtbot, shop):
    editor = _product(qtbot, shop, sku="CAB-1")
    assert editor.barcodes.rowCount() == 2
    editor.barcodes.selectRow(1)
    editor.remove_selected_barcodes()
    assert editor.handle_scan("96385074")  # a scan lists the code at once
    assert editor.barcode_code.text() == ""
    with qtbot.waitSignal(editor.saved):
        editor.save()
    view = products.get_product(shop, "CAB-1", ADMIN)
    assert {b.code for b in view.barcodes} == {UNIT_EAN, "96385074"}
    assert CASE_EAN not in {b.code for b in view.barcodes}


def test_an_unknown_scanned_code_is_prefilled_for_a_new_product(qtbot, shop):
    editor = _product(qtbot, shop, barcode="96385074")
    assert editor.barcode_list() == (("96385074", 1),)
    assert editor.windowTitle() == "New product"


def test_a_stale_product_edit_offers_a_reload(qtbot, shop):
    editor = _product(qtbot, shop, sku="CAB-1")
    products.edit_product(shop, EditProduct("CAB-1", name="Renamed elsewhere"), ADMIN)
    editor.name.setText("My name")
    editor.save()
    assert editor.saved_view is None and editor.isVisible()
    assert shown(editor.conflict)
    assert "changed by someone else" in editor.conflict.message.text()
    assert not editor.can_save()
    editor.name.setText("My name, again")
    assert not editor.can_save()  # only a reload leads on
    editor.conflict.reload_button.click()
    assert not shown(editor.conflict)
    assert editor.name.text() == "Renamed elsewhere"
    editor.name.setText("My name")
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert products.get_product(shop, "CAB-1", ADMIN).name == "My name"


def test_a_clerk_sees_a_product_read_only(qtbot, shop):
    editor = ProductEditor(shop, CLERK, sku="CAB-1")
    qtbot.addWidget(editor)
    assert editor.name.isReadOnly() and editor.save_button.isHidden()
    assert "Only managers" in editor.heading.hint.text()
    editor.save()
    assert editor.saved_view is None
    warehouse = WarehouseEditor(shop, CLERK, code="MAIN")
    qtbot.addWidget(warehouse)
    assert warehouse.name.isReadOnly() and warehouse.save_button.isHidden()


def test_a_new_warehouse_is_saved_in_capitals(qtbot, shop):
    editor = _warehouse(qtbot, shop)
    assert not editor.can_save()
    editor.code.setText("north")
    editor.name.setText("North depot")
    editor.address.setPlainText("3 Quay Street")
    with qtbot.waitSignal(editor.saved) as blocker:
        editor.save()
    assert blocker.args[0].code == "NORTH" and blocker.args[0].address == "3 Quay Street"


def test_a_duplicate_warehouse_code_is_shown_at_the_code(qtbot, shop):
    editor = _warehouse(qtbot, shop)
    editor.code.setText("MAIN")
    editor.name.setText("Again")
    editor.save()
    assert "already exists" in editor.form.labels["code"].text()
    assert editor.saved_view is None


def test_a_stale_warehouse_edit_offers_a_reload(qtbot, shop):
    editor = _warehouse(qtbot, shop, code="SHOP")
    assert editor.code.isReadOnly()
    warehouses.edit_warehouse(shop, EditWarehouse("SHOP", name="Shop floor 2"), ADMIN)
    editor.active.setChecked(False)
    editor.save()
    assert shown(editor.conflict)
    editor.reload()
    assert editor.name.text() == "Shop floor 2" and editor.active.isChecked()
    editor.active.setChecked(False)
    with qtbot.waitSignal(editor.saved) as blocker:
        editor.save()
    assert not blocker.args[0].active


def test_an_unknown_code_is_attached_to_an_existing_product(qtbot, shop):
    dialog = AttachBarcodeDialog(shop, ADMIN, code="96385074")
    qtbot.addWidget(dialog)
    assert not dialog.attach_button.isEnabled()
    dialog.handle_scan("NOPE")
    assert "NOPE" in dialog.form.labels["sku"].text()
    dialog.product.setText("SKU-2")
    assert dialog.product_name.text() == "Product SKU-2 (SKU-2)"
    dialog.pack.setValue(6)
    with qtbot.waitSignal(dialog.saved) as blocker:
        dialog.attach()
    assert ("96385074", 6) in {(b.code, b.pack_qty) for b in blocker.args[0].barcodes}


def test_attaching_needs_the_catalog_permission(qtbot, shop):
    dialog = AttachBarcodeDialog(shop, CLERK, code="96385074")
    qtbot.addWidget(dialog)
    dialog.product.setText("SKU-2")
    dialog.attach()
    assert "not allowed" in dialog.error.text() and dialog.saved_view is None


def test_a_product_opens_its_stock_history_chart_for_managers_only(qtbot, shop):
    from invdesk.ui.charts.product_chart import ProductChartWidget

    editor = ProductEditor(shop, ADMIN, sku="CAB-1")
    qtbot.addWidget(editor)
    history = next(b for b in editor.buttons.buttons() if "history" in b.text())
    chart = editor.show_history("CAB-1")
    assert chart.findChild(ProductChartWidget) is not None
    chart.close()
    assert history.isEnabled()
    clerk = ProductEditor(shop, CLERK, sku="CAB-1")
    qtbot.addWidget(clerk)
    assert not any("history" in b.text() for b in clerk.buttons.buttons())


def test_a_save_whose_barcode_was_taken_meanwhile_saves_nothing(qtbot, shop):
    """Fields and barcodes are one Save, one transaction: a refused barcode leaves the new name
    unsaved too (issue 16 point 2)."""
    editor = _product(qtbot, shop, sku="SKU-2")
    before = products.get_product(shop, "SKU-2", ADMIN)
    editor.name.setText("Renamed")
    assert editor.handle_scan("96385074")  # free when listed...
    barcodes.replace_barcodes(shop, "SKU-3", (("96385074", 1),), ADMIN)  # ...taken now
    editor.save()
    assert editor.saved_view is None and editor.isVisible()
    assert "already belongs to SKU-3" in editor.form.labels["barcode"].text()
    after = products.get_product(shop, "SKU-2", ADMIN)
    assert (after.name, after.version, after.barcodes) == (
        before.name,
        before.version,
        before.barcodes,
    )


def test_a_product_is_tracked_by_lot_with_a_shelf_life(qtbot, shop):
    editor = _product(qtbot, shop)
    editor.sku.setText("MILK-1")
    editor.name.setText("Milk")
    editor.category.setCurrentText("Food")
    editor.tracking.setCurrentIndex(editor.tracking.findData("lot"))
    editor.shelf_life.setValue(12)
    with qtbot.waitSignal(editor.saved):
        editor.save()

    saved = products.get_product(shop, "MILK-1", ADMIN)
    assert (saved.tracking, saved.shelf_life_days) == ("lot", 12)
    again = _product(qtbot, shop, sku="MILK-1")
    assert (again.tracking.currentData(), again.shelf_life.value()) == ("lot", 12)
