"""Checking and applying the rows of a product import: one product per row (per variant of a
channel export), its barcodes, category (created on request), status and stock on hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Category, Product
from invdesk.domain.barcodes import normalize_barcode, parse_barcode_spec
from invdesk.domain.catalog import (
    CATEGORY_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    SKU_MAX,
    UNIT_MAX,
    category_key,
)
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import clean_description, parse_count, parse_money, required_text
from invdesk.services import audit_trail, unit_of_work
from invdesk.services.importing.fields import Matched
from invdesk.services.importing.files import Table
from invdesk.services.importing.rows import (
    PARENT_ROW_TYPES,
    FileRow,
    category_text,
    parse_active,
    plain_description,
    rows_of,
    variant_name,
    why_no_sku,
)

Step = Callable[[int], None]


def check(reasons: list[str], fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), or None with the error's message added to `reasons`."""
    try:
        return fn(*args, **kwargs)
    except InvdeskError as error:
        reasons.append(error.message)
        return None


def money(value: Any, label: str, reasons: list[str]) -> Decimal | None:
    if value in (None, ""):
        return None
    return check(reasons, parse_money, value, label=label, field=label.lower())  # type: ignore[no-any-return]


def chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class ProductRows:
    """Checks product rows against the database as it is, and against the file's earlier rows."""

    def __init__(
        self, session: Session, table: Table, matched: Matched, create_categories: bool
    ) -> None:
        self.session, self.matched, self.create = session, matched, create_categories
        self.categories = {category_key(c.name): c for c in session.scalars(select(Category))}
        rows = list(rows_of(table, matched))
        skus = sorted({str(r.values["sku"]).strip() for r in rows if r.values.get("sku")})
        self.rows = rows
        self.existing = {
            p.sku: p
            for chunk in chunks(skus)
            for p in session.scalars(
                select(Product)
                .options(selectinload(Product.barcodes))
                .where(Product.sku.in_(chunk))
            )
        }
        self.seen_sku: dict[str, int] = {}
        self.seen_code: dict[str, int] = {}
        self.new_categories: dict[str, str] = {}  # key -> the spelling of its first row

    def check(self, row: FileRow) -> tuple[dict[str, Any], str, list[str]]:
        """(values, action, reasons) of one row; action "skip" keeps its reason, "error" too."""
        v = row.values
        if str(v.get("row_type") or "").strip().casefold() in PARENT_ROW_TYPES:
            return (
                {"sku": v.get("sku")},
                "skip",
                ["A variable product's parent row: its variations are imported."],
            )
        if row.group is not None and v.get("sku") in (None, ""):
            return {"sku": None, "name": variant_name(v)}, "skip", [why_no_sku(row)]
        reasons: list[str] = []
        sku = self._sku(v.get("sku"), row.number, reasons)
        name = check(
            reasons, required_text, variant_name(v), label="Name", field="name", max_len=NAME_MAX
        )
        category, new_category = self._category(v, reasons)
        unit = check(
            reasons, required_text, v.get("unit") or "each", label="Unit", field="unit",
            max_len=UNIT_MAX,
        )  # fmt: skip
        description = check(
            reasons, clean_description, plain_description(v.get("description")),
            max_len=DESCRIPTION_MAX,
        )  # fmt: skip
        active = parse_active(v.get("active"))
        if active is None:
            reasons.append(f"Unknown status “{v.get('active')}”: use active, draft or archived.")
        values = {
            "sku": sku, "name": name, "category": category, "unit": unit,
            "description": description, "active": active,
            "price": money(v.get("price"), "Price", reasons),
            "cost": money(v.get("cost"), "Cost", reasons),
            "barcodes": self._barcodes(v.get("barcodes"), sku, row.number, reasons),
            "qty": self._qty(v.get("qty"), reasons),
            "new_category": new_category,
        }  # fmt: skip
        if reasons:
            return values, "error", reasons
        return values, self._action(self.existing.get(sku or ""), values), reasons

    def _sku(self, value: Any, number: int, reasons: list[str]) -> str | None:
        sku = check(reasons, required_text, value, label="SKU", field="sku", max_len=SKU_MAX)
        if sku is not None and any(ch.isspace() for ch in sku):
            reasons.append("A SKU cannot contain spaces.")
        if sku in self.seen_sku:
            reasons.append(f"Duplicate SKU {sku} (also on row {self.seen_sku[sku]}).")
        elif sku is not None:
            self.seen_sku[sku] = number
        return sku  # type: ignore[no-any-return]

    def _category(self, v: dict[str, Any], reasons: list[str]) -> tuple[str | None, bool]:
        """(category name, whether it is to be created) from the category or type cell."""
        text = category_text(v, self.matched.preset)
        leaf = text.split(">")[-1].strip()
        if not leaf:
            reasons.append("Category cannot be empty.")
            return None, False
        found = self.categories.get(category_key(leaf))
        if found is not None:
            return found.name, False
        if len(leaf) > CATEGORY_MAX:
            reasons.append(f"Category “{leaf}” is too long: at most {CATEGORY_MAX} characters.")
        elif not self.create:
            reasons.append(f"Unknown category “{leaf}”.")
        return self.new_categories.setdefault(category_key(leaf), leaf), True

    def _barcodes(
        self, cell: Any, sku: str | None, number: int, reasons: list[str]
    ) -> tuple[tuple[str, int], ...]:
        codes = []
        for spec in re.split(r"[,;|\s]+", str(cell or "").strip().lstrip("'")):
            parsed = check(reasons, parse_barcode_spec, spec) if spec else None
            if parsed is None:
                continue
            code = parsed[0]
            if code in self.seen_code and self.seen_code[code] != number:
                reasons.append(f"Barcode {code} is also on row {self.seen_code[code]}.")
            self.seen_code[code] = number
            codes.append(parsed)
        if codes and not reasons:
            for code, other in self._owners([c for c, _ in codes]).items():
                if other != sku:
                    reasons.append(f"Barcode {code} already belongs to {other}.")
        return tuple(codes)

    def _owners(self, codes: list[str]) -> dict[str, str]:
        rows = self.session.execute(
            select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(codes))
        )
        owners = {code: sku for code, sku in rows}
        for sku in self.session.scalars(select(Product.sku).where(Product.sku.in_(codes))):
            owners.setdefault(sku, sku)
        return owners

    @staticmethod
    def _qty(value: Any, reasons: list[str]) -> int | None:
        if value in (None, ""):
            return None
        if str(value).strip().startswith("-"):
            reasons.append(f"Negative stock {value}: stock cannot go below zero; count it first.")
            return None
        return check(reasons, parse_count, value, label="Stock on hand", field="qty")  # type: ignore[no-any-return]

    @staticmethod
    def _action(product: Product | None, v: dict[str, Any]) -> str:
        if product is None:
            return "create"
        same = (
            product.name == v["name"]
            and product.category.name == v["category"]
            and product.unit == v["unit"]
            and (v["description"] is None or product.description == v["description"])
            and (v["price"] is None or product.price == v["price"])
            and (v["cost"] is None or product.cost == v["cost"])
            and {c for c, _ in v["barcodes"]} <= {b.code for b in product.barcodes}
            and product.active == v["active"]
        )
        return "unchanged" if same else "update"


