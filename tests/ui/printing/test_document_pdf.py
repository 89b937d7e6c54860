"""Printed documents as PDF: pages, repeated table header, page x of y, text a program can
read back (pdftotext), and a Code 128 of the number that scans."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
import zxingcpp

from invdesk.domain.orders import Channel, OrderLineView, OrderStatus, OrderView
from invdesk.domain.picking import PickLine, PickPlan, PickSplit
from invdesk.reports.documents.model import Party
from invdesk.reports.documents.pick_list import pick_list_document
from invdesk.ui.printing import documents
from invdesk.ui.printing.document_layout import A4, LETTER

AT = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
UUID = "3f2b8c1e-9d4a-4b7e-8f00-12ab34cd56ef"


def _plan(lines: int, *refs: str) -> PickPlan:
    refs = refs or ("WEB-1042",)
    order = OrderView(1, refs[0], Channel.WEB_SHOP, OrderStatus.OPEN, "ann", AT, AT, None, (
        OrderLineView(1, "X", "X", "MAIN", 1, None, None),))  # fmt: skip
    picks = tuple(_pick(n, refs[0]) for n in range(lines))
    orders = tuple(
        OrderView(i, r, order.channel, order.status, "ann", AT, AT, None, order.lines)
        for i, r in enumerate(refs)
    )
    return PickPlan(orders, picks, locations=True)


def _pick(n: int, ref: str) -> PickLine:
    qty = n % 7 + 1
    name = f"Product number {n}"
    return PickLine(
        "MAIN", f"A-{n // 4 + 1}", None, f"SKU-{n:04d}", name, "each", None, None, qty,
        (PickSplit(ref, qty),),
    )  # fmt: skip


def _document(lines: int, *refs: str):
    return pick_list_document(_plan(lines, *refs), Party("", "Acme Supplies", ("1 Dock Road",)),
                              AT, "ann")  # fmt: skip


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} (poppler-utils) is required in CI", pytrace=False)
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def _pdf_pages(path) -> list[str]:
    tool = _poppler("pdftotext")
    text = subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    return [page for page in text.split("\f") if page.strip()]


def test_a_long_pick_list_pages_with_the_header_on_every_page(qapp, tmp_path):
    path = tmp_path / "pick.pdf"
    pages = documents.to_pdf(_document(120), path, A4)
    texts = _pdf_pages(path)
    assert len(texts) == pages >= 3
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {pages}" in text
        assert "Bin" in text and "SKU" in text and "Picked" in text  # the header repeats
    assert "Pick list" in texts[0] and "Acme Supplies" in texts[0]
    assert "(continued)" in texts[1]
    everything = "\n".join(texts)
    assert all(f"SKU-{n:04d}" in everything for n in range(120))
    assert "Picked by" in texts[-1] and "Picked by" not in texts[0]


def test_letter_paper_is_shorter_so_a_page_holds_fewer_lines(qapp):
    a4 = documents.laid_out(_document(120), A4)[0]
    letter = documents.laid_out(_document(120), LETTER)[0]
    assert len(a4.pages[0].rows) > len(letter.pages[0].rows)


def test_the_order_number_barcode_scans_as_code_128(qapp):
    (image,) = documents.page_images(_document(3), A4, dpi=300, last=0)
    found = [(b.format.name, b.text) for b in zxingcpp.read_barcodes(image)]
    assert found == [("Code128", "WEB-1042")]


def test_a_long_number_gets_a_barcode_strip_that_still_scans(qapp):
    doc = _document(2)
    from dataclasses import replace

    long_one = replace(doc, barcode=UUID)
    layout = documents.laid_out(long_one, A4)[0]
    assert layout.barcode_wide
    (image,) = documents.page_images(long_one, A4, dpi=300)
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [UUID]


def test_the_pdf_renders_to_png_with_poppler(qapp, tmp_path):
    documents.to_pdf(_document(8, "WEB-1", "WEB-2"), tmp_path / "pick.pdf", A4)
    tool = _poppler("pdftoppm")
    subprocess.run([tool, "-r", "50", "-png", "-singlefile", str(tmp_path / "pick.pdf"),
                    str(tmp_path / "pick")], check=True)  # fmt: skip
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "pick.png"))
    assert abs(image.width() - 413) <= 1 and abs(image.height() - 585) <= 1  # A4 at 50 dpi
    dark = sum(image.pixelColor(x, y).lightness() < 128 for x in range(0, 413, 4)
               for y in range(0, 585, 4))  # fmt: skip
    assert dark > 100
