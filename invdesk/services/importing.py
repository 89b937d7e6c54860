"""Importing products and stock from a file: check every row, preview, then apply.

Two modes: all-or-nothing (any bad row refuses the whole file; the database is unchanged) or
valid rows only. Products are matched by SKU, so a re-import updates rather than duplicates.
Stock rows are counts (on hand set to the number, the default) or receipts; each row carries a
request id made from the file's hash and its row number, so importing the same file again applies
nothing twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Category, Product, Warehouse
from invdesk.domain.barcodes import normalize_barcode, parse_barcode_spec
from invdesk.domain.catalog import NAME_MAX, SKU_MAX, UNIT_MAX
from invdesk.domain.errors import Cancelled, InvdeskError, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import AdjustStock, Line, ReceiveStock
from invdesk.domain.validation import parse_count, parse_money, parse_quantity, required_text
from invdesk.services import catalog, stock
from invdesk.services.import_files import FIELDS, ImportKind, Matched, Table, match_headers
from invdesk.services.operation import run_stock_operations

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
    mapping: dict[str, str | None] = field(default_factory=dict)
    valid_only: bool = False
    stock_mode: str = "count"
    reference: str | None = None


@dataclass(frozen=True)
class RowCheck:
    """One data row: its spreadsheet row number, cleaned values, what it will do, or why not."""

    row: int
    values: dict[str, Any]
    action: str  # "create", "update", "unchanged", "count", "receive", "skip" or "error"
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Preview:
    kind: ImportKind
    file: str
    matched: Matched
    rows: tuple[RowCheck, ...]

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.rows)

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


def _text(values: tuple[Any, ...], matched: Matched, key: str) -> Any:
    index = matched.columns.get(key)
    return None if index is None or index >= len(values) else values[index]


def _check(reasons: list[str], fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), or None with the error's message added to `reasons`."""
    try:
        return fn(*args, **kwargs)
    except InvdeskError as error:
        reasons.append(error.message)
        return None


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
    matched = match_headers(kind, table.headers, options.mapping)
    if matched.missing:
        labels = {f.key: f.label for f in FIELDS[kind]}
        names = ", ".join(labels[k] for k in matched.missing)
        raise ValidationError(
            f"{table.name} has no column for {names}; map one of its headers to it.",
            field="mapping",
        )
    if kind is ImportKind.STOCK and options.stock_mode not in STOCK_MODES:
        raise ValidationError("Stock rows are imported as counts or receipts.", field="mode")
    with db.read() as conn, catalog._session(conn) as session:
        checker = _products if kind is ImportKind.PRODUCTS else _stock
        rows = checker(session, table, matched, options, _stepper(progress, cancelled))
    if progress is not None:
        progress(len(table.rows))
    return Preview(kind, table.name, matched, tuple(rows))


