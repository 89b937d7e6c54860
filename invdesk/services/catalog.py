"""Categories, products and barcodes: create, edit under optimistic locking, deactivate, look up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Category, Product
from invdesk.domain.barcodes import MAX_PACK_QTY, normalize_barcode
from invdesk.domain.catalog import (
    CATEGORY_MAX,
    NAME_MAX,
    SKU_MAX,
    UNIT_MAX,
    BarcodeView,
    CategoryView,
    CreateProduct,
    EditProduct,
    ProductView,
)
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import parse_money, required_text
from invdesk.services import audit

T = TypeVar("T")

_UNIQUE_MESSAGES = {
    "uq_product_sku": ("sku", "Another product already has this SKU."),
    "uq_barcode_code": ("barcode", "This barcode already belongs to another product."),
    "uq_category_name": ("category", "A category with this name already exists."),
    "uq_warehouse_code": ("code", "A warehouse with this code already exists."),
}


def edit_session[T](db: Database, work: Callable[[Session], T]) -> T:
    """Run ORM edits in one transaction; stale versions and duplicate keys become Conflict."""

    def run(conn: Connection) -> T:
        with _session(conn) as session:
            result = work(session)
            session.flush()
            return result

    try:
        return db.run(run)
    except StaleDataError:
        raise Conflict(
            "This record was changed by someone else. Reload it and try again."
        ) from None
    except IntegrityError as error:
        text = str(error.orig)
        for constraint, (field, message) in _UNIQUE_MESSAGES.items():
            if constraint in text or constraint.split("_", 1)[1].replace("_", ".", 1) in text:
                raise Conflict(message, field=field) from None
        raise


@contextmanager
def _session(conn: Connection) -> Iterator[Session]:
    session = Session(bind=conn, expire_on_commit=False, autoflush=True)
    audit.track(session)
    try:
        yield session
    finally:
        session.close()


def check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and expected != current:
        raise Conflict(f"{what} was changed by someone else. Reload it and try again.")


def category_by_name(session: Session, name: object) -> Category:
    text = required_text(name, label="Category", field="category", max_len=CATEGORY_MAX)
    found = session.scalar(select(Category).where(func.lower(Category.name) == text.lower()))
    if found is None:
        raise NotFound(f"There is no category “{text}”.", field="category")
    return found


def active_category(session: Session, name: object) -> Category:
    category = category_by_name(session, name)
    if not category.active:
        raise ValidationError(
            f"Category {category.name} is retired; choose another or reactivate it.",
            field="category",
        )
    return category


def product_by_code(session: Session, code: object) -> Product:
    text = required_text(code, label="SKU or barcode", field="sku", max_len=SKU_MAX)
    stmt = select(Product).options(selectinload(Product.barcodes))
    found = session.scalar(stmt.where(Product.sku == text))
    if found is None:
        found = session.scalar(stmt.join(Barcode).where(Barcode.code == text))
    if found is None:
        raise NotFound(f"No product has the SKU or barcode “{text}”.", field="sku")
    return found


def product_view(product: Product) -> ProductView:
    return ProductView(
        id=product.id,
        sku=product.sku,
        name=product.name,
        category=product.category.name,
        unit=product.unit,
        price=product.price,
        cost=product.cost,
        active=product.active,
        version=product.version,
        barcodes=tuple(BarcodeView(b.code, b.pack_qty) for b in product.barcodes),
    )


def _pack(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PACK_QTY:
        raise ValidationError(
            f"Pack size must be a whole number from 1 to {MAX_PACK_QTY:,}.", field="barcode"
        )
    return value


def create_product(db: Database, cmd: CreateProduct, actor: Actor) -> ProductView:
    """Add a product with its barcodes. Raises ValidationError, NotFound (category), Conflict."""
    require(actor, Permission.CATALOG)
    sku = required_text(cmd.sku, label="SKU", field="sku", max_len=SKU_MAX)
    if any(ch.isspace() for ch in sku):
        raise ValidationError("A SKU cannot contain spaces.", field="sku")
    name = required_text(cmd.name, label="Name", field="name", max_len=NAME_MAX)
    unit = required_text(cmd.unit, label="Unit", field="unit", max_len=UNIT_MAX)
    price = parse_money(cmd.price, label="Price", field="price")
    cost = parse_money(cmd.cost, label="Cost", field="cost")
    barcodes = [(normalize_barcode(code), _pack(pack)) for code, pack in cmd.barcodes]
    if len({code for code, _ in barcodes}) != len(barcodes):
        raise ValidationError("The same barcode is listed twice.", field="barcode")

    def work(session: Session) -> ProductView:
        category = active_category(session, cmd.category)
        if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
            raise Conflict(f"A product with SKU {sku} already exists.", field="sku")
        _check_barcodes_free(session, [code for code, _ in barcodes])
        now = db.now()
        product = Product(
            sku=sku,
            name=name,
            category=category,
            unit=unit,
            price=price,
            cost=cost,
            active=True,
            created_at=now,
            updated_at=now,
            barcodes=[Barcode(code=code, pack_qty=pack) for code, pack in barcodes],
        )
        session.add(product)
        session.flush()
        audit.record(session.connection(), actor, now, "create", "product", sku, {"name": name})
        return product_view(product)

    return edit_session(db, work)


def _check_barcodes_free(session: Session, codes: list[str]) -> None:
    if not codes:
        return
    clash = session.execute(
        select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(codes))
    ).first()
    if clash is not None:
        raise Conflict(f"Barcode {clash.code} already belongs to {clash.sku}.", field="barcode")
    sku_clash = session.scalar(select(Product.sku).where(Product.sku.in_(codes)))
    if sku_clash is not None:
        raise Conflict(f"Barcode {sku_clash} is already the SKU of a product.", field="barcode")


def edit_product(db: Database, cmd: EditProduct, actor: Actor) -> ProductView:
    """Change a product's fields. A stale `expected_version` or a concurrent edit raises Conflict."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> ProductView:
        product = product_by_code(session, cmd.sku)
        check_version(product.version, cmd.expected_version, f"Product {product.sku}")
        if cmd.new_sku is not None:
            new_sku = required_text(cmd.new_sku, label="SKU", field="sku", max_len=SKU_MAX)
            if new_sku != product.sku and session.scalar(
                select(Product.id).where(Product.sku == new_sku)
            ):
                raise Conflict(f"A product with SKU {new_sku} already exists.", field="sku")
            product.sku = new_sku
        if cmd.name is not None:
            product.name = required_text(cmd.name, label="Name", field="name", max_len=NAME_MAX)
        if cmd.category is not None:
            product.category = active_category(session, cmd.category)
        if cmd.unit is not None:
            product.unit = required_text(cmd.unit, label="Unit", field="unit", max_len=UNIT_MAX)
        if cmd.price is not None:
            product.price = parse_money(cmd.price, label="Price", field="price")
        if cmd.cost is not None:
            product.cost = parse_money(cmd.cost, label="Cost", field="cost")
        if cmd.active is not None:
            product.active = cmd.active
        if session.is_modified(product):
            product.updated_at = db.now()
        audit.record_edit(session, actor, db.now(), "product", product.sku, product)
        session.flush()
        return product_view(product)

    return edit_session(db, work)


