"""Purchase order commands: create, send, show, list, receive against, cancel, draft from reorder."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain import purchasing as p
from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line
from invdesk.services.purchasing import drafts, orders, receiving

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


@click.group("po")
def po_group() -> None:
    """Purchase orders: draft -> sent -> partial -> received, or cancelled.

    \b
    invdesk po create SUPPLIER WAREHOUSE --line SKU:QTY[:PRICE]...   prints the number
    invdesk po send PO-000123
    invdesk po receive PO-000123 --line SKU:QTY... [--request-id ID]
    invdesk po from-reorder [--warehouse W]                          drafts from suggestions
    """


def _order_line(text: str) -> p.OrderLine:
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise ValidationError(f"Write each line as SKU:QTY or SKU:QTY:PRICE, not “{text}”.",
                              field="lines")  # fmt: skip
    return p.OrderLine(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def _received_line(text: str, lot: str | None, expiry: str | None, location: str | None) -> Line:
    sku, sep, qty = text.rpartition(":")
    if not sep or not sku:
        raise ValidationError(f"A received line is SKU:QTY or SKU@LOT:QTY, not “{text}”.",
                              field="lines")  # fmt: skip
    product, _, line_lot = sku.partition("@")
    return Line(product, qty, location=location, lot=line_lot or lot, expiry=expiry)


def _show(view: p.PurchaseOrderView, as_json: bool) -> None:
    if as_json:
        emit_json(view)
        return
    expected = f", expected {view.expected:%Y-%m-%d}" if view.expected else ""
    click.echo(
        f"{view.number}: {view.supplier} ({view.supplier_name}) -> {view.warehouse}, "
        f"{view.status.value}{expected}"
    )
    emit_table(
        [
            "#",
            "SKU",
            "Product",
            "Supplier SKU",
            "Ordered",
            "Packs",
            "Unit price",
            "Received",
            "Open",
        ],
        [
            [
                ln.line_no,
                ln.sku,
                ln.product_name,
                ln.supplier_sku,
                ln.ordered,
                f"{ln.packs} × {ln.pack_size}",
                ln.unit_price,
                ln.received,
                ln.open,
            ]
            for ln in view.lines
        ],
        empty="No lines.",
    )


@po_group.command("create")
@click.argument("supplier")
@click.argument("warehouse")
@click.option(
    "--line",
    "lines",
    multiple=True,
    required=True,
    metavar="SKU:QTY[:PRICE]",
    help="Units of a product (repeat); the price per unit defaults to the supplier's.",
)
@click.option("--expected", help="Expected delivery date, YYYY-MM-DD.")
@click.option("--notes")
@json_option
@pass_cli
def po_create(
    ctx: CliContext,
    supplier: str,
    warehouse: str,
    lines: tuple[str, ...],
    expected: str | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Create a draft PO from SUPPLIER for WAREHOUSE and print its number."""  # fmt: skip
    cmd = p.CreatePurchase(supplier, warehouse, tuple(_order_line(t) for t in lines), expected,
                           notes)  # fmt: skip
    view = orders.create_po(ctx.database(), cmd, ctx.actor())
    if as_json:
        emit_json(view)
    else:
        click.echo(view.number)


@po_group.command("edit")
@click.argument("number")
@click.option(
    "--line",
    "lines",
    multiple=True,
    metavar="SKU:QTY[:PRICE]",
    help="The PO's lines as they should be (all of them; repeat).",
)
@click.option("--expected", help="Expected delivery date, YYYY-MM-DD.")
@click.option("--notes")
@click.option("--reason", help="Why a sent PO is amended (required once sent).")
@click.option("--expected-version", type=int, help="Refuse if the version is no longer this.")
@json_option
@pass_cli
def po_edit(
    ctx: CliContext,
    number: str,
    lines: tuple[str, ...],
    expected: str | None,
    notes: str | None,
    reason: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a draft, or amend a sent PO (with --reason; audited)."""
    cmd = p.EditPurchase(
        number,
        tuple(_order_line(t) for t in lines) if lines else None,
        expected,
        notes,
        reason,
        expected_version,
    )
    _show(orders.edit_po(ctx.database(), cmd, ctx.actor()), as_json)


@po_group.command("send")
@click.argument("number")
@json_option
@pass_cli
def po_send(ctx: CliContext, number: str, as_json: bool) -> None:
    """Mark a draft as sent: its units count as on order from now."""
    view = orders.send_po(ctx.database(), number, ctx.actor())
    if as_json:
        emit_json(view)
    else:
        click.echo(f"{view.number} sent to {view.supplier}.")


@po_group.command("show")
@click.argument("number")
@json_option
@pass_cli
def po_show(ctx: CliContext, number: str, as_json: bool) -> None:
    """A PO and its lines: ordered, received, open."""
    _show(orders.get_po(ctx.database(), number, ctx.actor()), as_json)


@po_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in p.POStatus]))
@click.option("--supplier")
@click.option("--warehouse", "-w")
@json_option
@pass_cli
def po_list(
    ctx: CliContext, status: str | None, supplier: str | None, warehouse: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Purchase orders, newest first."""
    rows = orders.list_pos(ctx.database(), ctx.actor(), status, supplier, warehouse)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["Number", "Supplier", "Warehouse", "Status", "Expected", "Created", "By"],
        [
            [r.number, r.supplier, r.warehouse, r.status, r.expected, r.created_at, r.created_by]
            for r in rows
        ],
        empty="No purchase orders.",
    )


