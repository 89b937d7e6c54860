"""Printed documents benchmark: a big pick list laid out, previewed and written as a PDF.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_documents.py [--lines 1000] [--orders 50]

It builds a pick list of `--lines` lines (one bin per four lines, `--orders` orders sharing them)
from plain data, so the figures are the layout and painting alone (reading a plan from the database
is one query per product and warehouse), and prints the first page of the preview (layout + one
page image at the preview's 110 dpi, what the print dialog waits for; cold, then warm), turning a
page, and the whole PDF (600 dpi).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from invdesk.domain.orders import Channel, OrderLineView, OrderStatus, OrderView
from invdesk.domain.picking import PickLine, PickPlan, PickSplit
from invdesk.reports.documents.model import Party
from invdesk.reports.documents.pick_list import pick_list_document

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def plan(lines: int, orders: int) -> PickPlan:
    refs = [f"WEB-{90000 + n}" for n in range(orders)]
    line = OrderLineView(1, "X", "X", "MAIN", 1, None, None)
    views = tuple(
        OrderView(n, r, Channel.WEB_SHOP, OrderStatus.OPEN, "ann", AT, AT, None, (line,))
        for n, r in enumerate(refs)
    )
    picks = tuple(
        PickLine(
            "MAIN",
            f"A-{n // 40 + 1:02d}-{n // 4 % 10 + 1}",
            None,
            f"SKU-{n:05d}",
            f"Product number {n} with a longer name",
            "each",
            f"L{n:06d}",
            None,
            3,
            (PickSplit(refs[n % orders], 2), PickSplit(refs[(n + 1) % orders], 1)),
        )
        for n in range(lines)
    )
    return PickPlan(views, picks, locations=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=50)
    args = parser.parse_args()
    from invdesk.ui.printing import documents
    from invdesk.ui.printing.document_layout import A4
    from invdesk.ui.printing.output import ensure_app

    ensure_app()
    document = pick_list_document(plan(args.lines, args.orders), Party("", "Main"), AT, "ann")
    timings = []
    for _ in range(2):  # the first in a process also loads the fonts; the app has them loaded
        start = time.perf_counter()
        laid = documents.laid_out(document, A4)
        documents.page_images(document, A4, first=0, last=0, laid=laid)
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    documents.page_images(document, A4, first=1, last=1, laid=laid)
    turn = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        pages = documents.to_pdf(document, f"{tmp}/pick.pdf", A4)
        pdf = time.perf_counter() - start
        size = Path(f"{tmp}/pick.pdf").stat().st_size
    print(f"pick list: {args.lines:,} lines, {args.orders} orders, {pages} pages (A4)")
    print(f"  preview, first page (layout + image), cold: {timings[0] * 1000:6.0f} ms")
    print(f"  preview, first page (layout + image), warm: {timings[1] * 1000:6.0f} ms")
    print(f"  preview, next page (image only):            {turn * 1000:6.0f} ms")
    print(
        f"  PDF, every page at 600 dpi:                 {pdf * 1000:6.0f} ms ({size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
