"""Screenshots of label printing: the label dialog, and label PDFs as a printer would get them.

The dialog shots open the dialog the way a clerk does (a selection of products, the Locations
page). The PDF shots write real PDF files through the same code as "Save PDF" and turn their
first page into PNG with poppler's pdftoppm, so the README shows the PDF, not a Qt rendering.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from invdesk.domain.barcodes import gtin_check_digit
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.reports.labels import sources
from invdesk.reports.labels.designs import Code, Label, LabelOptions
from invdesk.reports.labels.jobs import LabelJob
from invdesk.reports.labels.sizes import STOCKS
from invdesk.services.catalog import products
from invdesk.services.demo import grain
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.main_window import MainWindow
from invdesk.ui.printing import label_actions, label_painter
from invdesk.ui.printing.label_dialog import ZPL, LabelDialog

LOT_SKU, LOT = "ASP-24", "ASP2502C"
LOT_GTIN = "400999900001" + str(gtin_check_digit("400999900001"))
PDF_DPI = 110  # the README's PNG of a page: sharp enough to read, small enough to keep


def _settle() -> None:
    for _ in range(3):
        background.default().wait()
        QApplication.processEvents()


def _opened(start: Callable[[Callable[[LabelDialog], None]], object]) -> LabelDialog:
    found: list[LabelDialog] = []
    start(found.append)
    _settle()
    dialog = found[0]
    dialog.resize(860, 520)
    dialog.show_page(0)
    return dialog


def _demo_skus(window: MainWindow, count: int) -> list[str]:
    listed = products.list_products(window.db, window.actor, limit=40)
    with_codes = [p.sku for p in listed if p.barcodes][: count - 1]
    without = [p.sku for p in listed if not p.barcodes][:1]
    return with_codes + without


def _product_dialog(window: MainWindow) -> QWidget:
    skus = _demo_skus(window, 5)
    dialog = _opened(
        lambda done: label_actions.products(
            window, window.db, window.actor, skus, settings=window.settings, opened=done
        )
    )
    dialog.size.setCurrentIndex(dialog.size.findData("a4-3x8"))
    dialog.start.setValue(4)
    dialog.price.setChecked(True)
    dialog.copies.setValue(2)
    return dialog


def _location_dialog(window: MainWindow) -> QWidget:
    dialog = _opened(
        lambda done: label_actions.locations(
            window, window.db, window.actor, grain.WAREHOUSE, settings=window.settings,
            opened=done,
        )
    )  # fmt: skip
    dialog.size.setCurrentIndex(dialog.size.findData("102x51"))
    dialog.target.setCurrentIndex(dialog.target.findData(ZPL))
    dialog.zpl_printer.setText("192.168.1.50:9100")
    return dialog


SHOTS: dict[str, Callable[[MainWindow], QWidget]] = {
    "dialog-labels": _product_dialog,
    "dialog-labels-locations": _location_dialog,
}


def pdf_shots(db: Database, actor: Actor, out: Path, names: list[str] | None) -> list[Path]:
    """`labels-sheet.png` (an A4 sheet of product, bin and lot labels) and `labels-roll.png`
    (one 62 x 29 mm label), each the first page of a PDF rendered by pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []  # CI installs poppler-utils; a developer's PC may lack it
    skus = [p.sku for p in products.list_products(db, actor, limit=40) if p.barcodes][:4]
    skus += [p.sku for p in products.list_products(db, actor, limit=40) if not p.barcodes][:1]
    sheet: list[Label] = list(sources.product_labels(db, actor, skus))
    sheet += sources.location_labels(db, actor, grain.WAREHOUSE)[:4]
    # The demo's lot-tracked products have no EAN; a GS1 lot label needs one (a GTIN).
    with contextlib.suppress(InvdeskError):
        products.add_barcode(db, LOT_SKU, LOT_GTIN, 1, actor)
    sheet.append(sources.lot_label(db, actor, LOT_SKU, LOT))
    jobs = {
        "labels-sheet": LabelJob(tuple(sheet), STOCKS["a4-3x8"], LabelOptions(show_price=True)),
        "labels-roll": LabelJob(
            tuple(sheet[:1]), STOCKS["62x29"], LabelOptions(code=Code.AUTO, show_price=True)
        ),
    }
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, job in jobs.items():
            if names and name not in names:
                continue
            pdf = Path(tmp) / f"{name}.pdf"
            label_painter.to_pdf(pdf, job)
            dpi = PDF_DPI if not job.stock.roll else 300
            subprocess.run(
                [pdftoppm, "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1",
                 str(pdf), str(out / name)],
                check=True,
            )  # fmt: skip
            written.append(out / f"{name}.png")
    return written