def _products(
    session: Session, table: Table, matched: Matched, _options: ImportOptions, step: Step
) -> list[RowCheck]:
    categories = {c.name.lower(): c.name for c in session.scalars(select(Category))}
    skus = [str(v).strip() for v in (_text(r, matched, "sku") for r in table.rows) if v]
    existing = {
        p.sku: p
        for chunk in _chunks(sorted(set(skus)))
        for p in session.scalars(
            select(Product).options(selectinload(Product.barcodes)).where(Product.sku.in_(chunk))
        )
    }
    seen_sku: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    out = []
    for i, values in enumerate(table.rows):
        step(i)
        n = table.first_row_number + i
        if not any(v not in (None, "") for v in values):
            continue
        reasons: list[str] = []

        def get(key: str, values: tuple[Any, ...] = values) -> Any:
            return _text(values, matched, key)

        sku = _check(reasons, required_text, get("sku"), label="SKU", field="sku", max_len=SKU_MAX)
        if sku is not None and any(ch.isspace() for ch in sku):
            reasons.append("A SKU cannot contain spaces.")
        if sku in seen_sku:
            reasons.append(f"Duplicate SKU {sku} (also on row {seen_sku[sku]}).")
        elif sku is not None:
            seen_sku[sku] = n
        name = _check(
            reasons, required_text, get("name"), label="Name", field="name", max_len=NAME_MAX
        )
        category_text = str(get("category") or "").strip()
        category = categories.get(category_text.lower())
        if not category_text:
            reasons.append("Category cannot be empty.")
        elif category is None:
            reasons.append(f"Unknown category “{category_text}”.")
        unit = _check(
            reasons,
            required_text,
            get("unit") or "each",
            label="Unit",
            field="unit",
            max_len=UNIT_MAX,
        )
        price = _money(get("price"), "Price", reasons)
        cost = _money(get("cost"), "Cost", reasons)
        codes = []
        for spec in re.split(r"[,;|\s]+", str(get("barcodes") or "").strip()):
            if not spec:
                continue
            parsed = _check(reasons, parse_barcode_spec, spec)
            if parsed is None:
                continue
            code = parsed[0]
            if code in seen_code and seen_code[code] != n:
                reasons.append(f"Barcode {code} is also on row {seen_code[code]}.")
            seen_code[code] = n
            codes.append(parsed)
        if codes and not reasons:
            owner = _barcode_owners(session, [c for c, _ in codes])
            for code, other in owner.items():
                if other != sku:
                    reasons.append(f"Barcode {code} already belongs to {other}.")
        values_out = {
            "sku": sku, "name": name, "category": category or category_text or None, "unit": unit,
            "price": price, "cost": cost, "barcodes": tuple(codes),
        }  # fmt: skip
        action = "error" if reasons else _product_action(existing.get(sku or ""), values_out)
        out.append(RowCheck(n, values_out, action, tuple(reasons)))
    return out


def _money(value: Any, label: str, reasons: list[str]) -> Decimal | None:
    if value in (None, ""):
        return None
    return _check(reasons, parse_money, value, label=label, field=label.lower())  # type: ignore[no-any-return]


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _barcode_owners(session: Session, codes: list[str]) -> dict[str, str]:
    rows = session.execute(
        select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(codes))
    )
    owners = {code: sku for code, sku in rows}
    for sku in session.scalars(select(Product.sku).where(Product.sku.in_(codes))):
        owners.setdefault(sku, sku)
    return owners


def _product_action(product: Product | None, v: dict[str, Any]) -> str:
    if product is None:
        return "create"
    same = (
        product.name == v["name"]
        and product.category.name == v["category"]
        and product.unit == v["unit"]
        and (v["price"] is None or product.price == v["price"])
        and (v["cost"] is None or product.cost == v["cost"])
        and {c for c, _ in v["barcodes"]} <= {b.code for b in product.barcodes}
        and product.active
    )
    return "unchanged" if same else "update"


def _stock(
    session: Session, table: Table, matched: Matched, options: ImportOptions, step: Step
) -> list[RowCheck]:
    warehouses = {w.code: w.active for w in session.scalars(select(Warehouse))}
    codes = {str(v).strip() for v in (_text(r, matched, "sku") for r in table.rows) if v}
    known = _known_products(session, codes)
    seen: dict[tuple[str, str], int] = {}
    out = []
    for i, values in enumerate(table.rows):
        step(i)
        n = table.first_row_number + i
        if not any(v not in (None, "") for v in values):
            continue
        reasons: list[str] = []
        code = str(_text(values, matched, "sku") or "").strip()
        sku = None
        if not code:
            reasons.append("SKU cannot be empty.")
        else:
            sku = known.get(code)
            if sku is None:
                reasons.append(f"Unknown SKU or barcode “{code}”.")
        wh = str(_text(values, matched, "warehouse") or "").strip().upper()
        if not wh:
            reasons.append("Warehouse cannot be empty.")
        elif wh not in warehouses:
            reasons.append(f"Unknown warehouse “{wh}”.")
        raw_qty = _text(values, matched, "qty")
        qty = _quantity(raw_qty, options.stock_mode, reasons)
        cost = _money(_text(values, matched, "unit_cost"), "Unit cost", reasons)
        key = (sku or code, wh)
        if key in seen:
            reasons.append(f"Duplicate row for {key[0]} in {wh} (also on row {seen[key]}).")
        else:
            seen[key] = n
        values_out = {"sku": code, "warehouse": wh, "qty": qty, "unit_cost": cost}
        out.append(
            RowCheck(n, values_out, "error" if reasons else options.stock_mode, tuple(reasons))
        )
    return out


