"""Count sheets from the command line: open, count lines, show the variance, post, cancel, list."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.negatives import NumberArgsCommand
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.counts import CountLineView, CountStatus, OpenCount, PostCount, RecordCount
from invdesk.services.counts import lines, posting, sheets, variance


@click.group("count")
def count_group() -> None:
    """Count sheets: count stock while trading goes on; posting books only the differences."""


@count_group.command("open")
@click.argument("warehouse")
@click.option("--zone", help="Count a zone: this location and every location inside it.")
@click.option("--location", "locations", multiple=True, help="Count this location (- : default).")
@click.option("--product", "products", multiple=True, help="Count this product (SKU or barcode).")
@click.option("--abc", is_flag=True, help="Count the products the ABC schedule says are due.")
@pass_cli
def open_cmd(
    ctx: CliContext,
    warehouse: str,
    zone: str | None,
    locations: tuple[str, ...],
    products: tuple[str, ...],
    abc: bool,
) -> None:
    """Open a count sheet for WAREHOUSE; prints its number."""
    cmd = OpenCount(warehouse, zone, locations, products, abc)
    sheet = sheets.open_count(ctx.database(), cmd, ctx.actor())
    click.echo(sheet.id)


@count_group.command("line", cls=NumberArgsCommand)
@click.argument("sheet", metavar="ID")
@click.argument("location")
@click.argument("code")
@click.argument("qty")
@click.option("--lot", help="The lot or serial counted (a lot-tracked product needs one).")
@click.option("--add", is_flag=True, help="Add QTY to what is counted so far (a scan).")
@pass_cli
def line_cmd(
    ctx: CliContext, sheet: str, location: str, code: str, qty: str, lot: str | None, add: bool
) -> None:
    """Record QTY of CODE (SKU or barcode) counted at LOCATION (- : default location)."""
    cmd = RecordCount(sheet, location, code, qty, lot, add)
    line = lines.record_count(ctx.database(), cmd, ctx.actor())
    click.echo(
        f"{line.sku} at {line.location or '-'}{_lot(line)}: counted {line.counted:,}, "
        f"expected {line.expected:,} ({line.variance:+,})"
    )


def _lot(line: CountLineView) -> str:
    return f" lot {line.lot}" if line.lot else ""


def _flags(line: CountLineView) -> str:
    return " ".join(f for f, on in (("recount", line.recount), ("moved", line.moved_after)) if on)


@count_group.command("show")
@click.argument("sheet", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the variance report as JSON.")
@pass_cli
def show_cmd(ctx: CliContext, sheet: str, as_json: bool) -> None:
    """Show a sheet's variance report: counted lines, their differences, and what is uncounted."""
    report = variance.variance(ctx.database(), ctx.actor(), sheet)
    if as_json:
        emit_json(
            {
                "sheet": report.sheet,
                "units": report.units,
                "value": report.value,
                "counted": [_line_json(line) for line in report.counted],
                "uncounted": [_line_json(line) for line in report.uncounted],
            }
        )
        return
    s = report.sheet
    click.echo(
        f"Count {s.id} of {s.warehouse} ({s.scope}): {s.status.value}, opened by {s.opened_by}"
    )
    emit_table(
        ("Location", "SKU", "Lot", "Expected", "Counted", "Variance", "Value", "Flags"),
        [
            (line.location or "-", line.sku, line.lot, line.expected, line.counted,
             line.variance, line.value, _flags(line))
            for line in report.counted
        ],
        empty="Nothing counted yet.",
    )  # fmt: skip
    click.echo(f"Variance: {report.units:+,} units, {report.value:+,.2f} at average cost")
    if report.uncounted:
        click.echo(
            f"Not counted ({len(report.uncounted):,} lines; posting leaves them as they are):"
        )
        emit_table(
            ("Location", "SKU", "Lot", "On hand"),
            [(line.location or "-", line.sku, line.lot, line.on_hand) for line in report.uncounted],
            empty="",
        )


def _line_json(line: CountLineView) -> dict[str, object]:
    return {
        "id": line.id,
        "sku": line.sku,
        "location": line.location,
        "lot": line.lot,
        "expected": line.expected,
        "counted": line.counted,
        "variance": line.variance,
        "value": line.value,
        "on_hand": line.on_hand,
        "recount": line.recount,
        "moved_after": line.moved_after,
        "counted_by": line.counted_by,
        "counted_at": line.counted_at,
        "posted_delta": line.posted_delta,
    }


@count_group.command("post")
@click.argument("sheet", metavar="ID")
@click.option("--request-id", help="Idempotency key (default: the sheet's own): books once.")
@click.option("--uncounted-zero", is_flag=True, help="Book lines nobody counted as found empty.")
@pass_cli
def post_cmd(ctx: CliContext, sheet: str, request_id: str | None, uncounted_zero: bool) -> None:
    """Post a sheet: book counted - expected of each counted line, in one transaction."""
    posted = posting.post_count(
        ctx.database(), PostCount(sheet, request_id, uncounted_zero), ctx.actor()
    )
    if posted.replayed:
        click.echo(f"Request {posted.request_id} was already applied; nothing changed.")
    click.echo(
        f"Count {posted.sheet} posted: {posted.movements:,} adjustments, {posted.units:+,} units"
    )


@count_group.command("cancel")
@click.argument("sheet", metavar="ID")
@pass_cli
def cancel_cmd(ctx: CliContext, sheet: str) -> None:
    """Cancel an open sheet; nothing is booked."""
    cancelled = sheets.cancel_count(ctx.database(), sheet, ctx.actor())
    click.echo(f"Count {cancelled.id} cancelled.")


@count_group.command("list")
@click.option("--warehouse", help="Only this warehouse's sheets.")
@click.option("--status", type=click.Choice([s.value for s in CountStatus]))
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def list_cmd(ctx: CliContext, warehouse: str | None, status: str | None, as_json: bool) -> None:
    """Count sheets, newest first."""
    found = sheets.list_counts(
        ctx.database(),
        ctx.actor(),
        warehouse=warehouse,
        status=CountStatus(status) if status else None,
    )
    if as_json:
        emit_json(found)
        return
    emit_table(
        ("ID", "Warehouse", "Status", "Scope", "Lines", "Counted", "Opened by", "Opened"),
        [(s.id, s.warehouse, s.status, s.scope, s.lines, s.counted, s.opened_by, s.opened_at)
         for s in found],
        empty="No count sheets.",
    )  # fmt: skip


COMMANDS = [count_group]
