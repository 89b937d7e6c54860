"""Printed documents: `invdesk picklist ORDER...`, `invdesk packing-slip ORDER` and
`invdesk transfer note ID` and `invdesk po pdf NUMBER` (registered on their groups), each
`--out F.pdf` or `--printer NAME`.

The pages are painted by the desktop app's printing (Qt), reached through the app's hook
object, so this package never imports the GUI."""

from __future__ import annotations

from typing import Any, NamedTuple

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.cli.po_cmds import po_group
from invdesk.cli.transit_cmds import transfer_group
from invdesk.domain.errors import ValidationError
from invdesk.reports.documents.model import Document
from invdesk.reports.documents.packing_slip import packing_slip
from invdesk.reports.documents.pick_list import pick_list
from invdesk.reports.documents.purchase_order import purchase_order
from invdesk.reports.documents.transfer_note import transfer_note

PAPERS = ("a4", "letter")


class Target(NamedTuple):
    """Where a document goes: a PDF file or a system printer, on A4 or Letter."""

    out: str | None
    printer: str | None
    paper: str


def _out(function: Any) -> Any:
    function = click.option(
        "--json", "as_json", is_flag=True, help="Say what was written as JSON."
    )(function)
    function = click.option(
        "--paper", type=click.Choice(PAPERS, case_sensitive=False), default="a4", show_default=True
    )(function)
    function = click.option("--printer", help="A system printer (as the OS names it) instead.")(
        function
    )
    return click.option("--out", type=click.Path(dir_okay=False), help="The PDF file to write.")(
        function
    )


def _write(ctx: CliContext, document: Document, target: Target, as_json: bool) -> None:
    out, printer, paper = target
    if bool(out) == bool(printer):
        raise ValidationError("Say where it goes: --out FILE.pdf or --printer NAME.", field="out")
    hook = getattr(ctx.gui, "print_document", None)
    if hook is None:
        raise ValidationError(
            "PDF and printer output need the desktop app's printing (run the installed invdesk).",
            field="out",
        )
    pages = hook(document, pdf=out, printer=printer, paper=paper)
    where = out or printer
    if as_json:
        emit_json({"document": document.title, "lines": document.lines, "pages": pages,
                   "target": where})  # fmt: skip
        return
    lines = document.lines
    click.echo(
        f"{document.title}: {lines} line{'s' * (lines != 1)} on {pages} "
        f"page{'s' * (pages != 1)} to {where}."
    )


@click.command("picklist")
@click.argument("orders", nargs=-1, required=True, metavar="ORDER...")
@_out
@pass_cli
def picklist_cmd(
    ctx: CliContext,
    orders: tuple[str, ...],
    out: str | None,
    printer: str | None,
    paper: str,
    as_json: bool,
) -> None:
    """The pick list of open ORDERs: bin by bin in walking order, the stock that fulfilling
    them will take (first expiry first), split per order when there are several."""
    target = Target(out, printer, paper)
    _write(ctx, pick_list(ctx.database(), ctx.actor(), orders), target, as_json)


@click.command("packing-slip")
@click.argument("order", metavar="ORDER")
@_out
@pass_cli
def packing_slip_cmd(
    ctx: CliContext, order: str, out: str | None, printer: str | None, paper: str, as_json: bool
) -> None:
    """The packing slip of ORDER (with the lots sent, once it is fulfilled)."""
    target = Target(out, printer, paper)
    _write(ctx, packing_slip(ctx.database(), ctx.actor(), order), target, as_json)


@transfer_group.command("note")
@click.argument("shipment_id", metavar="ID")
@_out
@pass_cli
def transfer_note_cmd(
    ctx: CliContext,
    shipment_id: str,
    out: str | None,
    printer: str | None,
    paper: str,
    as_json: bool,
) -> None:
    """The transfer note of a shipped transfer, to travel with the goods."""
    target = Target(out, printer, paper)
    _write(ctx, transfer_note(ctx.database(), ctx.actor(), shipment_id), target, as_json)


@po_group.command("pdf")
@click.argument("number", metavar="NUMBER")
@_out
@pass_cli
def po_pdf_cmd(
    ctx: CliContext, number: str, out: str | None, printer: str | None, paper: str, as_json: bool
) -> None:
    """Purchase order NUMBER as a document for the supplier (their SKUs, packs, prices)."""
    target = Target(out, printer, paper)
    _write(ctx, purchase_order(ctx.database(), ctx.actor(), number), target, as_json)


COMMANDS = [picklist_cmd, packing_slip_cmd]
