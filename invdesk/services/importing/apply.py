"""Importing products, stock and suppliers from a file: check every row, preview, then apply.

Two modes: all-or-nothing (any bad row refuses the whole file; the database is unchanged) or
valid rows only. Products are matched by SKU, so a re-import updates rather than duplicates.
Channel exports (Shopify, WooCommerce) are read through their presets: one product per variant.
Stock rows are counts (on hand set to the number, the default) or receipts; each row carries a
request id made from the file's hash and its row number, so importing the same file again applies
nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Product, Warehouse
from invdesk.domain.barcodes import gtin_forms
from invdesk.domain.errors import Cancelled, ValidationError
from invdesk.domain.gs1 import parse_gs1, plain_code
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import AdjustStock, Line, ReceiveStock
from invdesk.domain.tracking import day, location_code, lot_number
from invdesk.domain.validation import parse_count, parse_quantity
from invdesk.services import unit_of_work
from invdesk.services.importing import suppliers
from invdesk.services.importing.fields import FIELDS, Matched, choose_preset, match_headers
from invdesk.services.importing.files import ImportKind, Table
from invdesk.services.importing.products import ProductRows, apply_products, check, chunks, money
from invdesk.services.importing.rows import rows_of
from invdesk.services.stock import operations
from invdesk.services.stock.operation import Planned, run_operations

STOCK_MODES = ("count", "receive")
PROGRESS_EVERY = 100
Progress = Callable[[int], None]
IsCancelled = Callable[[], bool]
Step = Callable[[int], None]


def _stepper(progress: Progress | None, cancelled: IsCancelled | None) -> Step:
    """step(rows_done): raise Cancelled once `cancelled()` is true; report every 100 rows."""

    def step(done: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("Import cancelled; nothing was imported.")
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)

    return step


@dataclass(frozen=True)
class ImportOptions:
    """How to read and apply a file. `mapping`: a header to a field key or label (None ignores
    it). `preset`: "auto" (detect a channel export), "none", "shopify" or "woocommerce".
    `warehouse`: where stock goes when the file has no warehouse column (a product file's stock
    column is imported only with one). `create_categories`: add the categories a file names."""

    mapping: dict[str, str | None] = field(default_factory=dict)
    valid_only: bool = False
    stock_mode: str = "count"
    reference: str | None = None
    preset: str | None = "auto"
    warehouse: str | None = None
    create_categories: bool = False


@dataclass(frozen=True)
class RowCheck:
    """One data row: its spreadsheet row number, cleaned values, what it will do, or why not."""

    row: int
    values: dict[str, Any]
    action: str  # "create", "update", "unchanged", "count", "receive", "skip" or "error"
    reasons: tuple[str, ...] = ()
    """Why a row is bad ("error") or left out ("skip": e.g. a Shopify image row without a SKU)."""

    @property
    def ok(self) -> bool:
        return self.action != "error"


@dataclass(frozen=True)
class Preview:
    kind: ImportKind
    file: str
    matched: Matched
    rows: tuple[RowCheck, ...]
    notes: tuple[str, ...] = ()
    """What the person should know about the file as a whole (e.g. a stock column left unused)."""

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.rows)

    @property
    def skipped(self) -> tuple[RowCheck, ...]:
        return tuple(r for r in self.rows if r.action == "skip")

    @property
    def new_categories(self) -> tuple[str, ...]:
        found = {r.values["category"] for r in self.rows if r.ok and r.values.get("new_category")}
        return tuple(sorted(found))

    @property
    def valid(self) -> int:
        return sum(r.ok for r in self.rows)

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.action for r in self.rows))


@dataclass(frozen=True)
class ImportResult:
    preview: Preview
    applied: int
    skipped: int
    replayed: int = 0
    dry_run: bool = False
    stocked: int = 0
    """Stock rows applied (counts or receipts); for a product import, its stock column's rows."""


