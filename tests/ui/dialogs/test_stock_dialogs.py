"""Receive, issue, transfer and return dialogs: posting, errors at the field or line, request ids."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QThreadPool

from invdesk.domain.catalog import EditWarehouse
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.domain.stock import LedgerFilter, MovementKind
from invdesk.services.catalog import products, warehouses
from invdesk.services.reads import queries
from invdesk.services.stock import operations
from invdesk.ui import background
from invdesk.ui.background import Background
from invdesk.ui.dialogs import IssueDialog, ReceiveDialog, ReturnDialog, TransferDialog
from invdesk.ui.dialogs.lines import Column
from tests import support
from tests.ui.dialogs.shop import ADMIN, CASE_EAN, CLERK, post, shown


def _open(qtbot, cls, db, **kwargs):
    dialog = cls(db, CLERK, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _set_qty(dialog, row, value):
    column = list(dialog.columns).index(Column.QTY)
    dialog.model.setData(dialog.model.index(row, column), value)


def test_receive_posts_every_line_in_one_transaction(qtbot, any_shop):
    dialog = _open(qtbot, ReceiveDialog, any_shop, warehouse="MAIN")
    dialog.add_code("SKU-2", 5)
    dialog.add_code("SKU-3", 2)
    cost = list(dialog.columns).index(Column.COST)
    dialog.model.setData(dialog.model.index(0, cost), "2.50")
    dialog.reference.setText("PO-9")
    assert dialog.can_post()
    with qtbot.waitSignal(dialog.posted) as blocker:
        qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert [m.sku for m in result.movements] == ["SKU-2", "SKU-3"]
    assert {m.reference for m in result.movements} == {"PO-9"}
    assert result.request_id == dialog.request_id
    assert support.on_hand(any_shop, "SKU-2") == (5, 0)
    assert support.on_hand(any_shop, "SKU-3") == (2, 0)
    assert not dialog.isVisible()


def test_a_bad_quantity_keeps_post_disabled_and_says_why(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN")
    dialog.add_code("SKU-2")
    assert dialog.can_post()
    _set_qty(dialog, 0, "0")
    assert not dialog.can_post()
    assert shown(dialog.lines_error)
    assert "Line 1" in dialog.lines_error.text() and "at least 1" in dialog.lines_error.text()
    _set_qty(dialog, 0, "3")
    assert dialog.can_post()
    assert not shown(dialog.lines_error)


def test_a_bad_unit_cost_keeps_post_disabled(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN")
    dialog.add_code("SKU-2")
    cost = list(dialog.columns).index(Column.COST)
    dialog.model.setData(dialog.model.index(0, cost), "1.23456")
    assert not dialog.can_post()
    assert "decimal places" in dialog.lines_error.text()


def test_an_empty_document_cannot_be_posted(qtbot, shop):
    dialog = _open(qtbot, IssueDialog, shop, warehouse="MAIN")
    assert not dialog.can_post()
    post(qtbot, dialog)
    assert support.ledger_count(shop) == 1


def test_a_quantity_over_available_shows_at_the_line_as_typed_and_blocks_post(qtbot, any_shop):
    dialog = _open(qtbot, IssueDialog, any_shop, warehouse="MAIN", lines=[("CAB-1", 4)])
    available = list(dialog.columns).index(Column.AVAILABLE)
    assert dialog.model.data(dialog.model.index(0, available)) == "10"
    assert dialog.can_post()
    _set_qty(dialog, 0, "30")  # typed into the Qty cell
    assert not dialog.can_post()
    assert dialog.lines_error.text() == (
        "Line 1: Only 10 each of CAB-1 available; this line asks for 30."
    )
    qty = list(dialog.columns).index(Column.QTY)
    assert dialog.model.data(dialog.model.index(0, qty), Qt.ItemDataRole.ForegroundRole)
    _set_qty(dialog, 0, "10")
    assert dialog.can_post() and not shown(dialog.lines_error)


def test_issue_short_of_stock_at_the_server_marks_the_line_and_posts_nothing(qtbot, any_shop):
    """Stock gone since the lines were checked (another PC took it): the service refuses."""
    dialog = _open(qtbot, IssueDialog, any_shop, warehouse="MAIN", lines=[("CAB-1", 4)])
    dialog.add_code("SKU-2", 3)
    dialog.model.set_available({"CAB-1": 10, "SKU-2": 3})  # as read before the other PC's issue
    assert dialog.can_post()
    before = support.ledger_count(any_shop)
    post(qtbot, dialog)
    assert dialog.isVisible() and dialog.posted_result is None
    assert support.ledger_count(any_shop) == before
    assert support.on_hand(any_shop, "CAB-1") == (10, 0)
    assert "Line 2" in dialog.lines_error.text()
    assert "Not enough SKU-2" in dialog.lines_error.text()
    assert dialog.model.lines[1].error and dialog.model.lines[0].error is None
    assert dialog.table.currentIndex().row() == 1
    # Fixing the line clears the message; the same dialog then posts.
    dialog.remove_selected_lines()
    assert not shown(dialog.lines_error)
    with qtbot.waitSignal(dialog.posted):
        dialog.post()
    assert support.on_hand(any_shop, "CAB-1") == (6, 0)


def test_a_service_error_on_the_warehouse_shows_next_to_it(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="SHOP", lines=[("SKU-2", 1)])
    warehouses.edit_warehouse(shop, EditWarehouse("SHOP", active=False), ADMIN)
    post(qtbot, dialog)
    label = dialog.form.labels["warehouse"]
    assert shown(label) and "inactive" in label.text()
    assert dialog.form.widgets["warehouse"].property("invalid")
    assert dialog.posted_result is None


def test_posting_twice_writes_the_ledger_once(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN", lines=[("SKU-2", 2)])
    before = support.ledger_count(shop)
    with qtbot.waitSignal(dialog.posted):
        dialog.post()
    post(qtbot, dialog)  # a second click, or Enter pressed twice
    again = operations.receive(shop, dialog.command(), CLERK)  # the same request sent again
    assert again.replayed
    assert support.ledger_count(shop) == before + 1
    assert support.on_hand(shop, "SKU-2") == (2, 0)


def test_a_retry_after_a_lost_answer_posts_once(qtbot, shop, monkeypatch):
    """The first attempt commits but its answer is lost; the retry returns the first result."""
    real = operations.receive
    calls = []

    def flaky(db, cmd, actor):
        calls.append(cmd.request_id)
        result = real(db, cmd, actor)
        if len(calls) == 1:
            raise DatabaseUnavailable("The database connection was lost. Try again.")
        return result

    monkeypatch.setattr(operations, "receive", flaky)
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN", lines=[("SKU-3", 7)])
    before = support.ledger_count(shop)
    post(qtbot, dialog)
    assert dialog.isVisible() and "connection was lost" in dialog.error.text()
    with qtbot.waitSignal(dialog.posted) as blocker:
        dialog.post()
    assert blocker.args[0].replayed
    assert calls == [dialog.request_id, dialog.request_id]
    assert support.ledger_count(shop) == before + 1
    assert support.on_hand(shop, "SKU-3") == (7, 0)


def test_transfer_moves_every_line_between_warehouses(qtbot, any_shop):
    dialog = _open(
        qtbot, TransferDialog, any_shop, source="MAIN", destination="SHOP", lines=[(CASE_EAN, 0)]
    )
    assert not dialog.can_post()  # a zero quantity
    _set_qty(dialog, 0, "1")
    assert dialog.model.data(dialog.model.index(0, list(dialog.columns).index(Column.UNITS))) == (
        "12 each (1 × 12)"
    )
    assert not dialog.can_post()  # 12 units asked, 10 there: said before posting
    assert "Only 10 each of CAB-1 available" in dialog.lines_error.text()
    dialog.model.remove_rows([0])
    dialog.add_code("CAB-1", 4)
    with qtbot.waitSignal(dialog.posted) as blocker:
        dialog.post()
    kinds = [m.kind for m in blocker.args[0].movements]
    assert kinds == [MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN]
    assert support.on_hand(any_shop, "CAB-1", "MAIN") == (6, 0)
    assert support.on_hand(any_shop, "CAB-1", "SHOP") == (4, 0)


def test_transfer_to_the_same_warehouse_is_refused_at_the_destination(qtbot, shop):
    dialog = _open(qtbot, TransferDialog, shop, source="MAIN", lines=[("CAB-1", 1)])
    assert dialog.destination.code() == "SHOP"  # the first other warehouse by default
    assert dialog.can_post()
    dialog.destination.set_code("MAIN")
    assert not dialog.can_post()
    assert "different warehouse" in dialog.form.labels["destination"].text()


def test_a_damaged_return_needs_a_reason_and_does_not_restock(qtbot, shop):
    dialog = _open(qtbot, ReturnDialog, shop, warehouse="MAIN", lines=[("CAB-1", 2)])
    dialog.damaged.setChecked(True)
    assert not dialog.can_post()
    assert shown(dialog.form.labels["reason"])
    dialog.reason.setText("Cracked plug")
    with qtbot.waitSignal(dialog.posted) as blocker:
        dialog.post()
    (movement,) = blocker.args[0].movements
    assert movement.kind == MovementKind.RETURN_DAMAGED and movement.reason == "Cracked plug"
    assert support.on_hand(shop, "CAB-1") == (10, 0)


def test_a_return_to_stock_adds_it_back(qtbot, shop):
    dialog = _open(qtbot, ReturnDialog, shop, warehouse="MAIN", lines=[("CAB-1", 2)])
    with qtbot.waitSignal(dialog.posted):
        dialog.post()
    assert support.on_hand(shop, "CAB-1") == (12, 0)
    rows = queries.history(shop, CLERK, LedgerFilter(product="CAB-1"))
    assert rows[0].kind == MovementKind.RETURN and rows[0].user == "clara"


def test_available_follows_the_chosen_warehouse(qtbot, shop):
    dialog = _open(qtbot, IssueDialog, shop, warehouse="MAIN", lines=[("CAB-1", 12)])
    available = list(dialog.columns).index(Column.AVAILABLE)
    index = dialog.model.index(0, available)
    assert dialog.model.data(index) == "10"
    assert dialog.model.data(index, Qt.ItemDataRole.ToolTipRole)  # 12 asked, 10 there: a warning
    dialog.warehouse.set_code("SHOP")
    assert dialog.model.data(index) == "0"


def test_an_inactive_product_is_refused_at_its_line(qtbot, shop):
    products.set_product_active(shop, "SKU-3", False, ADMIN)
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN", lines=[("SKU-2", 1)])
    dialog.add_code("SKU-3", 1)
    assert "inactive" in dialog.model.data(dialog.model.index(1, 1))
    post(qtbot, dialog)
    assert "Line 2" in dialog.lines_error.text() and "inactive" in dialog.lines_error.text()
    assert dialog.model.lines[1].error and dialog.posted_result is None


def test_a_post_runs_in_the_background_and_a_second_click_meanwhile_does_nothing(qtbot, shop):
    """Posting runs on the dialog's runner, off the GUI thread; while it runs, Post is off and
    another click posts nothing more."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    runner = Background(pool=pool)
    gate = threading.Event()
    runner.run(lambda: gate.wait(10), lambda _result: None)  # holds the only worker thread
    dialog = _open(qtbot, ReceiveDialog, shop, warehouse="MAIN", lines=[("SKU-2", 3)])
    assert dialog.runner is background.default()  # the production path, not a test seam
    dialog.runner = runner
    before = support.ledger_count(shop)
    assert dialog.post() is not None
    assert not dialog.can_post() and dialog.isVisible()
    assert dialog.post() is None
    assert support.ledger_count(shop) == before  # still waiting for its thread
    with qtbot.waitSignal(dialog.posted, timeout=10_000):
        gate.set()
    assert support.ledger_count(shop) == before + 1
    assert support.on_hand(shop, "SKU-2") == (3, 0)
    pool.waitForDone()
