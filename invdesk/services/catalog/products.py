"""Categories, products and barcodes: create, edit under optimistic locking, deactivate, look up."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session, selectinload

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Category, Product, StockLevel
from invdesk.domain.barcodes import MAX_PACK_QTY, normalize_barcode
from invdesk.domain.catalog import (
    CATEGORY_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    SKU_MAX,
    UNIT_MAX,
    BarcodeView,
    CreateProduct,
    EditProduct,
    ProductView,
    category_key,
    category_leaf,
)
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.tracking import shelf_life, tracking
from invdesk.domain.validation import clean_description, parse_money, required_text
from invdesk.services import audit_trail
from invdesk.services.unit_of_work import check_version, edit_session, orm_session


def category_named(session: Session, name: str) -> Category | None:
    """The category whose name matches ignoring case, accents' case included ('écrous' = 'Écrous').

    Matched in Python: SQLite's lower() folds only ASCII, and the category list is short.
    """
    key = category_key(name)
    for category in session.scalars(select(Category).order_by(Category.id)):
        if category_key(category.name) == key:
            return category
    return None


def lock_category_names(session: Session) -> None:
    """Serialise category creates and renames, so two PCs cannot add 'Tools' and 'tools' at once.

    SQLite writers are already serialised by BEGIN IMMEDIATE; PostgreSQL takes a transaction lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('invdesk.category_names'))"))


def _lock_codes(session: Session, codes: list[str]) -> None:
    """Serialise claims of the same SKU or barcode text: a unique key covers SKUs and barcodes
    separately, not one against the other, so two PCs could otherwise make one code both."""
    if session.get_bind().dialect.name == "postgresql":
        for code in sorted(set(codes)):  # one order everywhere: no deadlock between two claims
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('invdesk.code:' || :code))"),
                {"code": code},
            )


def category_by_name(session: Session, name: object) -> Category:
    # A path ("Clothing > Shirts") names its last segment: category names are unique anyway.
    label = category_leaf(
        required_text(name, label="Category", field="category", max_len=2 * CATEGORY_MAX + 3)
    )
    found = category_named(session, label)
    if found is None:
        raise NotFound(f"There is no category “{label}”.", field="category")
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
    typed = required_text(code, label="SKU or barcode", field="sku", max_len=SKU_MAX)
    stmt = select(Product).options(selectinload(Product.barcodes))
    found = session.scalar(stmt.where(Product.sku == typed))
    if found is None:
        found = session.scalar(stmt.join(Barcode).where(Barcode.code == typed))
    if found is None:
        raise NotFound(f"No product has the SKU or barcode “{typed}”.", field="sku")
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
        description=product.description,
        tracking=product.tracking,
        shelf_life_days=product.shelf_life_days,
    )


def _shelf_life(value: object) -> int | None:
    return None if value in (0, "0") else shelf_life(value)


def _set_tracking(session: Session, product: Product, value: object) -> None:
    """A product changes how it is tracked only while it holds no stock anywhere: stock already
    counted without lots cannot be told apart into lots afterwards."""
    chosen = tracking(value).value
    if chosen == product.tracking:
        return
    held = session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand), 0)).where(
            StockLevel.product_id == product.id
        )
    )
    if held:
        raise ValidationError(
            f"{product.sku} has {held:,} units in stock; its tracking can change only when it "
            "has none (issue or transfer them out first).",
            field="tracking",
        )
    product.tracking = chosen


