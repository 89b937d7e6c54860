"""`transfer`: the one-step transfer as before, and goods in transit (receive, list, show).

`invdesk transfer SKU FROM TO QTY [--ship]` stays what it was; `transfer receive|list|show ...`
are sub-commands. A click group cannot also take arguments, so the group hands anything that
does not start with a sub-command's name to the one-step command.
"""

from __future__ import annotations

from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.cli.stock_cmds import transfer_cmd
from invdesk.domain.errors import ValidationError
from invdesk.domain.transit import ReceivedLine, ReceiveShipment, ShipmentSummary, ShipmentView
from invdesk.services.stock import shipments, transit


class TransferGroup(click.Group):
    """Sub-commands by name; anything else is the one-step transfer (SKU FROM TO QTY)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["move", *args]
        return super().parse_args(ctx, args)


@click.group(
    "transfer",
    cls=TransferGroup,
    context_settings={"ignore_unknown_options": True},
    epilog="transfer SKU FROM TO QTY [--ship] moves stock (see `transfer move --help`).",
)
def transfer_group() -> None:
    """Move stock between warehouses, or ship it and receive it later.

    \b
    invdesk transfer SKU FROM TO QTY            one step (same site)
    invdesk transfer SKU FROM TO QTY --ship     into transit; prints the transfer id
    invdesk transfer receive ID [--line SKU:QTY]...
    """


transfer_group.add_command(transfer_cmd, "move")


def _line(text: str) -> ReceivedLine:
    sku, sep, qty = text.rpartition(":")
    if not sep or not sku:
        raise ValidationError(f"A received line is SKU:QTY or SKU@LOT:QTY, not “{text}”.")
    product, _, lot = sku.partition("@")
    return ReceivedLine(product, qty, lot or None)


def _show(view: ShipmentView, as_json: bool) -> None:
    if as_json:
        emit_json(view)
        return
    click.echo(
        f"Transfer {view.id}: {view.source} -> {view.destination}, {view.status.value}, "
        f"shipped {view.shipped_at:%Y-%m-%d %H:%M} by {view.shipped_by}"
        + (f", ref {view.reference}" if view.reference else "")
    )
    emit_table(
        ["SKU", "Lot", "Shipped", "Received", "Short", "Expected"],
        [
            [line.sku, line.lot, line.shipped, line.received, line.short, line.expected]
            for line in view.lines
        ],
        empty="No lines.",
    )


@transfer_group.command("receive")
@click.argument("shipment_id", metavar="ID")
@click.option(
    "--line",
    "lines",
    multiple=True,
    metavar="SKU:QTY",
    help="What arrived of a product (SKU@LOT:QTY for one lot). Without any: everything.",
)
@click.option(
    "--keep-open",
    is_flag=True,
    help="The rest comes later: keep the transfer open instead of recording it as short.",
)
@click.option("--request-id", help="Idempotency key: the same id again applies once.")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def receive_cmd(
    ctx: CliContext,
    shipment_id: str,
    lines: tuple[str, ...],
    keep_open: bool,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Receive a shipped transfer at its destination; what is not named is recorded as short."""
    received = tuple(_line(text) for text in lines) if lines else None
    cmd = ReceiveShipment(shipment_id, received, keep_open, request_id)
    receipt = transit.receive_shipment(ctx.database(), cmd, ctx.actor())
    if as_json:
        emit_json({**_plain(receipt.result), "shipment": receipt.shipment})
        return
    if receipt.result.replayed:
        click.echo(f"Request {receipt.result.request_id} was already applied; nothing changed.")
    _show(receipt.shipment, False)
    if receipt.discrepancy:
        click.echo(f"Discrepancy: {receipt.shipment.short:,} units short.")


def _plain(result: Any) -> dict[str, Any]:
    return {
        "request_id": result.request_id,
        "replayed": result.replayed,
        "movements": result.movements,
    }


@transfer_group.command("list")
@click.option("--in-transit", is_flag=True, help="Only transfers still expecting goods.")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def list_cmd(ctx: CliContext, in_transit: bool, as_json: bool) -> None:
    """Shipped transfers (newest first), or with --in-transit what is on its way (oldest first)."""
    rows = shipments.list_shipments(ctx.database(), ctx.actor(), in_transit=in_transit)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["ID", "From", "To", "Status", "Shipped at", "Shipped", "Received", "Short", "Expected"],
        [(r.id, r.source, r.destination, r.status, r.shipped_at, *_units(r)) for r in rows],
        empty="Nothing in transit." if in_transit else "No shipped transfers.",
    )


def _units(row: ShipmentSummary) -> tuple[int, int, int, int]:
    return row.shipped, row.received, row.short, row.expected


@transfer_group.command("show")
@click.argument("shipment_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def show_cmd(ctx: CliContext, shipment_id: str, as_json: bool) -> None:
    """One shipped transfer: its lines, what arrived and what was short."""
    _show(shipments.get_shipment(ctx.database(), ctx.actor(), shipment_id), as_json)


COMMANDS = [transfer_group]
