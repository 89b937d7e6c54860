"""Where labels are printed from: products (a right-click, one or a selection), the Locations
page, a receipt just posted, a count sheet. Each reads its labels off the GUI thread, then
opens the label dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from invdesk.domain.security import Actor
from invdesk.domain.stock import MovementKind, StockResult
from invdesk.reports.labels import sources
from invdesk.reports.labels.sources import Counted
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.background import Job
from invdesk.ui.message_box import keep_open
from invdesk.ui.printing.label_dialog import LabelDialog

MAX_SELECTED = 5_000


def open_labels(
    parent: QWidget,
    actor: Actor,
    load: Callable[[], list[Counted]],
    *,
    title: str,
    per_pack_choice: bool = False,
    settings: QSettings | None = None,
    opened: Callable[[LabelDialog], None] | None = None,
) -> Job:
    """Read the labels with `load()` in the background, then open the dialog on them."""

    def show(counted: list[Counted]) -> None:
        dialog = LabelDialog(
            counted,
            title=title,
            username=actor.username,
            per_pack_choice=per_pack_choice,
            settings=settings,
            parent=parent,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        if opened is not None:
            opened(dialog)

    return background.default().run(load, show, parent=parent)


def products(
    parent: QWidget, db: Database, actor: Actor, skus: Sequence[str], **kwargs: object
) -> Job:
    chosen = list(dict.fromkeys(skus))[:MAX_SELECTED]
    title = (
        f"Labels for {chosen[0]}" if len(chosen) == 1 else f"Labels for {len(chosen):,} products"
    )

    def load() -> list[Counted]:
        return [Counted(label) for label in sources.product_labels(db, actor, chosen)]

    return open_labels(parent, actor, load, title=title, **kwargs)  # type: ignore[arg-type]


def locations(
    parent: QWidget,
    db: Database,
    actor: Actor,
    warehouse: str,
    codes: Sequence[str] = (),
    **kwargs: object,
) -> Job:
    what = ", ".join(codes) if 0 < len(codes) <= 3 else f"{warehouse}'s locations"

    def load() -> list[Counted]:
        return [Counted(x) for x in sources.location_labels(db, actor, warehouse, codes)]

    return open_labels(parent, actor, load, title=f"Labels for {what}", **kwargs)  # type: ignore[arg-type]


def lot(
    parent: QWidget, db: Database, actor: Actor, sku: str, number: str, **kwargs: object
) -> Job:
    """GS1 labels of one lot (GTIN, lot, expiry), e.g. for cartons relabelled after a split."""

    def load() -> list[Counted]:
        return [Counted(sources.lot_label(db, actor, sku, number))]

    return open_labels(parent, actor, load, title=f"Labels for lot {number} of {sku}", **kwargs)  # type: ignore[arg-type]


def receipt(
    parent: QWidget, db: Database, actor: Actor, result: StockResult, **kwargs: object
) -> Job:
    """Labels for what a receipt brought in: one per unit or per pack, as this user chose last."""
    lines: dict[str, int] = {}
    for m in result.movements:
        if m.kind is MovementKind.RECEIVE and m.qty > 0:
            lines[m.sku] = lines.get(m.sku, 0) + m.qty

    def load() -> list[Counted]:
        return sources.receipt_labels(db, actor, lines.items())

    return open_labels(
        parent, actor, load, title="Labels for the goods received", per_pack_choice=True,
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def offer_after_receipt(
    parent: QWidget, db: Database, actor: Actor, result: StockResult, settings: QSettings
) -> QMessageBox | None:
    """Ask whether to print labels for a receipt just posted (unless this user said not to)."""
    key = f"labels/{actor.username}/offer_after_receipt"
    received = sum(m.qty for m in result.movements if m.kind is MovementKind.RECEIVE)
    if received <= 0 or settings.value(key, True, type=bool) is False:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Labels",
        f"Received {received:,} units. Print labels for them?",
        parent=parent,
    )
    yes = box.addButton("Print &labels…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
    never = QCheckBox("Do not ask after receipts", box)
    box.setCheckBox(never)
    yes.clicked.connect(lambda: receipt(parent, db, actor, result, settings=settings))
    box.finished.connect(lambda _r: never.isChecked() and settings.setValue(key, False))
    keep_open(box)
    return box
