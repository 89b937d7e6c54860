"""The in-memory table models share one base: the Qt model contract, the row role, number
columns on the right, and a cell whose getter fails shows empty instead of raising."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from invdesk.domain.audit import AuditRow
from invdesk.domain.outbound import DeliveryView, WebhookView
from invdesk.domain.tokens import Scope, TokenView
from invdesk.ui.models.audit import AuditModel
from invdesk.ui.models.audit import Column as AuditColumn
from invdesk.ui.models.columns import RIGHT, ROW_ROLE, ListTableModel
from invdesk.ui.models.small_lists import (
    DeliveryColumn,
    TokenColumn,
    delivery_model,
    token_model,
    webhook_model,
)

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TOKEN = TokenView("webshop", (Scope.READ, Scope.ORDERS), (), False, AT, "ada", AT, "bob", "ab12")
HOOK = WebhookView(7, "https://shop.example/hook", ("stock.changed",), True, AT, "ada")
DELIVERY = DeliveryView(3, "webhook", "https://x", "1-0", "stock.changed", "failed", 4, AT,
                        AT, None, None, 500, "refused")  # fmt: skip


def _cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_admin_lists_show_their_rows_and_pass_the_model_tester(qtmodeltester):
    tokens, hooks, deliveries = token_model(), webhook_model(), delivery_model()
    tokens.set_rows([TOKEN])
    hooks.set_rows([HOOK])
    deliveries.set_rows([DELIVERY])
    for model in (tokens, hooks, deliveries):
        qtmodeltester.check(model, force_py=True)
    cells = _cells(tokens, 0)
    assert cells[TokenColumn.SCOPES] == "read, orders" and cells[TokenColumn.WAREHOUSES] == "All"
    assert cells[TokenColumn.STATUS].startswith("Revoked") and cells[TokenColumn.STATUS].endswith(
        "by bob"
    )
    assert tokens.headerData(TokenColumn.ENDS_IN, Qt.Orientation.Horizontal) == "Ends in"
    assert _cells(deliveries, 0)[DeliveryColumn.LAST_ANSWER] == "500 refused"
    attempts = deliveries.index(0, DeliveryColumn.ATTEMPTS)
    assert attempts.data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert hooks.index(0, 1).data(ROW_ROLE) is HOOK


def test_a_column_definition_list_formats_and_aligns_by_value(qtmodeltester):
    model = ListTableModel(
        (("Name", lambda r: r[0]), ("Qty", lambda r: r[1]), ("Cost", lambda r: r[2]))
    )
    model.set_rows([("bolt", 1200, Decimal("2.5")), ("nut", 3, None)])
    qtmodeltester.check(model, force_py=True)
    assert _cells(model, 0) == ["bolt", "1,200", "2.50"]
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert model.index(1, 0).data(ROW_ROLE) == ("nut", 3, None)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Qty"


def test_a_failing_getter_shows_an_empty_cell_and_never_raises():
    model = ListTableModel((("Name", lambda r: r.missing),))
    model.set_rows([object()])
    assert model.index(0, 0).data() is None
    assert model.index(0, 0).data(ROW_ROLE) is not None  # the row itself is still there
    assert model.index(5, 0).data() is None and model.index(0, 9).data() is None


def test_the_audit_model_passes_the_model_tester_and_explains_details(qtmodeltester):
    model = AuditModel()
    row = AuditRow(AT, "ada", "edit", "edit", "product", "P-1", '{"name": ["A", "B"]}')
    model.set_rows([row])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, AuditColumn.WHAT).data() == "product P-1"
    details = model.index(0, AuditColumn.DETAILS)
    assert details.data(Qt.ItemDataRole.ToolTipRole) == details.data()
    assert model.index(0, 0).data(ROW_ROLE) is row