@po_group.command("receive")
@click.argument("number")
@click.option(
    "--line",
    "lines",
    multiple=True,
    required=True,
    metavar="SKU:QTY",
    help="Units delivered (repeat); SKU@LOT:QTY for a lot-tracked product.",
)
@click.option("--lot", help="The lot of every line that names none.")
@click.option("--expiry", help="The lot's expiry date, YYYY-MM-DD.")
@click.option("--location", help="The bin to put it in (default: putaway).")
@click.option("--confirm-over", is_flag=True, help="Accept more than ordered.")
@click.option("--request-id", help="Idempotency key: the same id again applies once.")
@json_option
@pass_cli
def po_receive(
    ctx: CliContext,
    number: str,
    lines: tuple[str, ...],
    lot: str | None,
    expiry: str | None,
    location: str | None,
    confirm_over: bool,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Book a delivery against a sent PO (one transaction; a retry applies once)."""
    cmd = p.ReceivePurchase(
        number,
        tuple(_received_line(t, lot, expiry, location) for t in lines),
        confirm_over,
        request_id,
    )
    result = receiving.receive_po(ctx.database(), cmd, ctx.actor())
    if as_json:
        emit_json(result)
        return
    if result.replayed:
        click.echo(f"Request {result.request_id} was already applied; nothing changed.")
    for m in result.movements:
        click.echo(f"received {m.qty:+,} {m.sku} in {m.warehouse}: on hand {m.balance_after:,}")
    click.echo(f"{result.order.number} is {result.order.status.value}.")


@po_group.command("cancel")
@click.argument("number")
@click.option("--reason", help="Why (kept in the audit trail).")
@json_option
@pass_cli
def po_cancel(ctx: CliContext, number: str, reason: str | None, as_json: bool) -> None:
    """Cancel a PO; of a partly received one, the rest is no longer on order."""
    view = orders.cancel_po(ctx.database(), number, ctx.actor(), reason)
    if as_json:
        emit_json(view)
    else:
        click.echo(f"{view.number} cancelled.")


@po_group.command("from-reorder")
@click.option("--warehouse", "-w", help="Only this warehouse's suggestions.")
@json_option
@pass_cli
def po_from_reorder(ctx: CliContext, warehouse: str | None, as_json: bool) -> None:
    """Draft POs from today's purchase suggestions: one per preferred supplier and warehouse,
    rounded up to packs and minimums. Prints the numbers."""
    made = drafts.drafts_from_reorder(ctx.database(), ctx.actor(), warehouse)
    if as_json:
        emit_json(made)
        return
    for view in made.orders:
        click.echo(view.number)
    for s in made.unsupplied:
        click.echo(f"no preferred supplier: {s.sku} in {s.warehouse} ({s.suggested_qty:,})",
                   err=True)  # fmt: skip
    for s in made.already_drafted:
        click.echo(f"already on a draft PO: {s.sku} in {s.warehouse}", err=True)


@po_group.command("xlsx")
@click.argument("number")
@click.option("--out", required=True, metavar="FILE.xlsx", help="Where to write the workbook.")
@pass_cli
def po_xlsx(ctx: CliContext, number: str, out: str) -> None:
    """Write a PO as an Excel workbook (company, supplier, lines in units and packs, totals)."""
    from invdesk.reports.po_workbook import po_workbook  # openpyxl: only for this command

    path = po_workbook(ctx.database(), ctx.actor(), number, out)
    click.echo(f"Wrote {path}")


COMMANDS = [po_group]