def set_product_active(
    db: Database, sku: str, active: bool, actor: Actor, expected_version: int | None = None
) -> ProductView:
    """Deactivate (hide from new stock in) or reactivate a product; its history stays."""
    return edit_product(
        db, EditProduct(sku=sku, active=active, expected_version=expected_version), actor
    )


def add_barcode(db: Database, sku: str, code: str, pack_qty: int, actor: Actor) -> ProductView:
    require(actor, Permission.CATALOG)
    clean = normalize_barcode(code)
    pack = _pack(pack_qty)

    def work(session: Session) -> ProductView:
        product = product_by_code(session, sku)
        _check_barcodes_free(session, [clean])
        product.barcodes.append(Barcode(code=clean, pack_qty=pack))
        product.updated_at = db.now()
        audit.record(
            session.connection(), actor, product.updated_at, "add barcode", "product",
            product.sku, {"barcode": clean, "pack_qty": pack},
        )  # fmt: skip
        session.flush()
        return product_view(product)

    return edit_session(db, work)


def remove_barcode(db: Database, code: str, actor: Actor) -> ProductView:
    require(actor, Permission.CATALOG)
    clean = normalize_barcode(code)

    def work(session: Session) -> ProductView:
        barcode = session.scalar(select(Barcode).where(Barcode.code == clean))
        if barcode is None:
            raise NotFound(f"No product has the barcode {clean}.", field="barcode")
        product = barcode.product
        product.barcodes.remove(barcode)
        product.updated_at = db.now()
        audit.record(
            session.connection(), actor, product.updated_at, "remove barcode", "product",
            product.sku, {"barcode": clean},
        )  # fmt: skip
        session.flush()
        return product_view(product)

    return edit_session(db, work)