def preview_import(
    db: Database,
    actor: Actor,
    kind: ImportKind,
    table: Table,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Preview:
    """Check every row without changing anything. Raises ValidationError when a required column
    is missing (map it with `options.mapping`) or the stock mode is unknown. `progress(rows)` is
    called as rows are checked; once `cancelled()` is true it raises Cancelled.

    Imports of either kind are a manager's right (the catalog permission): a stock file sets or
    adds to the stock of many products at once, unlike a clerk's single documents."""
    require(actor, Permission.CATALOG)
    preset = choose_preset(options.preset, table.headers)
    matched = match_headers(kind, table.headers, options.mapping, preset)
    given = {"warehouse": bool(options.warehouse), "category": "type" in matched.columns}
    missing = [k for k in matched.missing if not given.get(k)]
    if missing:
        labels = {f.key: f.label for f in FIELDS[kind]}
        names = ", ".join(labels[k] for k in missing)
        hint = " or choose the warehouse" if "warehouse" in missing else ""
        raise ValidationError(
            f"{table.name} has no column for {names}; map one of its headers to it{hint}.",
            field="mapping",
        )
    if kind is ImportKind.STOCK and options.stock_mode not in STOCK_MODES:
        raise ValidationError("Stock rows are imported as counts or receipts.", field="mode")
    notes = []
    if kind is ImportKind.PRODUCTS and "qty" in matched.columns and not options.warehouse:
        header = table.headers[matched.columns["qty"]]
        notes.append(f"Choose a warehouse to import “{header}” as stock on hand.")
    with db.read() as conn, unit_of_work.orm_session(conn) as session:
        step = _stepper(progress, cancelled)
        if options.warehouse:
            _check_warehouse(session, options.warehouse)
        if kind is ImportKind.PRODUCTS:
            rows = _products(session, table, matched, options, step)
        elif kind is ImportKind.SUPPLIERS:
            rows = [RowCheck(*r) for r in suppliers.check_rows(session, table, matched, step)]
        else:
            rows = _stock(session, table, matched, options, step)
    if progress is not None:
        progress(len(table.rows))
    return Preview(kind, table.name, matched, tuple(rows), tuple(notes))


def _check_warehouse(session: Session, code: str) -> None:
    found = session.scalar(select(Warehouse).where(Warehouse.code == code.strip().upper()))
    if found is None:
        raise ValidationError(f"Unknown warehouse “{code}”.", field="warehouse")
    if not found.active:
        raise ValidationError(f"Warehouse {found.code} is inactive.", field="warehouse")


def _products(
    session: Session, table: Table, matched: Matched, options: ImportOptions, step: Step
) -> list[RowCheck]:
    checker = ProductRows(session, table, matched, options.create_categories)
    out = []
    for i, row in enumerate(checker.rows):
        step(i)
        values, action, reasons = checker.check(row)
        out.append(RowCheck(row.number, values, action, tuple(reasons)))
    return out


def _stock(
    session: Session, table: Table, matched: Matched, options: ImportOptions, step: Step
) -> list[RowCheck]:
    warehouses = {w.code: w.active for w in session.scalars(select(Warehouse))}
    rows = list(rows_of(table, matched))
    known = _known_products(
        session, {str(r.values["sku"]).strip() for r in rows if r.values["sku"]}
    )
    default = (options.warehouse or "").strip().upper()
    seen: dict[tuple[str, str, str | None, str | None, str | None], int] = {}
    out = []
    for i, row in enumerate(rows):
        step(i)
        reasons: list[str] = []
        code = str(row.values.get("sku") or "").strip()
        if not code and row.group is not None:  # a channel's image or option-less row
            out.append(RowCheck(row.number, {"sku": None}, "skip", (f"No SKU in {row.group}.",)))
            continue
        sku = None
        scan = check(reasons, parse_gs1, code)  # a GS1 code: its GTIN, lot, serial, count
        if not code:
            reasons.append("SKU cannot be empty.")
        elif not reasons:
            sku = known.get(code)
            if sku is None:
                reasons.append(f"Unknown SKU or barcode “{code}”.")
        wh = str(row.values.get("warehouse") or "").strip().upper() or default
        if not wh:
            reasons.append("Warehouse cannot be empty.")
        elif wh not in warehouses:
            reasons.append(f"Unknown warehouse “{wh}”.")
        qty_text = row.values.get("qty")
        if qty_text in (None, "") and scan is not None:  # the scan's own count, or one serial
            qty_text = 1 if scan.serial else scan.count or 1
        qty = _quantity(qty_text, options.stock_mode, reasons)
        cost = money(row.values.get("unit_cost"), "Unit cost", reasons)
        bin_code = check(reasons, location_code, row.values.get("bin"))
        lot = check(reasons, lot_number, row.values.get("lot"))
        expiry = check(reasons, day, row.values.get("expiry"), label="Expiry", field="expiry")
        # A GS1 code's lot and serial tell two rows of one product apart as a lot column does.
        scanned_lot = lot or (scan.lot if scan is not None else None)
        serial = scan.serial if scan is not None else None
        key = (sku or code, wh, bin_code, scanned_lot, serial)
        if key in seen:
            where = "".join(f" {part}" for part in (bin_code, scanned_lot, serial) if part)
            reasons.append(f"Duplicate row for {key[0]} in {wh}{where} (also on row {seen[key]}).")
        else:
            seen[key] = row.number
        values_out = {"sku": code, "warehouse": wh, "qty": qty, "unit_cost": cost}
        # Where and which only when given: a file without them previews as it always did.
        values_out |= {
            k: v for k, v in (("bin", bin_code), ("lot", lot), ("expiry", expiry)) if v is not None
        }
        action = "error" if reasons else options.stock_mode
        out.append(RowCheck(row.number, values_out, action, tuple(reasons)))
    return out


def _quantity(value: Any, mode: str, reasons: list[str]) -> int | None:
    text = str(value if value is not None else "").strip()
    if text.startswith("-"):
        reasons.append(f"Negative quantity {text}.")
        return None
    if mode == "count":
        return check(reasons, parse_count, value, label="Quantity", field="qty")  # type: ignore[no-any-return]
    return check(reasons, parse_quantity, value, label="Quantity")  # type: ignore[no-any-return]


def _known_products(session: Session, codes: set[str]) -> dict[str, str]:
    """The SKU each code (a SKU, a barcode, a GS1 code by its GTIN in any length) stands for,
    looked up in chunks, not row by row."""
    names = {code: _names_of(code) for code in codes}
    found: dict[str, str] = {}
    for chunk in chunks(sorted({name for forms in names.values() for name in forms})):
        found.update(
            (sku, sku) for sku in session.scalars(select(Product.sku).where(Product.sku.in_(chunk)))
        )
        by_barcode = session.execute(
            select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(chunk))
        )
        for code, sku in by_barcode:
            found.setdefault(code, sku)
    known = {}
    for wanted, forms in names.items():
        owner = next((found[name] for name in forms if name in found), None)
        if owner is not None:
            known[wanted] = owner
    return known


