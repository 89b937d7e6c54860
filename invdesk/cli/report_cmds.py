"""Reports and imports: `invdesk report NAME --out FILE.xlsx`, `invdesk import products|stock FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.domain.validation import parse_since, parse_until
from invdesk.reports import runner
from invdesk.reports.filters import ReportFilter
from invdesk.services.importing import apply
from invdesk.services.importing.fields import PRESET_CHOICES, PRESETS
from invdesk.services.importing.files import ImportKind, read_table


@click.command("report")
@click.argument("name", type=click.Choice(runner.report_names()))
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write."
)
@click.option("--warehouse", help="Only this warehouse.")
@click.option("--category", help="Only products in this category.")
@click.option("--since", help="Period start: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default 90 days ago).")
@click.option("--until", help="Up to and including this day (YYYY-MM-DD), or up to a date-time.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@pass_cli
def report_cmd(
    ctx: CliContext,
    name: str,
    out: str,
    warehouse: str | None,
    category: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """Write report NAME to an Excel workbook ("full" holds every report, with charts).

    \b
    valuation     stock on hand and value per warehouse
    movements     ledger rows in the period
    low-stock     stock at or below its reorder point
    top-sellers   best sellers by units, with margin
    turnover      stock turnover per warehouse
    restock       restock frequency
    returns       returns analysis
    forecast      demand forecast, days of cover
    stock-trend   units on hand per warehouse per day
    """
    if not out.lower().endswith(".xlsx"):
        raise click.BadParameter("the report file name must end in .xlsx", param_hint="--out")
    flt = ReportFilter(
        warehouse=warehouse,
        category=category,
        since=parse_since(since) if since else None,
        until=parse_until(until) if until else None,
    )
    result = runner.generate(ctx.database(), ctx.actor(), name, Path(out), flt)
    if as_json:
        emit_json(
            {
                "report": result.report,
                "file": str(result.path),
                "sheets": list(result.sheets),
                "rows": result.rows,
                "filters": result.filters,
            }
        )
        return
    click.echo(
        f"Wrote {runner.title_of(name)} to {result.path} "
        f"({len(result.sheets)} sheet(s), {result.rows:,} rows; {result.filters})."
    )


def _mapping(specs: tuple[str, ...]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for spec in specs:
        if "=" not in spec:
            raise click.BadParameter(f"“{spec}” is not HEADER=FIELD", param_hint="--map")
        header, field = spec.rsplit("=", 1)
        mapping[header.strip()] = field.strip() or None
    return mapping


def _row_json(row: apply.RowCheck) -> dict[str, Any]:
    return {"row": row.row, "action": row.action, "reasons": list(row.reasons), **row.values}


@click.command("import")
@click.argument("kind", type=click.Choice([k.value for k in ImportKind]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--dry-run", is_flag=True, help="Check every row and show the preview; change nothing."
)
@click.option(
    "--valid-only",
    is_flag=True,
    help="Import the valid rows and skip bad ones (default: all or nothing).",
)
@click.option(
    "--mode",
    type=click.Choice(apply.STOCK_MODES),
    default="count",
    show_default=True,
    help="Stock rows: counts (set on hand) or receipts (add).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Map a file header to a field, by its name or label (empty FIELD ignores it).",
)
@click.option(
    "--preset",
    type=click.Choice(PRESET_CHOICES),
    default="auto",
    show_default=True,
    help="Read the file as a channel's export (auto: recognise Shopify or WooCommerce).",
)
@click.option(
    "--warehouse",
    help="Where stock goes when the file has no warehouse column (a product file's stock too).",
)
@click.option(
    "--create-categories", is_flag=True, help="Add the categories the file names that are missing."
)
@click.option(
    "--ref", "reference", help="Reference recorded on stock rows (default: the file name)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the preview and result as one JSON document."
)
@pass_cli
def import_cmd(
    ctx: CliContext,
    kind: str,
    file: str,
    dry_run: bool,
    valid_only: bool,
    mode: str,
    maps: tuple[str, ...],
    preset: str,
    warehouse: str | None,
    create_categories: bool,
    reference: str | None,
    as_json: bool,
) -> None:
    """Import products or stock (counts or receipts) from an .xlsx or .csv FILE.

    Products: SKU, Name, Category, and optionally Description, Unit, Price, Cost, Barcodes
    (several separated by commas; CODE:PACK for a case), Status, Stock. Stock: SKU (or barcode),
    Warehouse (or --warehouse), Qty, optionally Unit cost. Shopify and WooCommerce product exports
    are recognised: one product per variant. Importing the same file again changes nothing twice.
    Exits 2 if any row is bad (a dry run too) and, unless --valid-only, imports nothing.
    """
    table = read_table(file)
    options = apply.ImportOptions(
        _mapping(maps), valid_only, mode, reference, preset, warehouse, create_categories
    )
    db, actor = ctx.database(), ctx.actor()
    import_kind = ImportKind(kind)
    preview = apply.preview_import(db, actor, import_kind, table, options)
    bad = [r for r in preview.rows if not r.ok]
    refused = bool(bad) and (dry_run or not valid_only)
    if as_json and (dry_run or refused):
        emit_json(_document(preview, applied=0, replayed=0, dry_run=dry_run))
        if refused:
            raise SystemExit(2)
        return
    if not as_json:
        _say_rows(preview)
    if refused and dry_run:
        click.echo(f"Checked {table.name}: {len(bad)} bad row(s); nothing imported.", err=True)
        raise SystemExit(2)
    result = apply.run_import(db, actor, import_kind, table, options, dry_run=dry_run)
    if as_json:
        emit_json(_document(result.preview, result.applied, result.replayed, dry_run))
        return
    counts = ", ".join(f"{n} {action}" for action, n in sorted(result.preview.counts().items()))
    verb = "Checked" if dry_run else "Imported"
    stocked = (
        f", stock rows {result.stocked}" if import_kind is ImportKind.PRODUCTS and warehouse else ""
    )
    click.echo(
        f"{verb} {table.name}: {counts}. Applied {result.applied}{stocked}, "
        f"skipped {result.skipped}"
        + (f", already imported {result.replayed}" if result.replayed else "")
        + "."
    )
    if result.preview.matched.unknown:
        click.echo(f"Ignored columns: {', '.join(result.preview.matched.unknown)}.", err=True)


def _say_rows(preview: apply.Preview) -> None:
    """The rows left out and why (bad ones, and rows a channel export has without a SKU)."""
    if preview.matched.preset:
        click.echo(f"Read as a {PRESETS[preview.matched.preset].label}.")
    for row in preview.rows:
        if row.reasons:
            what = "skipped" if row.ok else "error"
            click.echo(f"row {row.row}: {what}: {'; '.join(row.reasons)}")
    if preview.new_categories:
        click.echo(f"New categories: {', '.join(preview.new_categories)}.")
    for note in preview.notes:
        click.echo(note, err=True)


def _document(preview: apply.Preview, applied: int, replayed: int, dry_run: bool) -> Any:
    return {
        "file": preview.file,
        "kind": preview.kind.value,
        "dry_run": dry_run,
        "columns": preview.matched.columns,
        "ignored_columns": list(preview.matched.unknown),
        "preset": preview.matched.preset,
        "new_categories": list(preview.new_categories),
        "notes": list(preview.notes),
        "counts": preview.counts(),
        "errors": preview.errors,
        "applied": applied,
        "replayed": replayed,
        "rows": [_row_json(r) for r in preview.rows],
    }


COMMANDS = [report_cmd, import_cmd]