def apply_products(
    db: Database, actor: Actor, file: str, rows: list[dict[str, Any]], step: Step
) -> None:
    """Create or update the products of checked rows (and their new categories) in one
    transaction, with one audit row for the import. `step(i)` may raise to roll it all back."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> None:
        now = db.now()
        categories = {c.name: c for c in session.scalars(select(Category))}
        created = []
        for v in rows:
            if v["category"] not in categories:
                categories[v["category"]] = Category(name=v["category"])
                session.add(categories[v["category"]])
                created.append(v["category"])
        for i, v in enumerate(rows):
            step(i)  # raising rolls the whole import back
            product = session.scalar(
                select(Product)
                .options(selectinload(Product.barcodes))
                .where(Product.sku == v["sku"])
            )
            if product is None:
                product = Product(sku=v["sku"], created_at=now, price=Decimal(0), cost=Decimal(0))
                session.add(product)
            product.name, product.unit = v["name"], v["unit"]
            product.category = categories[v["category"]]
            product.active = v["active"]
            if v["description"] is not None:
                product.description = v["description"]
            if v["price"] is not None:
                product.price = v["price"]
            if v["cost"] is not None:
                product.cost = v["cost"]
            product.updated_at = now
            have = {b.code for b in product.barcodes}
            for code, pack in v["barcodes"]:
                if code not in have:
                    product.barcodes.append(Barcode(code=normalize_barcode(code), pack_qty=pack))
            session.flush()
        details = {"products": len(rows), "new categories": created}
        audit_trail.record(session.connection(), actor, now, "import", "products", file, details)

    unit_of_work.edit_session(db, work)
