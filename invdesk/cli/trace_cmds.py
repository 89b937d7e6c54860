"""Traceability from a script: `lot show|trace`, `serial show`, `order lots`, `alerts expiry`."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.cli.restock_cmds import alerts_group, order_group
from invdesk.domain.trace import LotTrace
from invdesk.services.reads import trace
from invdesk.services.stock import expiry_alerts


def _print(found: LotTrace, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "lot": found.lot,
                "on_hand": found.on_hand,
                "total_on_hand": found.total_on_hand,
                "history": found.history,
                "orders": found.orders,
            }
        )
        return
    lot = found.lot
    what = "Serial" if lot.serial else "Lot"
    dates = "".join(
        f", {label} {day}"
        for label, day in (("expires", lot.expiry), ("made", lot.produced))
        if day
    )
    click.echo(f"{what} {lot.number} of {lot.sku} ({lot.product_name}){dates}")
    click.echo(f"On hand: {found.total_on_hand:,}")
    emit_table(
        ["Warehouse", "Location", "On hand"],
        [[p.warehouse, p.location, p.on_hand] for p in found.on_hand],
        empty="Nowhere in stock now.",
    )
    click.echo("")
    emit_table(
        ["#", "When", "Kind", "Warehouse", "Location", "Qty", "User", "Reference", "Transfer"],
        [
            (m.id, m.at, m.kind, m.warehouse, m.location, m.qty, m.user, m.reference, m.transfer_id)
            for m in found.history
        ],
        empty="No movements.",
    )
    click.echo("")
    emit_table(
        ["Order", "Channel", "Status", "Warehouse", "Units", "Taken"],
        [[o.reference, o.channel, o.status, o.warehouse, o.units, o.at] for o in found.orders],
        empty="No order took it.",
    )


@click.group("lot")
def lot_group() -> None:
    """Lots (batches) of a product: where they went."""


@lot_group.command("show")
@click.argument("sku")
@click.argument("lot")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def lot_show(ctx: CliContext, sku: str, lot: str, as_json: bool) -> None:
    """A lot: its dates, where it is now, every movement and every order that took it."""
    _print(trace.trace_lot(ctx.database(), ctx.actor(), sku, lot, serial=False), as_json)


@lot_group.command("trace")
@click.argument("sku")
@click.argument("lot")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def lot_trace(ctx: CliContext, sku: str, lot: str, as_json: bool) -> None:
    """A recall: every movement of the lot and every order that took it."""
    _print(trace.trace_lot(ctx.database(), ctx.actor(), sku, lot), as_json)


@click.group("serial")
def serial_group() -> None:
    """Serial numbers of a product: their history."""


@serial_group.command("show")
@click.argument("sku")
@click.argument("serial")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def serial_show(ctx: CliContext, sku: str, serial: str, as_json: bool) -> None:
    """A serial number's history: receipt, moves, sale (and its order), returns."""
    _print(trace.trace_lot(ctx.database(), ctx.actor(), sku, serial, serial=True), as_json)


@order_group.command("lots")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def order_lots(ctx: CliContext, reference: str, as_json: bool) -> None:
    """The lots (and serials) an order's fulfilment took."""
    rows = trace.order_lots(ctx.database(), ctx.actor(), reference)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["SKU", "Lot", "Expiry", "Warehouse", "Units"],
        [[r.sku, r.lot, r.expiry, r.warehouse, r.units] for r in rows],
        empty="The order took nothing yet.",
    )


@alerts_group.command("expiry")
@pass_cli
def alerts_expiry(ctx: CliContext) -> None:
    """Raise the alerts of lots expiring soon or expired (and resolve the rest) now."""
    done = expiry_alerts.check_expiry(ctx.database(), ctx.actor())
    click.echo(f"{done.raised} raised, {done.resolved} resolved, {done.unresolved} open.")


COMMANDS = [lot_group, serial_group]