def _names_of(code: str) -> list[str]:
    """What a code may be stored as, in the order product_ref tries them."""
    try:
        scan = parse_gs1(code)
    except ValidationError:
        return [code]  # the row says why (it is checked again)
    gtin = scan.gtin if scan is not None and scan.gtin is not None else plain_code(code)
    return list(dict.fromkeys([code, gtin, *gtin_forms(gtin)]))


def run_import(
    db: Database,
    actor: Actor,
    kind: ImportKind,
    table: Table,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Check and, unless `dry_run`, apply a file: products in one transaction, then the stock
    of a product file (when a warehouse is chosen) or of a stock file in another, each all or
    nothing; the stock rows' request ids make a repeat apply nothing twice.

    All-or-nothing (the default) raises ValidationError naming the first bad rows when any row is
    bad, and changes nothing. With `options.valid_only` the bad rows are skipped. `progress(rows)`
    reports rows checked; Cancelled is raised when `cancelled()` turns true before the commit
    (nothing is then imported).
    """
    step = _stepper(None, cancelled)
    preview = preview_import(
        db, actor, kind, table, options, progress=progress, cancelled=cancelled
    )
    bad = [r for r in preview.rows if not r.ok]
    if bad and not options.valid_only and not dry_run:
        first = "; ".join(f"row {r.row}: {r.reasons[0].rstrip('.')}" for r in bad[:3])
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise ValidationError(
            f"{len(bad)} bad row(s) in {table.name}, nothing imported ({first}{more}).",
            field="file",
        )
    good = [r for r in preview.rows if r.ok and r.action != "skip"]
    plans = _stock_plans(table, options, kind, good)
    changed = [r for r in good if r.action != "unchanged"]
    skipped = len(preview.rows) - len(good)
    if dry_run or not (changed or plans):
        return ImportResult(preview, 0, skipped, dry_run=dry_run)
    step(0)
    applied = 0
    if kind is ImportKind.PRODUCTS and changed:
        apply_products(db, actor, table.name, [r.values for r in changed], step)
        applied = len(changed)
    if kind is ImportKind.SUPPLIERS and changed:
        suppliers.apply_suppliers(db, actor, table.name, [r.values for r in changed], step)
        applied = len(changed)
    step(0)  # the stock operations are one atomic batch: the last chance to stop
    results = run_operations(db, actor, plans) if plans else []
    replayed = sum(r.replayed for r in results)
    if kind is ImportKind.STOCK:
        applied = len(results) - replayed
    return ImportResult(preview, applied, skipped, replayed, stocked=len(results) - replayed)


def _stock_plans(
    table: Table, options: ImportOptions, kind: ImportKind, rows: list[RowCheck]
) -> list[Planned]:
    """The stock operations of checked rows: counts (set on hand) or receipts, one per row, with
    request ids from the file's hash and row number (the same for either kind of import)."""
    reference = options.reference or table.name[:100]
    mode = options.stock_mode if kind is ImportKind.STOCK else "count"
    plans = []
    if kind is ImportKind.SUPPLIERS:
        return []
    for r in rows:
        v = r.values
        if v.get("qty") is None or (kind is ImportKind.PRODUCTS and not options.warehouse):
            continue
        rid = f"import:{table.sha256[:32]}:{mode}:{r.row}"
        warehouse = v.get("warehouse") or str(options.warehouse).strip().upper()
        if mode == "count":
            plans.append(operations.plan_adjust(AdjustStock(
                v["sku"], warehouse, v["qty"], "Imported stock count", reference, rid,
                v.get("bin"), v.get("lot"),
            )))  # fmt: skip
        elif v["qty"]:
            cost = None if v["unit_cost"] is None else str(v["unit_cost"])
            line = Line(
                v["sku"], v["qty"], cost,
                location=v.get("bin"), lot=v.get("lot"), expiry=v.get("expiry"),
            )  # fmt: skip
            plans.append(operations.plan_receive(ReceiveStock(warehouse, (line,), reference, rid)))
    return plans
