"""`invdesk label ...`: PDF through the desktop app's hook, ZPL to a file or a printer."""

from __future__ import annotations

import json
import re
import socket
import threading

from click.testing import CliRunner

from invdesk.app import Gui
from invdesk.cli.main import cli
from tests.cli.conftest import assert_one_line_error


def _run(invdesk, *args, gui=None, env=None):
    return CliRunner().invoke(cli, ["--db", invdesk.url, *args], obj=gui, env=env)


def test_product_labels_go_to_a_pdf_one_page_per_label_on_a_roll(stocked, tmp_path, qapp):
    out = tmp_path / "labels.pdf"
    result = _run(
        stocked, "label", "product", "CAB-001", "036000291452", "--copies", "2",
        "--out", str(out), "--json", gui=Gui(),
    )  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    assert json.loads(result.stdout) == {
        "labels": 4, "pages": 4, "target": str(out), "kind": "pdf",
    }  # fmt: skip
    assert len(re.findall(rb"/Type\s*/Page\b", out.read_bytes())) == 4


def test_a_sheet_from_position_5_and_a_plain_message(stocked, tmp_path, qapp):
    out = tmp_path / "sheet.pdf"
    result = _run(
        stocked, "label", "product", "TAPE-01", "--copies", "21", "--size", "a4-3x8",
        "--start", "5", "--out", str(out), gui=Gui(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"21 labels on 2 pages to {out}.\n"


def test_zpl_to_stdout_carries_the_products_ean(stocked):
    result = _run(stocked, "label", "product", "CAB-001", "--zpl", "-", "--copies", "5")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("^XA") and "^BEN," in result.stdout
    assert "^FD400638133393^FS" in result.stdout and "^PQ5," in result.stdout


def test_zpl_goes_to_the_printer_named_in_the_settings(stocked, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def take() -> None:
        conn, _ = server.accept()
        with conn:
            got.append(b"".join(iter(lambda: conn.recv(4096), b"")))

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    config = tmp_path / "config.toml"
    config.write_text(f'[labels]\nzpl_printer = "127.0.0.1:{server.getsockname()[1]}"\n')
    with server:
        result = _run(stocked, "label", "product", "TAPE-01", env={"INVDESK_CONFIG": str(config)})
        thread.join(5)
    assert result.exit_code == 0, result.output
    assert len(got) == 1 and got[0].startswith(b"^XA") and b"^BUN," in got[0]


def test_a_refusing_printer_is_one_sentence_and_exit_code_9(stocked):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    result = _run(stocked, "label", "product", "TAPE-01", "--zpl-printer", f"127.0.0.1:{port}")
    line = assert_one_line_error(result, 9)
    assert "refused the connection" in line


def test_bad_input_is_refused_with_the_usual_exit_codes(stocked, tmp_path):
    out = str(tmp_path / "x.pdf")
    assert_one_line_error(_run(stocked, "label", "product", "NOPE", "--out", out), 4)
    copies = _run(stocked, "label", "product", "TAPE-01", "--copies", "0", "--zpl", "-")
    assert "Copies must be" in assert_one_line_error(copies, 2)
    size = _run(stocked, "label", "product", "TAPE-01", "--size", "4x6", "--zpl", "-")
    assert "62x29" in assert_one_line_error(size, 2)
    start = _run(stocked, "label", "product", "TAPE-01", "--size", "a4-3x8", "--start", "25",
                 "--zpl", "-")  # fmt: skip
    assert "from 1 to 24" in assert_one_line_error(start, 2)
    nowhere = _run(stocked, "label", "product", "TAPE-01", env={"INVDESK_CONFIG": out + ".toml"})
    assert nowhere.exit_code == 2 and "Say where the labels go" in nowhere.stderr


def test_a_pdf_without_the_desktop_app_is_a_clear_error(stocked, tmp_path):
    result = _run(stocked, "label", "product", "TAPE-01", "--out", str(tmp_path / "x.pdf"))
    assert "desktop app" in assert_one_line_error(result, 2)


def test_location_labels_of_named_bins_or_all_of_them(stocked, tmp_path):
    for code in ("A-01", "A-02"):
        assert _run(stocked, "location", "add", "MAIN", code).exit_code == 0
    one = _run(stocked, "label", "location", "MAIN", "a-02", "--zpl", "-")
    assert one.exit_code == 0 and one.stdout.count("^XA") == 1 and "^FDA-02^FS" in one.stdout
    every = _run(stocked, "label", "location", "main", "--zpl", "-")
    assert every.stdout.count("^XA") == 2
    assert_one_line_error(_run(stocked, "label", "location", "MAIN", "Z-9", "--zpl", "-"), 4)


def test_a_lot_label_in_zpl_is_a_gs1_datamatrix_with_gtin_expiry_and_lot(invdesk):
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    invdesk.ok("product", "add", "MILK-1L", "Milk 1 l", "--category", "Food", "--tracking", "lot",
               "--barcode", "4006381333931")  # fmt: skip
    invdesk.ok("receive", "MILK-1L", "MAIN", "6", "--lot", "M2612", "--expiry", "2027-12-31")
    result = invdesk.ok("label", "lot", "MILK-1L", "M2612", "--zpl", "-")
    assert (
        "^BXN," in result.stdout and "^FD_10104006381333931172712311" + "0M2612^FS" in result.stdout
    )
    linear = invdesk.ok("label", "lot", "MILK-1L", "M2612", "--gs1-128", "--zpl", "-")
    assert (
        "^BCN," in linear.stdout and "^FD(01)04006381333931(17)271231(10)M2612^FS" in linear.stdout
    )
    assert_one_line_error(invdesk("label", "lot", "MILK-1L", "NOPE", "--zpl", "-"), 4)


class _PrintingGui:
    """Stands in for app.Gui: records what the CLI asked the desktop app to print."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, str | None, str | None]] = []

    def __call__(self, db_url, demo):
        return 0

    def print_labels(self, job, *, pdf=None, printer=None) -> int:
        self.asked.append((job.count, pdf, printer))
        return job.pages


def test_a_system_printer_is_reached_through_the_gui_hook(stocked):
    gui = _PrintingGui()
    result = _run(stocked, "label", "product", "TAPE-01", "--copies", "2", "--printer", "Office",
                  gui=gui)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert gui.asked == [(2, None, "Office")]
    assert result.stdout == "2 labels on 2 pages to Office.\n"
