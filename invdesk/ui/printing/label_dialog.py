"""The label dialog: design, size, copies, start position, where to (PDF, a printer, a ZPL
printer) and a preview of the page as it will print.

Labels arrive already read (the openers in label_actions read them off the GUI thread). Input
is checked by building the job, so the dialog and the CLI refuse the same things with the same
words; printing runs through the one background runner with progress and cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk import config
from invdesk.domain.errors import InvdeskError
from invdesk.reports.labels.designs import Code, Label, LabelOptions, LocationLabel, LotLabel
from invdesk.reports.labels.jobs import MAX_COPIES, LabelJob
from invdesk.reports.labels.sizes import DEFAULT_STOCK, STOCKS
from invdesk.reports.labels.sources import Counted, expand
from invdesk.reports.labels.zpl import DPI_CHOICES
from invdesk.ui.dialogs.widgets import ErrorLabel, FieldForm, Heading
from invdesk.ui.printing import label_painter, output
from invdesk.ui.printing.label_sending import LabelSender

PDF, PRINTER, ZPL = "pdf", "printer", "zpl"
PREVIEW_DPI = 96
PREVIEW_WIDTH = 340


class LabelDialog(QDialog):
    """Print `counted` labels (each with its units and packs); `per_pack_choice` shows the
    "one label per unit / per pack" choice of a receipt, remembered per user."""

    printed = Signal(int)
    """Pages (or, for ZPL, labels) made, once a job has finished."""

    def __init__(
        self,
        counted: list[Counted],
        *,
        title: str,
        username: str,
        per_pack_choice: bool = False,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print labels")
        self.counted, self.username = counted, username
        self.settings = settings if settings is not None else QSettings()
        self.saved = config.label_settings()
        self.sender = LabelSender(self)
        self.job: LabelJob | None = None
        self.page = 0
        self.chosen_printer: QPrinter | None = None
        kinds = {type(c.label) for c in counted}
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(title, _hint(kinds), self))
        columns = QHBoxLayout()
        form_layout = self.form_layout = QFormLayout()
        self.form = FieldForm(form_layout)

        self.per = QComboBox(self)
        self.per.addItem("One per unit received", "unit")
        self.per.addItem("One per pack received", "pack")
        self.per.setCurrentIndex(max(0, self.per.findData(self._remembered_per())))
        if per_pack_choice:
            self.form.add("&Labels:", self.per, "per")
        else:
            self.per.hide()
        self.code = QComboBox(self)
        if LotLabel in kinds:
            self.code.addItem("GS1 DataMatrix", Code.GS1_DATAMATRIX)
            self.code.addItem("GS1-128", Code.GS1_128)
        else:
            auto = "Code 128" if kinds == {LocationLabel} else "EAN / UPC, else Code 128 of SKU"
            self.code.addItem(auto, Code.AUTO)
            self.code.addItem("QR code", Code.QR)
        self.form.add("&Barcode:", self.code, "barcode")
        self.price = QCheckBox("Show the pr&ice", self)
        if kinds - {LocationLabel, LotLabel}:
            self.form.add("", self.price, "price")
        else:
            self.price.hide()
        self.size = QComboBox(self)
        for stock in STOCKS.values():
            self.size.addItem(stock.title, stock.key)
        self.size.setCurrentIndex(max(0, self.size.findData(self.saved.size or DEFAULT_STOCK)))
        self.form.add("&Size:", self.size, "size")
        self.copies = QSpinBox(self)
        self.copies.setRange(0, MAX_COPIES)
        self.copies.setValue(1)
        self.copies.setMinimumWidth(110)
        self.copies.setMaximumWidth(140)
        self.form.add("&Copies of each:", self.copies, "copies")
        self.start = QSpinBox(self)
        self.start.setRange(0, 99)
        self.start.setValue(1)
        self.start.setMinimumWidth(110)
        self.start.setMaximumWidth(140)
        self.start.setToolTip("The first free label of a used sheet, counted row by row from 1")
        self.form.add("St&art at label:", self.start, "start")
        self.target = QComboBox(self)
        self.target.addItem("PDF file", PDF)
        self.target.addItem("Printer (print dialog)", PRINTER)
        self.target.addItem("ZPL label printer", ZPL)
        default = ZPL if self.saved.zpl_printer else PRINTER if self.saved.printer else PDF
        self.target.setCurrentIndex(self.target.findData(default))
        self.form.add("Print &to:", self.target, "target")
        self.zpl_printer = QLineEdit(self.saved.zpl_printer, self)
        self.zpl_printer.setPlaceholderText("host[:9100] or queue:NAME")
        self.zpl_printer.setMaximumWidth(240)
        self.form.add("&ZPL printer:", self.zpl_printer, "printer")
        self.dpi = QComboBox(self)
        for dpi in DPI_CHOICES:
            self.dpi.addItem(f"{dpi} dpi", dpi)
        self.dpi.setCurrentIndex(max(0, self.dpi.findData(self.saved.dpi)))
        self.form.add("Printer &resolution:", self.dpi, "dpi")
        self.error = ErrorLabel(self)
        self.summary = QLabel(self)
        form_box = QVBoxLayout()
        form_box.addLayout(form_layout)
        form_box.addWidget(self.summary)
        form_box.addWidget(self.error)
        form_box.addStretch(1)
        columns.addLayout(form_box, 1)

        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, 240)
        self.preview.setStyleSheet("background: #d9dce0; padding: 8px;")
        self.previous = QPushButton("◀", self)
        self.next = QPushButton("▶", self)
        self.page_text = QLabel(self)
        nav = QHBoxLayout()
        nav.addWidget(self.previous)
        nav.addWidget(self.page_text, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next)
        preview_box = QVBoxLayout()
        preview_box.addWidget(self.preview, 1)
        preview_box.addLayout(nav)
        columns.addLayout(preview_box)
        layout.addLayout(columns, 1)

        self.progress = QProgressBar(self)
        self.progress.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        self.cancel_button = QPushButton("St&op", self)
        self.cancel_button.hide()
        self.preview_button = QPushButton("Print pre&view…", self)
        self.preview_button.setToolTip("The job as the printer driver will get it, page by page")
        self.print_button = QPushButton(self)
        self.print_button.setDefault(True)
        close = QPushButton("Close", self)
        for button in (self.cancel_button, self.preview_button, self.print_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self.print_)
        self.preview_button.clicked.connect(self.print_preview)
        self.cancel_button.clicked.connect(self.sender.cancel)
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        for combo in (self.per, self.code, self.size, self.target, self.dpi):
            combo.currentIndexChanged.connect(lambda _i: self.revalidate())
        for spin in (self.copies, self.start):
            spin.valueChanged.connect(lambda _v: self.revalidate())
        self.price.toggled.connect(lambda _on: self.revalidate())
        self.zpl_printer.textChanged.connect(lambda _t: self.revalidate())
        self.sender.busy_changed.connect(self._busy)
        self.sender.done.connect(self._done)
        self.sender.progressed.connect(self.progress.setValue)
        self.revalidate()

    # Input --------------------------------------------------------------------------------------
    def _remembered_per(self) -> str:
        return str(self.settings.value(f"labels/{self.username}/receipt_per", "unit"))

    def labels(self) -> list[Label]:
        per_pack = self.per.isVisibleTo(self) and self.per.currentData() == "pack"
        return expand(self.counted, per_pack=per_pack)

    def revalidate(self) -> LabelJob | None:
        """Build the job from the form; a refusal is shown at its field and disables Print."""
        target = self.target.currentData()
        stock = STOCKS[self.size.currentData()]
        self.start.setEnabled(not stock.roll)
        self.form_layout.setRowVisible(self.start.parentWidget(), not stock.roll)
        for field in ("printer", "dpi"):
            self.form_layout.setRowVisible(self.form.widgets[field].parentWidget(), target == ZPL)
        messages: dict[str, str] = {}
        self.job = None
        try:
            options = LabelOptions(self.code.currentData(), self.price.isChecked())
            start = self.start.value() if not stock.roll else 1
            self.job = LabelJob(tuple(self.labels()), stock, options, self.copies.value(), start)
            self.job.check()
            if target == ZPL and not stock.roll:
                messages["size"] = (
                    "A ZPL label printer takes labels on a roll: choose a label size."
                )
            if target == ZPL and not self.zpl_printer.text().strip():
                messages["printer"] = "Name the label printer: host[:port] or queue:NAME."
        except InvdeskError as error:
            self.job = None
            messages[error.field if error.field in self.form.widgets else "copies"] = error.message
        self.form.show(messages)
        self.print_button.setText({PDF: "Save &PDF…", PRINTER: "&Print…", ZPL: "Se&nd"}[target])
        self.print_button.setEnabled(self.job is not None and not messages)
        self.preview_button.setVisible(target == PRINTER)
        self.preview_button.setEnabled(self.job is not None and not messages)
        if self.job is not None:
            n = self.job.count
            self.summary.setText(f"{n:,} label{'s' * (n != 1)} on {self.job.pages:,} page(s)")
        self.show_page(min(self.page, self.job.pages - 1) if self.job else 0)
        return self.job if not messages else None

    def show_page(self, page: int) -> None:
        """Draw page `page` as it will print (one page: quick even for a job of thousands)."""
        job = self.job
        if job is None:
            self.preview.clear()
            self.page_text.clear()
            return
        self.page = max(0, min(page, job.pages - 1))
        image = label_painter.page_image(job, self.page, dpi=PREVIEW_DPI, outlines=True)
        pixmap = QPixmap.fromImage(image)
        box = self.preview.contentsRect().size().shrunkBy(self.preview.contentsMargins())
        if pixmap.width() > box.width() or pixmap.height() > box.height():
            pixmap = pixmap.scaled(
                box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.preview.setPixmap(pixmap)
        self.page_text.setText(f"Page {self.page + 1} of {job.pages:,}")
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < job.pages - 1)

    # Printing -----------------------------------------------------------------------------------
    def print_(self) -> None:
        job = self.revalidate()
        if job is None:
            return
        if self.per.isVisibleTo(self):
            self.settings.setValue(f"labels/{self.username}/receipt_per", self.per.currentData())
        target = self.target.currentData()
        if target == PDF:
            path, _filter = QFileDialog.getSaveFileName(
                self, "Save labels", "labels.pdf", "PDF (*.pdf)"
            )
            if path:
                self.sender.to_pdf(job, path)
        elif target == PRINTER:
            printer = self.chosen_printer or QPrinter(QPrinter.PrinterMode.HighResolution)
            if self.saved.printer and self.chosen_printer is None:
                printer.setPrinterName(self.saved.printer)
            if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
                self.chosen_printer = printer
                self._remember(printer=printer.printerName())
                self.sender.to_printer(job, printer)
        else:
            self._remember(zpl_printer=self.zpl_printer.text().strip())
            self.sender.to_zpl(job, self.zpl_printer.text(), int(self.dpi.currentData()))

    def print_preview(self) -> QPrintPreviewDialog | None:
        """Qt's print preview of the whole job on the chosen (or this PC's) printer; printing
        from it goes through the printer's dialog."""
        job = self.revalidate()
        if job is None:
            return None
        printer = self.chosen_printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.saved.printer and self.chosen_printer is None:
            printer.setPrinterName(self.saved.printer)
        output.prepare_printer(printer, label_painter.paper_of(job), title="Labels")
        self.chosen_printer = printer  # the preview holds it without owning it: keep it alive
        preview = QPrintPreviewDialog(printer, self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.paintRequested.connect(lambda device: label_painter.render(device, job))
        preview.open()
        return preview

    def _remember(self, **changes: str) -> None:
        saved = config.LabelSettings(
            changes.get("printer", self.saved.printer),
            changes.get("zpl_printer", self.saved.zpl_printer),
            str(self.size.currentData()),
            int(self.dpi.currentData()),
        )
        if saved != self.saved:
            config.save_label_settings(saved)
            self.saved = saved

    def _busy(self, busy: bool, total: int) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self.print_button.setEnabled(not busy)

    def _done(self, made: int, message: str) -> None:
        self.error.show_message(None if made else message)
        self.summary.setText(message)
        if made:
            self.printed.emit(made)


def _hint(kinds: set[type]) -> str:
    if kinds == {LocationLabel}:
        return "Shelf and bin labels: the code in big letters and as a barcode clerks scan."
    if LotLabel in kinds:
        return "Lot labels: GTIN, lot and expiry in one GS1 code, as cartons carry them."
    return "Products without an EAN or UPC get a Code 128 of their SKU, so every label scans."
