"""`invdesk picklist`, `invdesk packing-slip` and `invdesk transfer note` write PDFs through the
desktop app's printing (the Gui hook), and refuse clearly what they cannot print."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from invdesk.app import Gui
from invdesk.cli.main import cli
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import Line, TransferStock
from invdesk.services.stock import transit
from tests import picking, support
from tests.cli.conftest import assert_one_line_error
from tests.fixtures.databases import migrated_sqlite


@pytest.fixture
def shop(sqlite_template, tmp_path, qapp):
    """The bins-and-orders shop and a shipped transfer. `qapp`: the test session's QApplication
    exists before the hook paints (else it would make a bare QGuiApplication that later widget
    tests in this process cannot use)."""
    url = migrated_sqlite(sqlite_template, tmp_path / "shop.db")
    with Database.open(url) as db:
        picking.bins_and_orders(db)
        support.warehouse(db, "EAST")
        shipped = transit.ship(db, TransferStock("MAIN", "EAST", (Line("NUT", 3),)), SYSTEM)
    return url, shipped.movements[0].transfer_id


def _run(url, *args, gui=True):
    return CliRunner().invoke(cli, ["--db", url, *args], obj=Gui() if gui else None)


def _text(path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return text.replace("\u00a0", " ")


def test_picklist_writes_a_pdf_of_the_orders(shop, tmp_path):
    url, _ = shop
    out = tmp_path / "pick.pdf"
    result = _run(url, "picklist", "WEB-1", "WEB-2", "--out", str(out), "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert json.loads(result.stdout) == {
        "document": "Pick list WEB-1 +1", "lines": 5, "pages": 1, "target": str(out)
    }  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    text = _text(out)
    assert not text or ("A-2" in text and "WEB-1 × 3" in text)


def test_packing_slip_and_transfer_note(shop, tmp_path):
    url, transfer_id = shop
    slip = _run(url, "packing-slip", "WEB-2", "--out", str(tmp_path / "s.pdf"), "--paper", "letter")
    assert slip.exit_code == 0, slip.stderr
    assert slip.stdout.startswith("Packing slip WEB-2: 2 lines on 1 page to ")
    note = _run(url, "transfer", "note", transfer_id, "--out", str(tmp_path / "n.pdf"))
    assert note.exit_code == 0, note.stderr
    assert "NUT" in _text(tmp_path / "n.pdf") or not shutil.which("pdftotext")


def test_an_unknown_order_is_a_one_line_error_and_no_file(shop, tmp_path):
    url, _ = shop
    out = tmp_path / "pick.pdf"
    assert_one_line_error(_run(url, "picklist", "NOPE", "--out", str(out)), 4)
    assert not out.exists()


def test_a_printer_that_is_not_there_is_named_in_the_error(shop):
    url, _ = shop
    line = assert_one_line_error(_run(url, "packing-slip", "WEB-1", "--printer", "Nope 9000"), 2)
    assert "no printer “Nope 9000”" in line
    assert_one_line_error(_run(url, "packing-slip", "WEB-1"), 2)  # neither --out nor --printer


def test_without_the_desktop_app_pdf_output_is_refused_clearly(shop, tmp_path):
    url, _ = shop
    line = assert_one_line_error(
        _run(url, "picklist", "WEB-1", "--out", str(tmp_path / "p.pdf"), gui=False), 2
    )
    assert "desktop app" in line


def test_po_pdf_writes_the_purchase_order(sqlite_template, tmp_path, qapp):
    from invdesk.domain import purchasing as p
    from invdesk.services.catalog import suppliers
    from invdesk.services.purchasing import orders

    url = migrated_sqlite(sqlite_template, tmp_path / "po.db")
    with Database.open(url) as db:
        support.warehouse(db, "MAIN")
        support.product(db, "BOLT")
        suppliers.create_supplier(db, p.SupplierDetails("FAST", "Fasteners Ltd"), SYSTEM)
        link = p.LinkSupplier("FAST", "BOLT", supplier_sku="F-B12", price="24.00", pack_size=12)
        suppliers.link_supplier(db, link, SYSTEM)
        lines = (p.OrderLine("BOLT", 24),)
        number = orders.create_po(db, p.CreatePurchase("FAST", "MAIN", lines), SYSTEM).number
    out = tmp_path / "po.pdf"
    result = _run(url, "po", "pdf", number, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Purchase order {number}: 1 line on 1 page to {out}.\n"
    text = _text(out)
    assert not text or ("F-B12" in text and "Fasteners Ltd" in text and "48.00" in text)