def _quantity(value: Any, mode: str, reasons: list[str]) -> int | None:
    text = str(value if value is not None else "").strip()
    if text.startswith("-"):
        reasons.append(f"Negative quantity {text}.")
        return None
    if mode == "count":
        return _check(reasons, parse_count, value, label="Quantity", field="qty")  # type: ignore[no-any-return]
    return _check(reasons, parse_quantity, value, label="Quantity")  # type: ignore[no-any-return]


def _known_products(session: Session, codes: set[str]) -> dict[str, str]:
    """The SKU each code (a SKU or a barcode) stands for, looked up in chunks, not row by row."""
    known: dict[str, str] = {}
    for chunk in _chunks(sorted(codes)):
        known.update(
            (sku, sku) for sku in session.scalars(select(Product.sku).where(Product.sku.in_(chunk)))
        )
        by_barcode = session.execute(
            select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(chunk))
        )
        for code, sku in by_barcode:
            known.setdefault(code, sku)
    return known


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
    """Check and, unless `dry_run`, apply a file in one transaction.

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
    good = [r for r in preview.rows if r.ok and r.action not in ("unchanged", "skip")]
    if dry_run or not good:
        return ImportResult(preview, 0, len(bad), dry_run=dry_run)
    step(0)
    if kind is ImportKind.PRODUCTS:
        _apply_products(db, actor, good, step)
        return ImportResult(preview, len(good), len(bad))
    plans = []
    for r in good:
        rid = f"import:{table.sha256[:32]}:{options.stock_mode}:{r.row}"
        v = r.values
        if options.stock_mode == "count":
            plans.append(stock.plan_adjust(
                AdjustStock(v["sku"], v["warehouse"], v["qty"], "Imported stock count",
                            options.reference or table.name[:100], rid)
            ))  # fmt: skip
        elif v["qty"]:
            cost = None if v["unit_cost"] is None else str(v["unit_cost"])
            plans.append(stock.plan_receive(
                ReceiveStock(v["warehouse"], (Line(v["sku"], v["qty"], cost),),
                             options.reference or table.name[:100], rid)
            ))  # fmt: skip
    step(0)  # the stock operations are one atomic batch: the last chance to stop
    results = run_stock_operations(db, actor, plans)
    replayed = sum(r.replayed for r in results)
    return ImportResult(preview, len(results) - replayed, len(bad), replayed)


def _apply_products(db: Database, actor: Actor, rows: list[RowCheck], step: Step) -> None:
    require(actor, Permission.CATALOG)

    def work(session: Session) -> None:
        categories = {c.name: c for c in session.scalars(select(Category))}
        now = db.now()
        for i, r in enumerate(rows):
            step(i)  # raising rolls the whole import back
            v = r.values
            product = session.scalar(
                select(Product)
                .options(selectinload(Product.barcodes))
                .where(Product.sku == v["sku"])
            )
            if product is None:
                product = Product(
                    sku=v["sku"], created_at=now, price=Decimal(0), cost=Decimal(0), active=True
                )
                session.add(product)
            product.name = v["name"]
            product.category = categories[v["category"]]
            product.unit = v["unit"]
            if v["price"] is not None:
                product.price = v["price"]
            if v["cost"] is not None:
                product.cost = v["cost"]
            product.active = True
            product.updated_at = now
            have = {b.code for b in product.barcodes}
            for code, pack in v["barcodes"]:
                if code not in have:
                    product.barcodes.append(Barcode(code=normalize_barcode(code), pack_qty=pack))
            session.flush()

    catalog.edit_session(db, work)
