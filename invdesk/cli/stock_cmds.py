"""Stock commands: receive, issue, transfer, return, adjust, reserve/commit/release, stock, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.negatives import NumberArgsCommand
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.locations import QuantView
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
from invdesk.services.reads import grain, queries
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


def where_options(*, dated: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--location, --lot and --serial (and, for goods coming in, --expiry and --produced)."""

    def add(func: Callable[..., Any]) -> Callable[..., Any]:
        if dated:
            func = click.option("--produced", help="The lot's production date, YYYY-MM-DD.")(func)
            func = click.option("--expiry", help="The lot's expiry date, YYYY-MM-DD.")(func)
        func = click.option(
            "--serial",
            "serials",
            multiple=True,
            help="A serial number (repeat once per unit) of a serial-tracked product.",
        )(func)
        func = click.option("--lot", help="The lot (batch) number; an issue picks FEFO without.")(
            func
        )
        return click.option("--location", help="The bin, e.g. A-03-2 (default: putaway).")(func)

    return add


def _line(sku: str, qty: str, cost: str | None = None, **where: Any) -> Line:
    return Line(
        sku,
        qty,
        cost,
        location=where.get("location"),
        lot=where.get("lot"),
        expiry=where.get("expiry"),
        produced=where.get("produced"),
        serials=tuple(where.get("serials", ())),
    )


def _where(m: Any) -> str:
    parts = [p for p in (m.location, None if m.lot is None else f"lot {m.lot}") if p]
    return f" [{', '.join(parts)}]" if parts else ""


def _report(result: StockResult, as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    if result.replayed:
        click.echo(f"Request {result.request_id} was already applied; nothing changed.")
    for m in result.movements:
        click.echo(
            f"{m.kind.value:<14} {m.qty:+,} {m.sku} in {m.warehouse}{_where(m)}: on hand "
            f"{m.balance_after:,}  (ledger #{m.id})"
        )


@click.command("receive", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--cost", help="Unit cost of this delivery; moves the average cost.")
@where_options(dated=True)
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
    **where: Any,
) -> None:
    """Receive QTY of SKU into WAREHOUSE (a lot-tracked product names its lot, a serial-tracked
    one a --serial per unit)."""
    cmd = ReceiveStock(warehouse, (_line(sku, qty, cost, **where),), reference, request_id)
    _report(operations.receive(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("issue", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("qty")
@click.option("--reason", help="Why, e.g. sale or consumption.")
@click.option(
    "--allow-expired",
    is_flag=True,
    help="Let an expired lot go out (recorded with the --reason, which it needs).",
)
@where_options(dated=False)
@stock_options
@pass_cli
def issue_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    qty: str,
    reason: str | None,
    allow_expired: bool,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
    **where: Any,
) -> None:
    """Issue (sell or consume) QTY of SKU from WAREHOUSE: first expiry first unless a --lot,
    --serial or --location is named."""
    cmd = IssueStock(
        warehouse, (_line(sku, qty, **where),), reference, reason, request_id, allow_expired
    )
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
@where_options(dated=False)
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
    **where: Any,
) -> None:
    """Move QTY of SKU from one warehouse to another (--location is where it leaves from; with
    --ship the goods go into transit until `transfer receive`)."""
    cmd = TransferStock(source, destination, (_line(sku, qty, **where),), reference, request_id)
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
@where_options(dated=True)
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
    **where: Any,
) -> None:
    """Take back QTY of SKU from a customer into WAREHOUSE."""
    line = _line(sku, qty, **where)
    cmd = ReturnStock(warehouse, (line,), damaged, reason, reference, request_id)
    _report(operations.return_stock(ctx.database(), cmd, ctx.actor()), as_json)


@click.command("adjust", cls=NumberArgsCommand, epilog=SKU_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("counted")
@click.option("--reason", help="Why the count differs (default: Stock count).")
@click.option("--location", help="Count this bin only.")
@click.option("--lot", help="Count this lot (or serial) only.")
@stock_options
@pass_cli
def adjust_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    counted: str,
    reason: str | None,
    location: str | None,
    lot: str | None,
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Set SKU in WAREHOUSE (or one --location / --lot of it) to the COUNTED quantity; the
    ledger records the difference."""
    cmd = AdjustStock(sku, warehouse, counted, reason, reference, request_id, location, lot)
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
@click.option(
    "--by",
    "grains",
    multiple=True,
    type=click.Choice(["location", "lot"]),
    help="One row per location and/or lot (on hand only: holds are per warehouse). Repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def stock_cmd(
    ctx: CliContext,
    sku: str | None,
    warehouse: str | None,
    include_empty: bool,
    grains: tuple[str, ...],
    as_json: bool,
) -> None:
    """Stock on hand, reserved and available, per product and warehouse."""
    if grains:
        _stock_by(ctx, sku, warehouse, include_empty, set(grains), as_json)
        return
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
                    "on_order": r.on_order,
                }
                for r in rows
            ]
        )
        return
    emit_table(
        ["SKU", "Name", "Warehouse", "On hand", "Reserved", "Available", "On order", "Avg cost"],
        [
            [
                r.sku,
                r.product_name,
                r.warehouse,
                r.on_hand,
                r.reserved,
                r.available,
                r.on_order,
                r.avg_cost,
            ]
            for r in rows
        ],
        empty="No stock.",
    )


def _stock_by(
    ctx: CliContext,
    sku: str | None,
    warehouse: str | None,
    include_empty: bool,
    grains: set[str],
    as_json: bool,
) -> None:
    by_location, by_lot = "location" in grains, "lot" in grains
    rows = grain.stock_by_grain(
        ctx.database(),
        ctx.actor(),
        by_location=by_location,
        by_lot=by_lot,
        product=sku,
        warehouse=warehouse,
        include_empty=include_empty,
    )
    if as_json:
        emit_json([_grain_row(r, by_location, by_lot) for r in rows])
        return
    headers = ["SKU", "Name", "Warehouse"]
    headers += ["Location"] if by_location else []
    headers += ["Lot", "Expiry"] if by_lot else []
    cells = []
    for r in rows:
        row: list[object] = [r.sku, r.product_name, r.warehouse]
        row += [r.location or "(default)"] if by_location else []
        row += [r.lot, r.expiry] if by_lot else []
        cells.append([*row, r.on_hand])
    emit_table([*headers, "On hand"], cells, empty="No stock.")


def _grain_row(r: QuantView, by_location: bool, by_lot: bool) -> dict[str, object]:
    row: dict[str, object] = {"sku": r.sku, "name": r.product_name, "warehouse": r.warehouse}
    if by_location:
        row["location"] = r.location  # null: the warehouse's default location
    if by_lot:
        row["lot"] = r.lot
        row["expiry"] = None if r.expiry is None else r.expiry.isoformat()
    return {**row, "on_hand": r.on_hand, "unit": r.unit}


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
