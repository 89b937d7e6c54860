"""The purchasing pages and windows as a manager uses them: suppliers and their terms (with the
"changed by someone else" refusal), a PO written, sent, amended with a reason and cancelled,
suggestions turned into draft POs with the unsupplied ones apart, and On order on the Stock page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from invdesk.domain.purchasing import (
    CreatePurchase,
    LinkSupplier,
    OrderLine,
    POStatus,
    SupplierDetails,
)
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.services.catalog import suppliers
from invdesk.services.importing.files import ImportKind
from invdesk.services.purchasing import orders
from invdesk.services.reads import audit
from invdesk.services.stock import policies
from invdesk.ui.dialogs.po_lines import POColumn
from invdesk.ui.dialogs.purchase_order import PurchaseOrderDialog
from invdesk.ui.dialogs.supplier_editor import SupplierEditor
from invdesk.ui.import_dialog import ImportDialog
from invdesk.ui.models.columns import ROW_ROLE
from invdesk.ui.models.stock_levels import Column
from invdesk.ui.pages.purchase_orders import PurchaseOrdersPage
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.pages.suppliers import SuppliersPage
from tests.ui.conftest import CLERK


def _acme(db, pack=12):
    suppliers.create_supplier(db, SupplierDetails("ACME", "Acme Wholesale", lead_days=5), CLERK)
    link = LinkSupplier("ACME", "P-001", "AC-1", "30.00", pack, 24, preferred=True)
    suppliers.link_supplier(db, link, CLERK)


def _settle(qtbot, page):
    qtbot.waitUntil(lambda: page.status.text() != "", timeout=5000)


def test_a_supplier_is_created_edited_with_a_conflict_refused_and_deactivated(qtbot, window):
    page = window.open_page(SuppliersPage)
    assert isinstance(page, SuppliersPage)
    editor = SupplierEditor(window.db, CLERK, page)
    qtbot.addWidget(editor)
    editor.code.setText("acme")
    editor.name.setText("Acme Wholesale")
    editor.email.setText("orders@acme.example")
    editor.lead_days.setText("5")
    editor.save()
    assert editor.saved_view.code == "ACME" and editor.saved_view.lead_days == 5

    first = SupplierEditor(window.db, CLERK, page, code="ACME")
    qtbot.addWidget(first)
    suppliers.edit_supplier(window.db, SupplierDetails("ACME", phone="+44 1"), CLERK)  # elsewhere
    first.name.setText("Acme Ltd")
    first.save()
    assert not first.conflict.isHidden() and first.saved_view is None
    assert suppliers.get_supplier(window.db, "ACME", CLERK).name == "Acme Wholesale"
    first.reload()
    assert first.conflict.isHidden() and first.name.text() == "Acme Wholesale"

    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    assert page.active_button.text() == "&Deactivate"
    page.toggle_active()
    qtbot.waitUntil(lambda: not suppliers.get_supplier(window.db, "ACME", CLERK).active)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)  # inactive ones hidden by default
    page.inactive.setChecked(True)
    assert page.model.rowCount() == 1


def test_the_suppliers_products_show_their_terms(qtbot, window):
    _acme(window.db)
    page = window.open_page(SuppliersPage)
    assert isinstance(page, SuppliersPage)
    qtbot.waitUntil(lambda: page.links.rowCount() == 1, timeout=5000)
    texts = [page.links.data(page.links.index(0, c)) for c in range(page.links.columnCount())]
    assert texts[:6] == ["P-001", "Product P-001", "AC-1", "30.00", "12", "24"]
    assert texts[6] == "5 d (supplier's)" and texts[7] == "★ preferred"


def test_a_po_is_written_in_packs_sent_amended_with_a_reason_and_cancelled(qtbot, window):
    _acme(window.db)
    dialog = PurchaseOrderDialog(window.db, CLERK, window, supplier="ACME", warehouse="MAIN")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.product.setText("P-001")
    dialog.add_typed()  # 1 wanted: the minimum 24, two packs of 12
    dialog.product.setText("P-002")
    dialog.add_typed()  # no terms: 1 unit, said so
    assert "has no terms" in dialog.status.text()
    line = dialog.model.lines[0]
    assert (line.ordered, line.packs_text(), line.price_text) == (24, "2 × 12", "2.50")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.send()
    po = saved.args[0]
    assert po.status is POStatus.SENT and [ln.ordered for ln in po.lines] == [24, 1]
    assert not dialog.form.labels["reason"].parentWidget().isHidden()

    dialog.model.setData(dialog.model.index(0, POColumn.ORDERED), "36")
    assert not dialog.save_button.isEnabled()  # a sent PO changes only with a reason
    assert dialog.form.labels["reason"].text() == "Say why a sent order changes."
    dialog.reason.setText("Supplier's pallet is 36")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        qtbot.keyClick(dialog.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0].lines[0].ordered == 36
    trail = [(e.entity, e.key, e.details or "") for e in audit.list_audit(window.db, CLERK)]
    assert any(po.number in key and "pallet is 36" in details for _e, key, details in trail)

    dialog.ask_cancel()
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.question.buttons()[0].click()
    assert saved.args[0].status is POStatus.CANCELLED
    assert dialog.save_button.isHidden() and not dialog.model.editable


def test_editing_a_po_someone_changed_meanwhile_is_refused(qtbot, window):
    _acme(window.db)
    lines = (OrderLine("P-001", 24),)
    po = orders.create_po(window.db, CreatePurchase("ACME", "MAIN", lines), CLERK)
    dialog = PurchaseOrderDialog(window.db, CLERK, window, number=po.number)
    qtbot.addWidget(dialog)
    orders.send_po(window.db, po.number, CLERK)  # another manager sent it
    dialog.notes.setText("Call before delivery")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    qtbot.waitUntil(lambda: not dialog.conflict.isHidden(), timeout=5000)
    dialog.reload()
    assert dialog.order.status is POStatus.SENT and dialog.conflict.isHidden()


def test_suggestions_become_draft_orders_and_the_unsupplied_are_listed_apart(qtbot, window):
    _acme(window.db)
    for sku in ("P-001", "P-002"):
        rule = PolicyRule(PolicyKind.REORDER_POINT, point=100, qty=10)
        policies.set_policy(window.db, SetPolicy("MAIN", rule, product=sku), CLERK)
    page = window.open_page(ReorderPage)
    assert isinstance(page, ReorderPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    page.table.selectAll()
    with qtbot.waitSignal(page.orders_created, timeout=5000) as made:
        page.create_orders()
    (number,) = made.args[0]
    po = orders.get_po(window.db, number, CLERK)
    assert po.status is POStatus.DRAFT and [(ln.sku, ln.ordered) for ln in po.lines] == [
        ("P-001", 24)
    ]
    assert not page.unsupplied_box.isHidden()
    assert page.unsupplied.data(page.unsupplied.index(0, 1)) == "P-002"
    assert number in page.result.text()


def test_the_stock_page_shows_what_is_on_order(qtbot, window):
    _acme(window.db)
    po = orders.create_po(
        window.db, CreatePurchase("ACME", "MAIN", (OrderLine("P-001", 48),)), CLERK
    )
    orders.send_po(window.db, po.number, CLERK)
    page = window.open_page(StockPage)
    assert isinstance(page, StockPage)
    page.select_warehouse("MAIN")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    row = page.model.data(page.model.index(0, 0), ROW_ROLE)
    assert row.sku == "P-001" and row.on_order == 48
    assert page.model.data(page.model.index(0, Column.ON_ORDER)) == "48"


def test_the_purchase_orders_page_filters_by_status_and_opens_the_receive_dialog(qtbot, window):
    _acme(window.db)
    made = [
        orders.create_po(
            window.db, CreatePurchase("ACME", "MAIN", (OrderLine("P-001", 24),)), CLERK
        )
        for _ in range(2)
    ]
    orders.send_po(window.db, made[1].number, CLERK)
    page = window.open_page(PurchaseOrdersPage)
    assert isinstance(page, PurchaseOrdersPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    page.status_filter.setCurrentIndex(page.status_filter.findData("open"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.lines.rowCount() == 1, timeout=5000)
    assert page.receive_button.isEnabled()
    page.receive_selected()
    dialog = window.actions_.open_dialogs[-1]
    qtbot.waitUntil(lambda: dialog.purchase.number == made[1].number, timeout=5000)


def test_a_selected_po_prints_as_the_supplier_gets_it(qtbot, window):
    _acme(window.db)
    po = orders.create_po(
        window.db, CreatePurchase("ACME", "MAIN", (OrderLine("P-001", 24),)), CLERK
    )
    page = window.open_page(PurchaseOrdersPage)
    assert isinstance(page, PurchaseOrdersPage)
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=5000)
    dialog = page.print_dialog()
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.open()
    assert dialog.pages == 1 and dialog.windowTitle() == f"Purchase order {po.number}"
    dialog.close()


def test_suppliers_are_imported_through_the_preview_from_the_suppliers_page(
    qtbot, window, tmp_path
):
    path = tmp_path / "vendors.csv"
    path.write_text(
        "Vendor code,Company,E-mail,Lead time\nACME,Acme Wholesale,po@acme.example,5\nBAD,,x,\n",
        encoding="utf-8",
    )
    page = window.open_page(SuppliersPage)
    assert isinstance(page, SuppliersPage)
    page.import_button.click()
    dialog = next(d for d in window.findChildren(ImportDialog) if d.isVisible())
    assert dialog.current_kind() is ImportKind.SUPPLIERS
    assert dialog.load_file(str(path))
    with qtbot.waitSignal(dialog.check().finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview.errors == 1 and dialog.rows.rowCount() == 2
    dialog.valid_only.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        dialog.run()
    assert signal.args[0].applied == 1
    assert suppliers.get_supplier(window.db, "ACME", CLERK).lead_days == 5
    dialog.close()
