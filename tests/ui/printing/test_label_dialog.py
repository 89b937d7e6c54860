"""The label dialog: refuses what cannot print, remembers choices, prints off the GUI thread."""

from __future__ import annotations

import re
import socket
import threading
from decimal import Decimal

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

from invdesk import config
from invdesk.reports.labels.designs import ProductLabel
from invdesk.reports.labels.sources import Counted
from invdesk.ui.printing.label_dialog import PDF, ZPL, LabelDialog

CABLE = ProductLabel("CAB-001", "USB-C cable 2 m", Decimal("9.90"), ("4006381333931",))


def _dialog(qtbot, tmp_path, counted=None, **kwargs) -> LabelDialog:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = LabelDialog(
        counted or [Counted(CABLE)], title="Labels", username="ann", settings=settings, **kwargs
    )
    qtbot.addWidget(dialog)
    return dialog


def _choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_zero_copies_is_refused_at_the_field_and_print_is_off(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.print_button.isEnabled()
    dialog.copies.setValue(0)
    assert not dialog.print_button.isEnabled()
    assert dialog.form.labels["copies"].text().startswith("Copies must be a whole number")


def test_a_start_position_beyond_the_sheet_is_refused(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    assert not dialog.start.isVisibleTo(dialog)  # a roll has no start position
    _choose(dialog.size, "a4-3x8")
    dialog.start.setValue(25)
    assert not dialog.print_button.isEnabled()
    assert "from 1 to 24" in dialog.form.labels["start"].text()
    dialog.start.setValue(24)
    assert dialog.print_button.isEnabled()
    assert dialog.page_text.text() == "Page 1 of 1"


def test_zpl_needs_a_roll_and_a_printer_address(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    _choose(dialog.target, ZPL)
    assert "Name the label printer" in dialog.form.labels["printer"].text()
    dialog.zpl_printer.setText("zebra-1")
    _choose(dialog.size, "a4-3x8")
    assert "on a roll" in dialog.form.labels["size"].text()
    assert not dialog.print_button.isEnabled()
    _choose(dialog.size, "102x51")
    assert dialog.print_button.isEnabled() and dialog.print_button.text() == "Se&nd"


def test_a_receipt_prints_per_unit_or_per_pack_and_the_choice_is_remembered(qtbot, tmp_path):
    counted = [Counted(CABLE, units=24, packs=2)]
    dialog = _dialog(qtbot, tmp_path, counted, per_pack_choice=True)
    assert dialog.summary.text() == "24 labels on 24 page(s)"
    _choose(dialog.per, "pack")
    assert dialog.summary.text() == "2 labels on 2 page(s)"
    _choose(dialog.target, PDF)
    dialog.settings.setValue("labels/ann/receipt_per", dialog.per.currentData())
    again = _dialog(qtbot, tmp_path, counted, per_pack_choice=True)
    assert again.per.currentData() == "pack"
    other = LabelDialog(counted, title="x", username="bob", settings=dialog.settings,
                        per_pack_choice=True)  # fmt: skip
    qtbot.addWidget(other)
    assert other.per.currentData() == "unit"  # per user


def test_labels_are_saved_as_a_pdf_in_the_background(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    dialog.copies.setValue(3)
    with qtbot.waitSignal(dialog.sender.done, timeout=10_000) as done:
        dialog.sender.to_pdf(dialog.revalidate(), tmp_path / "l.pdf")
    assert done.args == [3, f"Saved 3 labels to {tmp_path / 'l.pdf'}."]
    assert len(re.findall(rb"/Type\s*/Page\b", (tmp_path / "l.pdf").read_bytes())) == 3


def test_zpl_is_sent_and_the_printer_is_remembered_for_this_workstation(qtbot, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def take() -> None:
        conn, _ = server.accept()
        with conn:
            got.append(b"".join(iter(lambda: conn.recv(4096), b"")))

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    dialog = _dialog(qtbot, tmp_path)
    _choose(dialog.target, ZPL)
    address = f"127.0.0.1:{server.getsockname()[1]}"
    dialog.zpl_printer.setText(address)
    with server, qtbot.waitSignal(dialog.sender.done, timeout=10_000) as done:
        dialog.print_button.click()
    thread.join(5)
    assert done.args[0] == 1
    assert got[0].startswith(b"^XA") and b"^BEN," in got[0]
    assert config.label_settings().zpl_printer == address


def test_a_refusing_zpl_printer_offers_a_retry_or_a_pdf(qtbot, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    dialog = _dialog(qtbot, tmp_path)
    _choose(dialog.target, ZPL)
    dialog.zpl_printer.setText(f"127.0.0.1:{port}")
    with qtbot.waitSignal(dialog.sender.done, timeout=10_000) as done:
        dialog.print_button.click()
    assert done.args[0] == 0 and "refused the connection" in done.args[1]
    box = dialog.sender.failure
    assert box is not None
    assert {b.text() for b in box.buttons()} >= {"&Try again", "Save as &PDF…"}
    assert dialog.error.text() == done.args[1]
    box.reject()


def test_qt_print_preview_paints_the_job_on_the_printer(qtbot, tmp_path):
    from invdesk.ui.printing.label_dialog import PRINTER

    dialog = _dialog(qtbot, tmp_path)
    dialog.copies.setValue(2)
    assert not dialog.preview_button.isVisibleTo(dialog)
    _choose(dialog.target, PRINTER)
    assert dialog.preview_button.isVisibleTo(dialog)
    assert not dialog.form.widgets["printer"].isVisibleTo(dialog)  # ZPL rows hide
    with qtbot.waitSignal(dialog.preview_button.clicked):
        dialog.preview_button.click()
    preview = dialog.findChild(QPrintPreviewDialog)
    assert preview is not None
    painted = []
    preview.paintRequested.connect(lambda printer: painted.append(printer.pageLayout()))
    preview.findChild(QPrintPreviewWidget).updatePreview()
    assert painted and round(painted[0].fullRect(QPageLayout.Unit.Millimeter).width()) == 62
    preview.close()


def test_after_a_failure_the_labels_can_be_saved_as_a_pdf(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    dialog = _dialog(qtbot, tmp_path)
    _choose(dialog.target, ZPL)
    dialog.zpl_printer.setText(f"127.0.0.1:{port}")
    with qtbot.waitSignal(dialog.sender.done, timeout=10_000):
        dialog.print_button.click()
    pdf = tmp_path / "instead.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(pdf), "PDF"))
    box = dialog.sender.failure
    save = next(b for b in box.buttons() if b.text() == "Save as &PDF…")
    with qtbot.waitSignal(dialog.sender.done, timeout=10_000) as done:
        save.click()
    assert done.args[0] == 1 and pdf.exists()


def test_a_printer_is_painted_off_the_gui_thread_page_by_page(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    dialog = _dialog(qtbot, tmp_path)
    dialog.copies.setValue(4)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    progress: list[int] = []
    dialog.sender.progressed.connect(progress.append)
    with qtbot.waitSignal(dialog.sender.done, timeout=10_000) as done:
        dialog.sender.to_printer(dialog.revalidate(), printer)
    assert done.args[0] == 4 and progress == [1, 2, 3, 4]
    assert len(re.findall(rb"/Type\s*/Page\b", (tmp_path / "printed.pdf").read_bytes())) == 4
