"""`invdesk label product|location|lot`: barcode labels to a PDF, a printer or a ZPL printer.

PDF and system printers are painted by the desktop app's code (reached through the `Gui` hook,
so this package never imports Qt); ZPL is plain text made here and sent by a service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.config import label_settings
from invdesk.domain.errors import ValidationError
from invdesk.reports.labels import sources, zpl
from invdesk.reports.labels.designs import Code, Label, LabelOptions
from invdesk.reports.labels.jobs import LabelJob
from invdesk.reports.labels.sizes import DEFAULT_STOCK, STOCKS, stock_named
from invdesk.services.outbound.raw_printer import parse_printer, send_raw


def _target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--copies", type=int, default=1, show_default=True,
                         help="Labels of each one."),
            click.option("--size", metavar="SIZE",
                         help=f"Label stock: {', '.join(STOCKS)} (default: the settings', "
                         f"then {DEFAULT_STOCK})."),
            click.option("--start", type=int, default=1, show_default=True,
                         help="First free label on the first sheet (1 = top left, row by row)."),
            click.option("--out", type=click.Path(dir_okay=False), help="Write a PDF file."),
            click.option("--zpl", "zpl_file", type=click.Path(dir_okay=False, allow_dash=True),
                         help="Write ZPL for a Zebra-compatible printer to a file (- for stdout)."),
            click.option("--printer", metavar="NAME", help="Print on this system printer."),
            click.option("--zpl-printer", metavar="HOST[:PORT]|queue:NAME",
                         help="Send ZPL to a label printer on the network (port 9100) or a "
                         "local raw queue."),
            click.option("--dpi", type=click.Choice([str(d) for d in zpl.DPI_CHOICES]),
                         help="The ZPL printer's resolution (default: the settings', then 203)."),
            click.option("--json", "as_json", is_flag=True, help="Print one JSON document."),
        ]
    ):  # fmt: skip
        command = option(command)
    return command


@click.group("label")
def label_group() -> None:
    """Print barcode labels for products, locations (shelves, bins) and lots.

    Where to: --out FILE.pdf, --printer NAME (a system printer), --zpl FILE or --zpl-printer
    HOST (raw ZPL). Without one, the [labels] settings of the config file say (zpl_printer,
    then printer)."""


@label_group.command("product")
@click.argument("codes", nargs=-1, required=True, metavar="SKU...")
@click.option("--price", is_flag=True, help="Show the price.")
@click.option("--qr", is_flag=True, help="A QR code instead of the EAN/UPC or Code 128.")
@_target_options
@pass_cli
def label_product(
    ctx: CliContext, codes: tuple[str, ...], price: bool, qr: bool, **target: Any
) -> None:
    """Labels of products by SKU or barcode: their EAN-13/UPC-A, else a Code 128 of the SKU."""
    labels = sources.product_labels(ctx.database(), ctx.actor(), codes)
    options = LabelOptions(code=Code.QR if qr else Code.AUTO, show_price=price)
    _print(ctx, labels, options, **target)


@label_group.command("location")
@click.argument("warehouse")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--qr", is_flag=True, help="A QR code instead of the Code 128.")
@_target_options
@pass_cli
def label_location(
    ctx: CliContext, warehouse: str, codes: tuple[str, ...], qr: bool, **target: Any
) -> None:
    """Shelf and bin labels of WAREHOUSE's locations CODE... (all active ones if none named)."""
    labels = sources.location_labels(ctx.database(), ctx.actor(), warehouse, codes)
    _print(ctx, labels, LabelOptions(code=Code.QR if qr else Code.AUTO), **target)


@label_group.command("lot")
@click.argument("product")
@click.argument("lots", nargs=-1, required=True, metavar="LOT...")
@click.option("--gs1-128", "linear", is_flag=True, help="GS1-128 bars instead of a DataMatrix.")
@_target_options
@pass_cli
def label_lot(
    ctx: CliContext, product: str, lots: tuple[str, ...], linear: bool, **target: Any
) -> None:
    """GS1 labels of PRODUCT's lots: GTIN, lot and expiry in a GS1 DataMatrix or GS1-128."""
    db, actor = ctx.database(), ctx.actor()
    labels = [sources.lot_label(db, actor, product, lot) for lot in lots]
    _print(
        ctx, labels, LabelOptions(code=Code.GS1_128 if linear else Code.GS1_DATAMATRIX), **target
    )


def _print(
    ctx: CliContext,
    labels: list[Label],
    options: LabelOptions,
    *,
    copies: int,
    size: str | None,
    start: int,
    out: str | None,
    zpl_file: str | None,
    printer: str | None,
    zpl_printer: str | None,
    dpi: str | None,
    as_json: bool,
) -> None:
    settings = label_settings()
    chosen = [t for t in (out, zpl_file, printer, zpl_printer) if t]
    if len(chosen) > 1:
        raise click.UsageError("Give one of --out, --zpl, --printer and --zpl-printer.")
    if not chosen:
        zpl_printer = settings.zpl_printer or None
        printer = None if zpl_printer else settings.printer or None
        if not (zpl_printer or printer):
            raise click.UsageError(
                "Say where the labels go: --out FILE.pdf, --printer, --zpl or --zpl-printer "
                "(or set a printer in the [labels] settings)."
            )
    stock = stock_named(size or settings.size or DEFAULT_STOCK)
    job = LabelJob(tuple(labels), stock, options, copies, start)
    dots = int(dpi) if dpi else settings.dpi
    if zpl_file or zpl_printer:
        text = zpl.zpl(job, dpi=dots)
        if zpl_file == "-":
            click.echo(text, nl=False)
            return
        if zpl_file:
            Path(zpl_file).write_text(text, encoding="utf-8")
            where, kind = zpl_file, "zpl"
        else:
            target = parse_printer(zpl_printer or "")
            send_raw(target, text.encode("utf-8"))
            where, kind = str(target), "zpl-printer"
        pages = job.count
    else:
        hook = getattr(ctx.gui, "print_labels", None)
        if hook is None:
            raise ValidationError(
                "PDF and system printers need the desktop app's printing (run the installed "
                "invdesk), or use --zpl.",
                field="printer",
            )
        pages = hook(job, pdf=out, printer=None if out else printer)
        where, kind = (out, "pdf") if out else (printer or "", "printer")
    if as_json:
        emit_json({"labels": job.count, "pages": pages, "target": where, "kind": kind})
        return
    page_note = "" if kind.startswith("zpl") else f" on {pages} page{'s' * (pages != 1)}"
    click.echo(f"{job.count} label{'s' * (job.count != 1)}{page_note} to {where}.")


COMMANDS = [label_group]