def _pack(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PACK_QTY:
        raise ValidationError(
            f"Pack size must be a whole number from 1 to {MAX_PACK_QTY:,}.", field="barcode"
        )
    return value


def _clean_sku(value: object) -> str:
    sku = required_text(value, label="SKU", field="sku", max_len=SKU_MAX)
    if any(ch.isspace() for ch in sku):
        raise ValidationError("A SKU cannot contain spaces.", field="sku")
    return sku


def _check_sku_free(session: Session, sku: str, product_id: int | None = None) -> None:
    """A SKU must not be another product's SKU or barcode: a scan would find the wrong product."""
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise Conflict(f"A product with SKU {sku} already exists.", field="sku")
    owner = session.execute(
        select(Product.id, Product.sku, Barcode.pack_qty).join(Barcode).where(Barcode.code == sku)
    ).first()
    if owner is not None and owner.id != product_id:
        raise Conflict(f"{sku} is already a barcode of product {owner.sku}.", field="sku")
    if owner is not None and owner.pack_qty != 1:
        _refuse_case_barcode_as_sku(sku, owner.pack_qty)


def _refuse_case_barcode_as_sku(sku: str, pack_qty: int) -> None:
    # Look-ups try SKUs first, so the case would count as one unit instead of its pack.
    raise ValidationError(
        f"{sku} is this product's barcode for a case of {pack_qty}; it cannot be its SKU too.",
        field="sku",
    )


def create_product(db: Database, cmd: CreateProduct, actor: Actor) -> ProductView:
    """Add a product with its barcodes. Raises ValidationError, NotFound (category), Conflict."""
    require(actor, Permission.CATALOG)
    sku = _clean_sku(cmd.sku)
    name = required_text(cmd.name, label="Name", field="name", max_len=NAME_MAX)
    unit = required_text(cmd.unit, label="Unit", field="unit", max_len=UNIT_MAX)
    price = parse_money(cmd.price, label="Price", field="price")
    cost = parse_money(cmd.cost, label="Cost", field="cost")
    description = clean_description(cmd.description, max_len=DESCRIPTION_MAX)
    tracked = tracking(cmd.tracking).value
    shelf = shelf_life(cmd.shelf_life_days)
    barcodes = [(normalize_barcode(code), _pack(pack)) for code, pack in cmd.barcodes]
    if len({code for code, _ in barcodes}) != len(barcodes):
        raise ValidationError("The same barcode is listed twice.", field="barcode")
    for code, pack in barcodes:
        if code == sku and pack != 1:
            _refuse_case_barcode_as_sku(sku, pack)

    def work(session: Session) -> ProductView:
        category = active_category(session, cmd.category)
        _lock_codes(session, [sku, *(code for code, _ in barcodes)])
        _check_sku_free(session, sku)
        check_barcodes_free(session, [code for code, _ in barcodes])
        now = db.now()
        product = Product(
            sku=sku,
            name=name,
            category=category,
            unit=unit,
            description=description,
            price=price,
            cost=cost,
            tracking=tracked,
            shelf_life_days=shelf,
            active=True,
            created_at=now,
            updated_at=now,
            barcodes=[Barcode(code=code, pack_qty=pack) for code, pack in barcodes],
        )
        session.add(product)
        session.flush()
        audit_trail.record(
            session.connection(), actor, now, "create", "product", sku, {"name": name}
        )
        return product_view(product)

    return edit_session(db, work)


def check_barcodes_free(session: Session, codes: list[str]) -> None:
    """Raise Conflict if any of `codes` is another product's barcode or SKU."""
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


def apply_product_edit(session: Session, db: Database, cmd: EditProduct, actor: Actor) -> Product:
    """The field changes of `edit_product` inside a caller's unit of work (checked, audited)."""
    product = product_by_code(session, cmd.sku)
    check_version(product.version, cmd.expected_version, f"Product {product.sku}")
    if cmd.new_sku is not None:
        new_sku = _clean_sku(cmd.new_sku)
        if new_sku != product.sku:
            _lock_codes(session, [new_sku])
            _check_sku_free(session, new_sku, product.id)
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
    if cmd.description is not None:
        product.description = clean_description(cmd.description, max_len=DESCRIPTION_MAX)
    if cmd.tracking is not None:
        _set_tracking(session, product, cmd.tracking)
    if cmd.shelf_life_days is not None:
        product.shelf_life_days = _shelf_life(cmd.shelf_life_days)
    if session.is_modified(product):
        product.updated_at = db.now()
    audit_trail.record_edit(session, actor, db.now(), "product", product.sku, product)
    session.flush()
    return product


def edit_product(db: Database, cmd: EditProduct, actor: Actor) -> ProductView:
    """Change a product's fields. A stale `expected_version` or a concurrent edit raises Conflict."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> ProductView:
        return product_view(apply_product_edit(session, db, cmd, actor))

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
        _lock_codes(session, [clean])
        check_barcodes_free(session, [clean])
        product.barcodes.append(Barcode(code=clean, pack_qty=pack))
        product.updated_at = db.now()
        audit_trail.record(
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
        audit_trail.record(
            session.connection(), actor, product.updated_at, "remove barcode", "product",
            product.sku, {"barcode": clean},
        )  # fmt: skip
        session.flush()
        return product_view(product)

    return edit_session(db, work)


def get_product(db: Database, code: str, actor: Actor) -> ProductView:
    """A product by SKU or any of its barcodes."""
    require(actor, Permission.VIEW)
    with db.read() as conn, orm_session(conn) as session:
        return product_view(product_by_code(session, code))


def get_products(db: Database, codes: Iterable[str], actor: Actor) -> list[ProductView]:
    """Products by SKU or barcode, in the order given, read in one transaction (a label job of
    a thousand products). Raises NotFound naming the first unknown code."""
    require(actor, Permission.VIEW)
    with db.read() as conn, orm_session(conn) as session:
        return [product_view(product_by_code(session, code)) for code in codes]


def list_products(
    db: Database,
    actor: Actor,
    *,
    search: str | None = None,
    category: str | None = None,
    include_inactive: bool = False,
    limit: int | None = 200,
    offset: int = 0,
) -> list[ProductView]:
    """Products ordered by SKU; `search` matches a SKU or name fragment, or a whole barcode.
    `limit` None returns every match."""
    require(actor, Permission.VIEW)
    stmt = select(Product).options(selectinload(Product.barcodes)).order_by(Product.sku)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    if search:
        term = search.strip()
        # autoescape: '_' and '%' typed by a clerk are literal characters, not LIKE wildcards.
        stmt = stmt.where(
            or_(
                func.lower(Product.sku).contains(term.lower(), autoescape=True),
                func.lower(Product.name).contains(term.lower(), autoescape=True),
                Product.id.in_(select(Barcode.product_id).where(Barcode.code == term)),
            )
        )
    with db.read() as conn, orm_session(conn) as session:
        if category:
            stmt = stmt.where(Product.category_id == category_by_name(session, category).id)
        return [product_view(p) for p in session.scalars(stmt.limit(limit).offset(offset))]
