"""Label printing benchmark: 1,000 product labels to one PDF, and the first page of a preview.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_labels.py [--labels 1000]

On a fresh SQLite file it makes `--labels` products (half with an EAN-13, half without, so both
an EAN and a Code 128 of the SKU are drawn), then times, for a 62 x 29 mm roll (one page per
label) and an A4 sheet of 3 x 8:
- the whole job: reading the products through the services, laying out and encoding every
  label, and painting the PDF (target: under 10 s);
- the first page of the label dialog's preview, from opening the dialog on the labels read
  (every label is checked when the dialog opens) to page 1 on screen (target: under 1 s);
- Qt's own print preview (QPrintPreviewWidget) on the same job, which paints every page before
  it shows the first, for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PDF_TARGET_S = 10.0
PREVIEW_TARGET_S = 1.0


def _ean(n: int) -> str:
    from invdesk.domain.barcodes import gtin_check_digit

    body = f"400{n:09d}"
    return body + str(gtin_check_digit(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=1000)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    from invdesk.domain.catalog import CreateProduct
    from invdesk.domain.security import Actor, Role
    from invdesk.reports.labels import sources
    from invdesk.reports.labels.designs import LabelOptions
    from invdesk.reports.labels.jobs import LabelJob
    from invdesk.reports.labels.sizes import STOCKS
    from invdesk.services.catalog import products
    from invdesk.services.system.database import open_database
    from invdesk.ui.printing import label_painter, output
    from invdesk.ui.printing.label_dialog import LabelDialog

    app = QApplication.instance() or QApplication(["bench"])
    actor = Actor("bench", Role.ADMIN)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INVDESK_CONFIG"] = f"{tmp}/config.toml"
        db = open_database(f"sqlite:///{tmp}/bench.db")
        skus = [f"BENCH-{n:05d}" for n in range(args.labels)]
        started = time.perf_counter()
        for n, sku in enumerate(skus):
            codes = ((_ean(n), 1),) if n % 2 == 0 else ()
            products.create_product(
                db, CreateProduct(sku, f"Bench product {n}", "Tools", price="9.90",
                                  barcodes=codes), actor,
            )  # fmt: skip
        print(f"setup: {args.labels:,} products in {time.perf_counter() - started:.1f} s")

        for size in ("62x29", "a4-3x8"):
            stock = STOCKS[size]
            started = time.perf_counter()
            labels = sources.product_labels(db, actor, skus)
            read = time.perf_counter() - started
            job = LabelJob(tuple(labels), stock, LabelOptions(show_price=True))
            pages = label_painter.to_pdf(Path(tmp) / f"{size}.pdf", job)
            total = time.perf_counter() - started
            kb = (Path(tmp) / f"{size}.pdf").stat().st_size / 1024
            verdict = "ok" if total < PDF_TARGET_S else "OVER"
            print(
                f"{size:>7}: {job.count:,} labels, {pages:,} pages, {kb:,.0f} KB PDF in "
                f"{total:.2f} s (reading {read:.2f} s) vs {PDF_TARGET_S:g} s target: {verdict}"
            )

            if stock.roll:
                from invdesk.reports.labels import zpl

                started = time.perf_counter()
                text = zpl.zpl(LabelJob(tuple(labels), stock, LabelOptions(show_price=True)))
                print(f"{size:>7}: the same {job.count:,} labels as ZPL ({len(text) / 1024:,.0f} KB)"
                      f" in {time.perf_counter() - started:.2f} s")  # fmt: skip

            counted = [sources.Counted(label) for label in labels]
            started = time.perf_counter()
            dialog = LabelDialog(
                counted, title="bench", username="bench",
                settings=QSettings(f"{tmp}/s.ini", QSettings.Format.IniFormat),
            )  # fmt: skip
            dialog.size.setCurrentIndex(dialog.size.findData(size))
            dialog.show()
            app.processEvents()
            first = time.perf_counter() - started
            verdict = "ok" if first < PREVIEW_TARGET_S else "OVER"
            print(
                f"{size:>7}: label dialog open with page 1 of {dialog.job.pages if dialog.job else 0:,}"
                f" previewed in {first:.3f} s vs {PREVIEW_TARGET_S:g} s target: {verdict}"
            )
            dialog.close()

            started = time.perf_counter()
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            output.prepare_printer(printer, label_painter.paper_of(job), title="bench")
            preview = QPrintPreviewWidget(printer)
            preview.paintRequested.connect(lambda p, job=job: label_painter.render(p, job))
            preview.updatePreview()
            preview.show()
            app.processEvents()
            qt_first = time.perf_counter() - started
            print(f"{size:>7}: Qt print preview (paints all {job.pages:,} pages first) "
                  f"{qt_first:.2f} s")  # fmt: skip
            preview.close()
        db.dispose()


if __name__ == "__main__":
    main()
