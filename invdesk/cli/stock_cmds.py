"""Stock commands: receive, issue, transfer, return, adjust, reserve/commit/release, stock, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.negatives import NumberArgsCommand
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    LedgerFilter,
    Line,
    MovementKind,
    ReceiveStock,
    ReserveStock,
    ReturnStock,
    StockResult,
    TransferStock,
)
from invdesk.domain.validation import parse_since, parse_until
from invdesk.services.reads import queries
from invdesk.services.stock import operations, orders, reservations, transit

SKU_HELP = "SKU arguments also accept a barcode; a case barcode counts its pack size."


def stock_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--json", "as_json", is_flag=True, help="Print the ledger rows as JSON.")(
        func
    )
    func = click.option("--request-id", help="Idempotency key: the same id again applies once.")(
        func
    )
    return click.option("--ref", "reference", help="A reference such as a PO or order number.")(
        func
    )


def _report(result: StockResult, as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    if result.replayed:
        click.echo(f"Request {result.request_id} was already applied; nothing changed.")
    for m in result.movements:
        click.echo(
            f"{m.kind.value:<14} {m.qty:+,} {m.sku} in {m.warehouse}: on hand "
            f"{m.balance_after:,}  (ledger #{m.id})"
        )


@click.command("receive", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--cost", help="Unit cost of this delivery; moves the average cost.")
@stock_options
@pass_cli
def receive_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    qty: str,
    cost: str | None,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Receive QTY of SKU into WAREHOUSE."""
    cmd = ReceiveStock(warehouse, (Line(sku, qty, cost),), reference, request_id)
    _report(operations.receive(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("issue", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--reason", help="Why, e.g. sale or consumption.")
@stock_options
@pass_cli
def issue_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    qty: str,
    reason: str | None,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Issue (sell or consume) QTY of SKU from WAREHOUSE."""
    cmd = IssueStock(warehouse, (Line(sku, qty),), reference, reason, request_id)
    _report(operations.issue(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("transfer", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("source", metavar="FROM")
@click.argument("destination", metavar="TO")
@click.argument("qty")
@click.option(
    "--ship",
    is_flag=True,
    help="Ship now, receive later (another site): prints the transfer id for `transfer receive`.",
)
@stock_options
@pass_cli
def transfer_cmd(
    ctx: CliContext,
    sku: str,
    source: str,
    destination: str,
    qty: str,
    ship: bool,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Move QTY of SKU from one warehouse to another (with --ship: into transit)."""
    cmd = TransferStock(source, destination, (Line(sku, qty),), reference, request_id)
    if not ship:
        _report(operations.transfer(ctx.database(), cmd, ctx.actor()), as_json)
        return
    result = transit.ship(ctx.database(), cmd, ctx.actor())
    if not as_json:
        click.echo(result.movements[0].transfer_id)
    _report(result, as_json)


@click.command("return", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--damaged", is_flag=True, help="Record the units as damaged; do not restock.")
@click.option("--reason")
@stock_options
@pass_cli
def return_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    qty: str,
    damaged: bool,
    reason: str | None,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Take back QTY of SKU from a customer into WAREHOUSE."""
    cmd = ReturnStock(warehouse, (Line(sku, qty),), damaged, reason, reference, request_id)
    _report(operations.return_stock(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("adjust", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("counted")
@click.option("--reason", help="Why the count differs (default: Stock count).")
@stock_options
@pass_cli
def adjust_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    counted: str,
    reason: str | None,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Set SKU in WAREHOUSE to the COUNTED quantity; the ledger records the difference."""
    cmd = AdjustStock(sku, warehouse, counted, reason, reference, request_id)
    _report(operations.adjust(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("reserve", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--ttl", default="3600", show_default=True, help="Seconds the hold lasts.")
@stock_options
@pass_cli
def reserve_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    qty: str,
    ttl: str,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Hold QTY of SKU in WAREHOUSE; prints the reservation's id."""
    held = reservations.reserve(
        ctx.database(),
        ReserveStock(
            sku, warehouse, qty, ttl_seconds=ttl, reference=reference, request_id=request_id
        ),
        ctx.actor(),
    )
    if as_json:
        emit_json(held)
    else:
        click.echo(held.id)


def _finish_command(name: str, action: Callable[..., StockResult], doc: str) -> click.Command:
    @click.command(name, cls=NumberArgsCommand, help=doc)
    @click.argument("reservation_id", metavar="ID")
    @click.option("--request-id", help="Idempotency key: the same id again applies once.")
    @click.option("--json", "as_json", is_flag=True)
    @pass_cli
    def command(
        ctx: CliContext, reservation_id: str, request_id: str | None, as_json: bool
    ) -> None:
        _report(action(ctx.database(), reservation_id, ctx.actor(), request_id), as_json)

    return command


commit_cmd = _finish_command(
    "commit", reservations.commit, "Turn reservation ID into an issue of its units."
)
release_cmd = _finish_command(
    "release", reservations.release, "Give reservation ID's units back to available stock."
)


@click.command("sweep")
@pass_cli
def sweep_cmd(ctx: CliContext) -> None:
    """Release every reservation past its expiry, and mark expired orders."""
    count = reservations.sweep(ctx.database(), ctx.actor())
    expired = orders.expire_orders(ctx.database(), ctx.actor())
    click.echo(f"Released {count} expired reservation(s).")
    if expired:
        click.echo(f"Marked {expired} order(s) expired.")


@click.command("stock", epilog=SKU_HELP)
@click.argument("sku", required=False)
@click.option("--warehouse", "-w", help="Only this warehouse (its code).")
@click.option("--all", "include_empty", is_flag=True, help="Include rows with nothing on hand.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def stock_cmd(
    ctx: CliContext, sku: str | None, warehouse: str | None, include_empty: bool, as_json: bool
) -> None:
    """Stock on hand, reserved and available, per product and warehouse."""
    rows = queries.stock_levels(
        ctx.database(),
        ctx.actor(),
        product=sku,
        warehouse=warehouse,
        include_empty=include_empty or sku is not None,
    )
    if as_json:
        emit_json(
            [
                {
                    "sku": r.sku,
                    "name": r.product_name,
                    "warehouse": r.warehouse,
                    "on_hand": r.on_hand,
                    "reserved": r.reserved,
                    "available": r.available,
                    "avg_cost": r.avg_cost,
                    "unit": r.unit,
                }
                for r in rows
            ]
        )
        return
    emit_table(
        ["SKU", "Name", "Warehouse", "On hand", "Reserved", "Available", "Avg cost"],
        [
            [r.sku, r.product_name, r.warehouse, r.on_hand, r.reserved, r.available, r.avg_cost]
            for r in rows
        ],
        empty="No stock.",
    )


@click.command("history", epilog=SKU_HELP)
@click.argument("sku", required=False)
@click.option("--warehouse", "-w", help="Only this warehouse (its code).")
@click.option("--since", help="From this date (YYYY-MM-DD, local time) or date-time.")
@click.option("--until", help="Up to and including this day (YYYY-MM-DD), or up to a date-time.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([k.value for k in MovementKind]),
    help="Only these kinds.",
)
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def history_cmd(
    ctx: CliContext,
    sku: str | None,
    warehouse: str | None,
    since: str | None,
    until: str | None,
    kinds: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """The stock ledger, newest first."""
    flt = LedgerFilter(
        product=sku,
        warehouse=warehouse,
        kinds=tuple(MovementKind(k) for k in kinds),
        since=parse_since(since) if since else None,
        until=parse_until(until) if until else None,
        limit=limit,
    )
    rows = queries.history(ctx.database(), ctx.actor(), flt)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        [
            "#",
            "When",
            "Kind",
            "SKU",
            "Warehouse",
            "Change",
            "Balance",
            "User",
            "Reference",
            "Reason",
        ],
        [
            [
                m.id,
                m.at,
                m.kind,
                m.sku,
                m.warehouse,
                m.change,
                m.balance_after,
                m.user,
                m.reference,
                m.reason,
            ]
            for m in rows
        ],
        empty="No movements.",
    )


COMMANDS = [
    receive_cmd,
    issue_cmd,
    return_cmd,
    adjust_cmd,
    reserve_cmd,
    commit_cmd,
    release_cmd,
    sweep_cmd,
    stock_cmd,
    history_cmd,
]