def get_product(db: Database, code: str, actor: Actor) -> ProductView:
    """A product by SKU or any of its barcodes."""
    require(actor, Permission.VIEW)
    with db.read() as conn, _session(conn) as session:
        return product_view(product_by_code(session, code))


def list_products(
    db: Database,
    actor: Actor,
    *,
    search: str | None = None,
    category: str | None = None,
    include_inactive: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> list[ProductView]:
    """Products ordered by SKU; `search` matches a SKU or name fragment, or a whole barcode."""
    require(actor, Permission.VIEW)
    stmt = select(Product).options(selectinload(Product.barcodes)).order_by(Product.sku)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    if search:
        term = search.strip()
        pattern = f"%{term.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Product.sku).like(pattern),
                func.lower(Product.name).like(pattern),
                Product.id.in_(select(Barcode.product_id).where(Barcode.code == term)),
            )
        )
    with db.read() as conn, _session(conn) as session:
        if category:
            stmt = stmt.where(Product.category_id == category_by_name(session, category).id)
        return [product_view(p) for p in session.scalars(stmt.limit(limit).offset(offset))]


def _category_view(category: Category) -> CategoryView:
    return CategoryView(category.id, category.name, category.version, category.active)


def list_categories(
    db: Database, actor: Actor, include_inactive: bool = False
) -> list[CategoryView]:
    require(actor, Permission.VIEW)
    stmt = select(Category).order_by(Category.name)
    if not include_inactive:
        stmt = stmt.where(Category.active.is_(True))
    with db.read() as conn, _session(conn) as session:
        return [_category_view(c) for c in session.scalars(stmt)]


def create_category(db: Database, name: str, actor: Actor) -> CategoryView:
    require(actor, Permission.CATALOG)
    text = required_text(name, label="Category", field="category", max_len=CATEGORY_MAX)

    def work(session: Session) -> CategoryView:
        if session.scalar(select(Category.id).where(func.lower(Category.name) == text.lower())):
            raise Conflict(f"A category named {text} already exists.", field="category")
        category = Category(name=text)
        session.add(category)
        session.flush()
        audit.record(session.connection(), actor, db.now(), "create", "category", text)
        return _category_view(category)

    return edit_session(db, work)


def rename_category(
    db: Database, name: str, new_name: str, actor: Actor, expected_version: int | None = None
) -> CategoryView:
    require(actor, Permission.CATALOG)
    text = required_text(new_name, label="Category", field="category", max_len=CATEGORY_MAX)

    def work(session: Session) -> CategoryView:
        category = category_by_name(session, name)
        check_version(category.version, expected_version, f"Category {category.name}")
        old_name = category.name
        category.name = text
        audit.record_edit(session, actor, db.now(), "category", old_name, category)
        session.flush()
        return _category_view(category)

    return edit_session(db, work)


def set_category_active(
    db: Database, name: str, active: bool, actor: Actor, expected_version: int | None = None
) -> CategoryView:
    """Retire a category (no new products in it) or bring it back; its products keep it."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> CategoryView:
        category = category_by_name(session, name)
        check_version(category.version, expected_version, f"Category {category.name}")
        category.active = active
        audit.record_edit(session, actor, db.now(), "category", category.name, category)
        session.flush()
        return _category_view(category)

    return edit_session(db, work)
