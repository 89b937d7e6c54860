"""The restock policy editor of one warehouse: its default, and overrides per category and product."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.restock import PolicyKind, PolicyRule, PolicyScope, PolicyView, SetPolicy
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import categories
from invdesk.services.stock import policies
from invdesk.services.system.database import Database
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.common import table

KIND_LABELS = {
    PolicyKind.REORDER_POINT: "Reorder point + quantity",
    PolicyKind.MIN_MAX: "Min / max",
    PolicyKind.DAYS_OF_COVER: "Days of cover",
}
SCOPE_LABELS = {
    PolicyScope.WAREHOUSE: "Whole warehouse",
    PolicyScope.CATEGORY: "Category",
    PolicyScope.PRODUCT: "Product (SKU)",
}
# Which spin boxes each kind uses, with their labels.
FIELDS = {
    PolicyKind.REORDER_POINT: (("point", "Reorder point"), ("qty", "Reorder quantity")),
    PolicyKind.MIN_MAX: (("point", "Minimum"), ("level", "Maximum")),
    PolicyKind.DAYS_OF_COVER: (
        ("cover_days", "Reorder below (days of cover)"),
        ("lookback_days", "Average demand over (days)"),
        ("target_days", "Order enough for (days)"),
    ),
}


def describe(rule: PolicyRule) -> str:
    if rule.kind is PolicyKind.REORDER_POINT:
        return f"at or below {rule.point:,}: order {rule.qty:,}"
    if rule.kind is PolicyKind.MIN_MAX:
        return f"below {rule.point:,}: order up to {rule.level:,}"
    return (
        f"under {rule.cover_days} days of cover (demand over {rule.lookback_days} days): "
        f"order for {rule.target_days} days"
    )


class PolicyEditor(QDialog):
    """Edit the policies of `warehouse`; read-only for users who are not managers.

    `saved()` is emitted after each successful save or removal.
    """

    saved = Signal()

    def __init__(
        self, db: Database, actor: Actor, warehouse: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self.warehouse = db, actor, warehouse
        self._editing: PolicyView | None = None
        self.setWindowTitle(f"Restock policies: {warehouse}")
        self.resize(760, 520)
        self.model = ListTableModel(
            (
                ("Applies to", lambda p: SCOPE_LABELS[p.scope] + (f": {p.target}" if p.target else "")),
                ("Kind", lambda p: KIND_LABELS[p.rule.kind]),
                ("Rule", lambda p: describe(p.rule)),
                ("Changed by", lambda p: p.updated_by),
            ),
            parent=self,
        )  # fmt: skip
        self.table = table(self)
        self.table.setModel(self.model)

        self.scope = QComboBox(self)
        for scope in (PolicyScope.WAREHOUSE, PolicyScope.CATEGORY, PolicyScope.PRODUCT):
            self.scope.addItem(SCOPE_LABELS[scope], scope)
        self.category = QComboBox(self)
        self.category.addItems([c.name for c in categories.list_categories(db, actor)])
        self.sku = QLineEdit(self)
        self.sku.setPlaceholderText("SKU or barcode")
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.spins: dict[str, QSpinBox] = {}
        self.spin_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.addRow("Applies to", self.scope)
        form.addRow("Category", self.category)
        form.addRow("Product", self.sku)
        form.addRow("Kind", self.kind)
        for name in ("point", "qty", "level", "cover_days", "lookback_days", "target_days"):
            spin = QSpinBox(self)
            spin.setRange(0, 1_000_000_000 if name in ("point", "qty", "level") else 3650)
            label = QLabel(name, self)
            form.addRow(label, spin)
            self.spins[name], self.spin_labels[name] = spin, label
        self.spins["lookback_days"].setValue(30)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

        self.new_button = QPushButton("New", self)
        self.save_button = QPushButton("Save", self)
        self.remove_button = QPushButton("Remove", self)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.remove_button, self.save_button):
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)

        editable = actor.can(Permission.CATALOG)
        for widget in (self.save_button, self.remove_button, self.new_button):
            widget.setEnabled(editable)
        if not editable:
            self.error.setText("Only managers can change restock policies.")

        self.scope.currentIndexChanged.connect(self._update_fields)
        self.kind.currentIndexChanged.connect(self._update_fields)
        self.table.selectionModel().selectionChanged.connect(self._load_selected)
        self.new_button.clicked.connect(self._new)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.refresh()
        self._update_fields()

    def _scope(self) -> PolicyScope:
        return PolicyScope(self.scope.currentData())  # Qt hands back a StrEnum as plain str

    def _kind(self) -> PolicyKind:
        return PolicyKind(self.kind.currentData())

    def refresh(self) -> None:
        self.model.set_rows(policies.list_policies(self._db, self._actor, self.warehouse))

    def _update_fields(self, *_: Any) -> None:
        scope = self._scope()
        self.category.setEnabled(scope is PolicyScope.CATEGORY)
        self.sku.setEnabled(scope is PolicyScope.PRODUCT)
        used = dict(FIELDS[self._kind()])
        for name, spin in self.spins.items():
            spin.setVisible(name in used)
            self.spin_labels[name].setVisible(name in used)
            if name in used:
                self.spin_labels[name].setText(used[name])

    def _new(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.error.clear()

    def _load_selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        policy: PolicyView | None = self.model.data(rows[0], ROW_ROLE) if rows else None
        self._editing = policy
        if policy is None:
            return
        self.scope.setCurrentIndex(self.scope.findData(policy.scope.value))
        if policy.scope is PolicyScope.CATEGORY and policy.target:
            self.category.setCurrentText(policy.target)
        if policy.scope is PolicyScope.PRODUCT:
            self.sku.setText(policy.target or "")
        self.kind.setCurrentIndex(self.kind.findData(policy.rule.kind.value))
        for name, spin in self.spins.items():
            spin.setValue(getattr(policy.rule, name))

    def command(self) -> SetPolicy:
        scope = self._scope()
        values = {name: spin.value() for name, spin in self.spins.items()}
        used = {name for name, _ in FIELDS[self._kind()]}
        rule = PolicyRule(self._kind(), **{k: v for k, v in values.items() if k in used})
        same_target = self._editing is not None and self._editing.scope is scope
        return SetPolicy(
            self.warehouse,
            rule,
            product=self.sku.text().strip() if scope is PolicyScope.PRODUCT else None,
            category=self.category.currentText() if scope is PolicyScope.CATEGORY else None,
            expected_version=self._editing.version if same_target and self._editing else None,
        )

    @Slot()
    def save(self) -> None:
        try:
            self._editing = policies.set_policy(self._db, self.command(), self._actor)
        except InvdeskError as error:
            self.error.setText(error.message)
            return
        self.error.clear()
        self.refresh()
        self.saved.emit()

    @Slot()
    def remove(self) -> None:
        if self._editing is None:
            return
        try:
            policies.remove_policy(self._db, self._editing.id, self._actor)
        except InvdeskError as error:
            self.error.setText(error.message)
            return
        self._editing = None
        self.refresh()
        self.saved.emit()
