"""Bad input through every service: refused with a clear message, and nothing changes at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.db.models import StockRequest
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.errors import (
    Conflict,
    DuplicateRequest,
    InsufficientStock,
    InvdeskError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    LedgerFilter,
    Line,
    MovementKind,
    ReceiveStock,
    ReservationStatus,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.services.catalog import categories, products, warehouses
from invdesk.services.reads import queries
from invdesk.services.stock import operations, reservations
from tests import support
from tests.fixtures.databases import _empty as empty_database

ACTOR = support.ACTOR
CLERK = Actor("clerk", Role.CLERK)
EXIT_CODES = {
    ValidationError: 2,
    InsufficientStock: 3,
    NotFound: 4,
    Conflict: 5,
    DuplicateRequest: 5,
    PermissionDenied: 6,
}
UNIT_EAN13 = "4006381333931"
CASE_EAN13 = "5901234123457"  # a case of 12 units of SKU-1
UNKNOWN_EAN8 = "12345670"  # valid check digit, but on no product
USED_REQUEST = "used-request-id"


@dataclass(frozen=True)
class World:
    """The reservation ids the cases refer to (one hold in each state)."""

    active_hold: int
    committed_hold: int
    released_hold: int


def build_world(db: Database) -> World:
    """MAIN, BACK and an inactive OLD warehouse; stock, holds and edits in every state.

    MAIN: SKU-1 on hand 10 with 2 reserved, SKU-2 on hand 5, FULL at the 1e9 ceiling.
    BACK: an empty SKU-2 row (received then issued). Versions of SKU-1, BACK, OLD, Office are 2.
    """
    support.warehouse(db, "MAIN")
    support.warehouse(db, "BACK")
    support.warehouse(db, "OLD")
    warehouses.edit_warehouse(db, EditWarehouse("OLD", active=False), ACTOR)
    warehouses.edit_warehouse(db, EditWarehouse("BACK", name="Back room"), ACTOR)
    support.product(db, "SKU-1", barcodes=((UNIT_EAN13, 1), (CASE_EAN13, 12)))
    support.product(db, "SKU-2")
    support.product(db, "GONE")
    support.product(db, "FULL")
    products.set_product_active(db, "GONE", False, ACTOR)
    products.edit_product(db, EditProduct("SKU-1", name="Renamed once"), ACTOR)
    categories.rename_category(db, "Office", "Office supplies", ACTOR)
    operations.receive(db, ReceiveStock("MAIN", (Line("SKU-1", 10, "1.50"),)), ACTOR)
    operations.receive(
        db, ReceiveStock("MAIN", (Line("SKU-2", 7),), request_id=USED_REQUEST), ACTOR
    )
    operations.receive(db, ReceiveStock("BACK", (Line("SKU-2", 3),)), ACTOR)
    operations.issue(db, IssueStock("BACK", (Line("SKU-2", 3),)), ACTOR)
    operations.adjust(db, AdjustStock("FULL", "MAIN", 10**9), ACTOR)
    active = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 2), ACTOR)
    committed = reservations.reserve(db, ReserveStock("SKU-2", "MAIN", 2), ACTOR)
    reservations.commit(db, committed.id, ACTOR)
    released = reservations.reserve(db, ReserveStock("SKU-2", "MAIN", 1), ACTOR)
    reservations.release(db, released.id, ACTOR)
    return World(active.id, committed.id, released.id)


def snapshot(db: Database) -> dict[str, Any]:
    """Everything a refused call must leave exactly as it was."""
    with db.read() as conn:
        claimed = conn.execute(select(func.count()).select_from(StockRequest)).scalar_one()
    return {
        "levels": queries.stock_levels(db, SYSTEM, include_empty=True),
        "ledger_rows": support.ledger_count(db),
        "request_ids": claimed,
        "products": products.list_products(db, SYSTEM, include_inactive=True),
        "categories": categories.list_categories(db, SYSTEM),
        "warehouses": warehouses.list_warehouses(db, SYSTEM),
        "reservations": reservations.list_reservations(db, SYSTEM),
    }


class SharedWorld:
    """One world per database kind for the whole table, built through the services.

    Every case asserts that it changed nothing, which is what makes sharing it safe: `baseline`
    is the snapshot each case must leave behind. A case that did change something (or failed
    before it could tell) marks the world suspect and the next case gets a freshly built one.
    A fresh `db` fixture per case would cost ~0.3 s each, 360 times over, so this module makes
    its databases the way that fixture does (a migrated SQLite file; the emptied session
    PostgreSQL database) but keeps them for as long as nothing changes.
    """

    def __init__(self, new_url: Callable[[], str]) -> None:
        self._new_url = new_url
        self._db: Database | None = None
        self.suspect = True

    def use(self) -> tuple[Database, World, dict[str, Any]]:
        if self.suspect:
            self.close()
            self._db = Database.open(self._new_url())
            self._world = build_world(self._db)
            self._baseline = snapshot(self._db)
        assert self._db is not None
        self.suspect = True  # until the case shows it left the world as it was
        return self._db, self._world, self._baseline

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedWorld]:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("bad-input")
        counter = iter(range(1_000_000))

        def new_url() -> str:
            url = f"sqlite:///{folder}/world-{next(counter)}.db"
            with Database.open(url) as database:
                migrate.upgrade(database)
            return url

    else:
        pg_url: str = request.getfixturevalue("pg_url")

        def new_url() -> str:
            with Database.open(pg_url) as database:
                empty_database(database)
            return pg_url

    holder = SharedWorld(new_url)
    yield holder
    holder.close()


@pytest.fixture
def changed_world(shared_world: SharedWorld) -> tuple[Database, World, dict[str, Any]]:
    """A freshly built world for a test that changes it; the next case builds another."""
    shared_world.suspect = True
    return shared_world.use()


def test_shared_world_is_as_the_cases_assume(shared_world):
    _, _, baseline = shared_world.use()
    shared_world.suspect = False
    levels = {(r.sku, r.warehouse): (r.on_hand, r.reserved) for r in baseline["levels"]}
    assert levels == {
        ("FULL", "MAIN"): (10**9, 0),
        ("SKU-1", "MAIN"): (10, 2),
        ("SKU-2", "BACK"): (0, 0),
        ("SKU-2", "MAIN"): (5, 0),
    }


# --- case builders: each returns a call (db, world) -> None that must be refused ----------------

Call = Callable[[Database, World], object]


def receive(*lines: Line, wh: str = "MAIN", **kw: Any) -> Call:
    return lambda db, w: operations.receive(db, ReceiveStock(wh, lines, **kw), ACTOR)


def issue(*lines: Line, wh: str = "MAIN", **kw: Any) -> Call:
    return lambda db, w: operations.issue(db, IssueStock(wh, lines, **kw), ACTOR)


def transfer(*lines: Line, src: str = "MAIN", dst: str = "BACK", **kw: Any) -> Call:
    return lambda db, w: operations.transfer(db, TransferStock(src, dst, lines, **kw), ACTOR)


def return_(*lines: Line, wh: str = "MAIN", **kw: Any) -> Call:
    return lambda db, w: operations.return_stock(db, ReturnStock(wh, lines, **kw), ACTOR)


def reserve(sku: str = "SKU-1", qty: object = 1, wh: str = "MAIN", **kw: Any) -> Call:
    return lambda db, w: reservations.reserve(db, ReserveStock(sku, wh, qty, **kw), ACTOR)


def adjust(counted: object, sku: str = "SKU-1", wh: str = "MAIN", **kw: Any) -> Call:
    return lambda db, w: operations.adjust(db, AdjustStock(sku, wh, counted, **kw), ACTOR)


def new_product(
    sku: str = "NEW-1", name: str = "New thing", actor: Actor = ACTOR, **kw: Any
) -> Call:
    kw.setdefault("category", "Tools")
    return lambda db, w: products.create_product(db, CreateProduct(sku, name, **kw), actor)


def edit_product(actor: Actor = ACTOR, sku: str = "SKU-1", **kw: Any) -> Call:
    return lambda db, w: products.edit_product(db, EditProduct(sku, **kw), actor)


def add_barcode(code: str, pack: int = 1, sku: str = "SKU-2", actor: Actor = ACTOR) -> Call:
    return lambda db, w: products.add_barcode(db, sku, code, pack, actor)


def new_warehouse(code: str = "EAST", name: str = "East", actor: Actor = ACTOR, **kw: Any) -> Call:
    return lambda db, w: warehouses.create_warehouse(db, code, name, actor, **kw)


def case(
    name: str,
    call: Call,
    error: type[InvdeskError],
    words: tuple[str, ...],
    field: str | None,
    marks: Any = (),
    **attrs: object,
) -> Any:
    return pytest.param(call, error, words, field, attrs, id=name, marks=marks)


BAD_QUANTITIES = [
    ("zero", 0, ("at least 1",)),
    ("negative", -3, ("at least 1", "-3")),
    ("fractional-number", 1.5, ("whole number", "1.5")),
    ("fractional-text", "2.5", ("whole number", "2.5")),
    ("non-numeric", "abc", ("whole number", "abc")),
    ("empty", "", ("whole number",)),
    ("absurdly-large", 10**9, ("too large", "1,000,000")),
]
WRONG_TYPES = [
    ("none", None, ("whole number",)),
    ("true", True, ("whole number",)),
]
QTY_OPERATIONS: dict[str, Callable[[object], Call]] = {
    "receive": lambda q: receive(Line("SKU-1", q)),
    "issue": lambda q: issue(Line("SKU-1", q)),
    "transfer": lambda q: transfer(Line("SKU-1", q)),
    "return": lambda q: return_(Line("SKU-1", q)),
    "reserve": lambda q: reserve("SKU-1", q),
}
QUANTITY_CASES = [
    case(f"{op}-qty-{label}", build(value), ValidationError, ("quantity", *words), "qty")
    for op, build in QTY_OPERATIONS.items()
    for label, value, words in BAD_QUANTITIES
] + [
    case(f"{op}-qty-{label}", QTY_OPERATIONS[op](value), ValidationError, words, "qty")
    for op in ("receive", "reserve")
    for label, value, words in WRONG_TYPES
]

COUNT_CASES = [
    case(f"adjust-count-{label}", adjust(value), ValidationError, ("counted", *words), "counted")
    for label, value, words in [
        ("negative", -1, ("cannot be negative",)),
        ("fractional-number", 2.5, ("whole number",)),
        ("fractional-text", "0.5", ("whole number", "0.5")),
        ("non-numeric", "ten", ("whole number", "ten")),
        ("empty", "", ("whole number",)),
        ("none", None, ("whole number",)),
        ("true", True, ("whole number",)),
        ("above-ceiling", 10**9 + 1, ("too large",)),
    ]
]

NOPE = Line("NOPE", 1)
UNKNOWN_CASES = [
    case("receive-unknown-sku", receive(NOPE), NotFound, ("no product", "NOPE"), "product"),
    case("issue-unknown-sku", issue(NOPE), NotFound, ("no product", "NOPE"), "product"),
    case("transfer-unknown-sku", transfer(NOPE), NotFound, ("no product", "NOPE"), "product"),
    case("return-unknown-sku", return_(NOPE), NotFound, ("no product", "NOPE"), "product"),
    case("reserve-unknown-sku", reserve("NOPE"), NotFound, ("no product", "NOPE"), "product"),
    case("adjust-unknown-sku", adjust(5, sku="NOPE"), NotFound, ("no product", "NOPE"), "product"),
    case(
        "issue-unknown-barcode",
        issue(Line(UNKNOWN_EAN8, 1)),
        NotFound,
        ("no product", UNKNOWN_EAN8),
        "product",
    ),
    case(
        "receive-unknown-barcode",
        receive(Line(UNKNOWN_EAN8, 1)),
        NotFound,
        ("no product", UNKNOWN_EAN8),
        "product",
    ),
    case(
        "get-product-unknown-barcode",
        lambda db, w: products.get_product(db, UNKNOWN_EAN8, ACTOR),
        NotFound,
        ("no product", UNKNOWN_EAN8),
        "sku",
    ),
    case("edit-unknown-product", edit_product(sku="NOPE", name="x"), NotFound, ("NOPE",), "sku"),
    case(
        "add-barcode-to-unknown-product",
        add_barcode(UNKNOWN_EAN8, sku="NOPE"),
        NotFound,
        ("NOPE",),
        "sku",
    ),
    case(
        "remove-unknown-barcode",
        lambda db, w: products.remove_barcode(db, UNKNOWN_EAN8, ACTOR),
        NotFound,
        ("no product", UNKNOWN_EAN8),
        "barcode",
    ),
    case(
        "receive-unknown-warehouse",
        receive(Line("SKU-1", 1), wh="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "issue-unknown-warehouse",
        issue(Line("SKU-1", 1), wh="nowhere"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "return-unknown-warehouse",
        return_(Line("SKU-1", 1), wh="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "reserve-unknown-warehouse",
        reserve(wh="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "adjust-unknown-warehouse",
        adjust(5, wh="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "transfer-from-unknown-warehouse",
        transfer(Line("SKU-1", 1), src="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "source",
    ),
    case(
        "transfer-to-unknown-warehouse",
        transfer(Line("SKU-1", 1), dst="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "destination",
    ),
    case(
        "edit-unknown-warehouse",
        lambda db, w: warehouses.edit_warehouse(db, EditWarehouse("NOWHERE", name="x"), ACTOR),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "code",
    ),
    case(
        "stock-levels-of-unknown-warehouse",
        lambda db, w: queries.stock_levels(db, ACTOR, warehouse="NOWHERE"),
        NotFound,
        ("no warehouse", "NOWHERE"),
        "warehouse",
    ),
    case(
        "history-of-unknown-product",
        lambda db, w: queries.history(db, ACTOR, LedgerFilter(product="NOPE")),
        NotFound,
        ("no product", "NOPE"),
        "product",
    ),
    case(
        "create-product-in-unknown-category",
        new_product(category="Gadgets"),
        NotFound,
        ("no category", "Gadgets"),
        "category",
    ),
    case(
        "commit-unknown-reservation",
        lambda db, w: reservations.commit(db, 9999, ACTOR),
        NotFound,
        ("no reservation", "9999"),
        "reservation",
    ),
    case(
        "release-unknown-reservation",
        lambda db, w: reservations.release(db, 9999, ACTOR),
        NotFound,
        ("no reservation", "9999"),
        "reservation",
    ),
    case(
        "commit-reservation-number-not-a-number",
        lambda db, w: reservations.commit(db, "abc", ACTOR),
        ValidationError,
        ("reservation number", "whole number"),
        "reservation",
    ),
    case(
        "release-reservation-number-zero",
        lambda db, w: reservations.release(db, 0, ACTOR),
        ValidationError,
        ("reservation number", "at least 1"),
        "reservation",
    ),
    case(
        # Reservation ids grow past MAX_QTY (1,000,000); one beyond it must still be looked up.
        "commit-unknown-reservation-past-a-million",
        lambda db, w: reservations.commit(db, 10**12, ACTOR),
        NotFound,
        ("no reservation number 1000000000000",),
        "reservation",
    ),
]

SAME_PLACE = ("two different warehouses", "MAIN")
TRANSFER_CASES = [
    case(
        "transfer-to-same-warehouse",
        transfer(Line("SKU-1", 1), src="MAIN", dst="MAIN"),
        ValidationError,
        SAME_PLACE,
        "destination",
    ),
    case(
        "transfer-to-same-warehouse-other-case",
        transfer(Line("SKU-1", 1), src="main", dst="MAIN"),
        ValidationError,
        SAME_PLACE,
        "destination",
    ),
    case(
        "transfer-to-same-warehouse-mixed-case-and-spaces",
        transfer(Line("SKU-1", 1), src=" Main ", dst="mAIN"),
        ValidationError,
        SAME_PLACE,
        "destination",
    ),
]

TEXT_CASES = [
    case(
        "product-name-too-long",
        new_product(name="n" * 201),
        ValidationError,
        ("name", "too long", "200"),
        "name",
    ),
    case("product-name-empty", new_product(name=""), ValidationError, ("name", "empty"), "name"),
    case("product-name-blank", new_product(name="   "), ValidationError, ("name", "empty"), "name"),
    case(
        "product-sku-too-long",
        new_product(sku="S" * 65),
        ValidationError,
        ("sku", "too long", "64"),
        "sku",
    ),
    case("product-sku-empty", new_product(sku=""), ValidationError, ("sku", "empty"), "sku"),
    case(
        "product-sku-with-space",
        new_product(sku="AB 12"),
        ValidationError,
        ("sku", "spaces"),
        "sku",
    ),
    case(
        "product-unit-too-long",
        new_product(unit="u" * 17),
        ValidationError,
        ("unit", "too long", "16"),
        "unit",
    ),
    case(
        "product-name-with-control-character",
        new_product(name="Bad\x07name"),
        ValidationError,
        ("name", "control characters"),
        "name",
    ),
    case(
        "edit-product-name-empty",
        edit_product(name=""),
        ValidationError,
        ("name", "empty"),
        "name",
    ),
    case(
        "edit-product-name-too-long",
        edit_product(name="n" * 201),
        ValidationError,
        ("name", "too long", "200"),
        "name",
    ),
    case(
        "edit-product-sku-too-long",
        edit_product(new_sku="S" * 65),
        ValidationError,
        ("sku", "too long", "64"),
        "sku",
    ),
    case(
        "receive-reference-too-long",
        receive(Line("SKU-1", 1), reference="R" * 101),
        ValidationError,
        ("reference", "too long", "100"),
        "reference",
    ),
    case(
        "transfer-reference-too-long",
        transfer(Line("SKU-1", 1), reference="R" * 101),
        ValidationError,
        ("reference", "too long", "100"),
        "reference",
    ),
    case(
        "reserve-reference-too-long",
        reserve(reference="R" * 101),
        ValidationError,
        ("reference", "too long", "100"),
        "reference",
    ),
    case(
        "receive-reference-with-control-character",
        receive(Line("SKU-1", 1), reference="PO\x07-1"),
        ValidationError,
        ("reference", "control characters"),
        "reference",
    ),
    case(
        "issue-reason-too-long",
        issue(Line("SKU-1", 1), reason="r" * 501),
        ValidationError,
        ("reason", "too long", "500"),
        "reason",
    ),
    case(
        "return-reason-too-long",
        return_(Line("SKU-1", 1), reason="r" * 501),
        ValidationError,
        ("reason", "too long", "500"),
        "reason",
    ),
    case(
        "adjust-reason-too-long",
        adjust(9, reason="r" * 501),
        ValidationError,
        ("reason", "too long", "500"),
        "reason",
    ),
    case(
        "line-with-empty-sku",
        receive(Line("", 1)),
        ValidationError,
        ("sku or barcode", "empty"),
        "product",
    ),
    case(
        "line-sku-too-long",
        issue(Line("S" * 65, 1)),
        ValidationError,
        ("sku or barcode", "too long"),
        "product",
    ),
    case("document-without-lines", receive(), ValidationError, ("at least one line",), "lines"),
    case(
        "receive-warehouse-code-empty",
        receive(Line("SKU-1", 1), wh=""),
        ValidationError,
        ("warehouse code", "empty"),
        "warehouse",
    ),
    case(
        "request-id-too-long",
        receive(Line("SKU-1", 1), request_id="x" * 65),
        ValidationError,
        ("request id", "too long"),
        "request_id",
    ),
    case(
        "warehouse-code-too-long",
        new_warehouse(code="W" * 17),
        ValidationError,
        ("warehouse code", "too long", "16"),
        "code",
    ),
    case(
        "warehouse-code-empty",
        new_warehouse(code=""),
        ValidationError,
        ("warehouse code", "empty"),
        "code",
    ),
    case(
        "warehouse-code-with-space",
        new_warehouse(code="MA IN"),
        ValidationError,
        ("letters, digits",),
        "code",
    ),
    case(
        "warehouse-code-with-slash",
        new_warehouse(code="A/B"),
        ValidationError,
        ("letters, digits",),
        "code",
    ),
    case(
        "warehouse-name-empty",
        new_warehouse(name=" "),
        ValidationError,
        ("name", "empty"),
        "name",
    ),
    case(
        "warehouse-address-too-long",
        new_warehouse(address="a" * 501),
        ValidationError,
        ("address", "too long", "500"),
        "address",
    ),
    case(
        "category-name-empty",
        lambda db, w: categories.create_category(db, "", ACTOR),
        ValidationError,
        ("category", "empty"),
        "category",
    ),
    case(
        "category-name-too-long",
        lambda db, w: categories.create_category(db, "c" * 65, ACTOR),
        ValidationError,
        ("category", "too long", "64"),
        "category",
    ),
    case(
        "reserve-ttl-zero",
        reserve(ttl_seconds=0),
        ValidationError,
        ("time to live", "at least 1"),
        "ttl",
    ),
    case(
        "reserve-ttl-over-90-days",
        reserve(ttl_seconds=91 * 24 * 3600),
        ValidationError,
        ("90 days",),
        "ttl",
    ),
    case(
        "reserve-ttl-fractional",
        reserve(ttl_seconds="1.5"),
        ValidationError,
        ("time to live", "whole number"),
        "ttl",
    ),
    case(
        "adjust-by-case-barcode-past-on-hand-ceiling",
        adjust(10**9, sku=CASE_EAN13),
        ValidationError,
        ("12 units of SKU-1", "too large"),
        "counted",
    ),
]

GTIN_CASES = [
    case(
        f"{where}-{kind}-bad-check-digit",
        build(code),
        ValidationError,
        (code, f"not a valid {kind}", f"should be {good}"),
        "barcode",
    )
    for kind, code, good in [
        ("EAN-8", "96385075", 4),
        ("EAN-13", "4006381333932", 1),
        ("UPC-A", "036000291453", 2),
        ("GTIN-14", "12345678901232", 1),
    ]
    for where, build in [
        ("create-product", lambda c: new_product(barcodes=((c, 1),))),
        ("add-barcode", lambda c: add_barcode(c)),
    ]
] + [
    case(
        "barcode-with-space",
        add_barcode("12 34"),
        ValidationError,
        ("barcode", "spaces"),
        "barcode",
    ),
    case(
        "barcode-pack-zero",
        new_product(barcodes=(("CASE-X", 0),)),
        ValidationError,
        ("pack size",),
        "barcode",
    ),
    case(
        "add-barcode-pack-zero",
        add_barcode("CASE-X", pack=0),
        ValidationError,
        ("pack size",),
        "barcode",
    ),
    case(
        "barcode-listed-twice",
        new_product(barcodes=(("ABC", 1), ("ABC", 6))),
        ValidationError,
        ("same barcode", "twice"),
        "barcode",
    ),
]

MONEY_CASES = [
    case(
        "receive-negative-unit-cost",
        receive(Line("SKU-1", 1, "-1.00")),
        ValidationError,
        ("unit cost", "negative"),
        "unit_cost",
    ),
    case(
        "receive-unit-cost-five-decimals",
        receive(Line("SKU-1", 1, "1.23456")),
        ValidationError,
        ("unit cost", "4 decimal places"),
        "unit_cost",
    ),
    case(
        "receive-unit-cost-not-a-number",
        receive(Line("SKU-1", 1, "cheap")),
        ValidationError,
        ("unit cost", "amount"),
        "unit_cost",
    ),
    case(
        "product-negative-cost",
        new_product(cost="-0.01"),
        ValidationError,
        ("cost", "negative"),
        "cost",
    ),
    case(
        "product-price-five-decimals",
        new_product(price="9.99999"),
        ValidationError,
        ("price", "4 decimal places"),
        "price",
    ),
    case(
        "edit-product-negative-price",
        edit_product(price="-5"),
        ValidationError,
        ("price", "negative"),
        "price",
    ),
]

STALE = ("changed by someone else", "reload")
CONFLICT_CASES = [
    case(
        "edit-product-stale-version",
        edit_product(name="Mine", expected_version=1),
        Conflict,
        STALE,
        None,
    ),
    case(
        "deactivate-product-stale-version",
        lambda db, w: products.set_product_active(db, "SKU-1", False, ACTOR, expected_version=1),
        Conflict,
        STALE,
        None,
    ),
    case(
        "edit-warehouse-stale-version",
        lambda db, w: warehouses.edit_warehouse(
            db, EditWarehouse("BACK", name="Mine", expected_version=1), ACTOR
        ),
        Conflict,
        STALE,
        None,
    ),
    case(
        "rename-category-stale-version",
        lambda db, w: categories.rename_category(
            db, "Office supplies", "Desk", ACTOR, expected_version=1
        ),
        Conflict,
        STALE,
        None,
    ),
    case("duplicate-sku", new_product(sku="SKU-2"), Conflict, ("already exists",), "sku"),
    case(
        "new-sku-is-another-products-barcode",
        new_product(sku=UNIT_EAN13),
        Conflict,
        (UNIT_EAN13, "already a barcode", "SKU-1"),
        "sku",
    ),
    case(
        "edited-sku-is-another-products-barcode",
        edit_product(sku="SKU-2", new_sku=CASE_EAN13),
        Conflict,
        (CASE_EAN13, "already a barcode", "SKU-1"),
        "sku",
    ),
    case(
        "edited-sku-is-another-products-sku",
        edit_product(sku="SKU-2", new_sku="SKU-1"),
        Conflict,
        ("SKU-1", "already exists"),
        "sku",
    ),
    case(
        "category-renamed-to-another-in-other-case",
        lambda db, w: categories.rename_category(db, "Food", "TOOLS", ACTOR),
        Conflict,
        ("Tools", "already exists"),
        "category",
    ),
    case(
        "barcode-of-another-product",
        add_barcode(UNIT_EAN13),
        Conflict,
        (UNIT_EAN13, "already belongs", "SKU-1"),
        "barcode",
    ),
    case(
        "duplicate-warehouse-code",
        new_warehouse(code="main"),
        Conflict,
        ("MAIN", "already exists"),
        "code",
    ),
    case(
        "duplicate-category",
        lambda db, w: categories.create_category(db, "tools", ACTOR),
        Conflict,
        ("already exists",),
        "category",
    ),
    case(
        "request-id-reused-for-another-operation",
        issue(Line("SKU-2", 1), request_id=USED_REQUEST),
        DuplicateRequest,
        (USED_REQUEST, "already used", "nothing was changed"),
        "request_id",
    ),
]

RESERVATION_CASES = [
    case(
        "commit-committed-reservation",
        lambda db, w: reservations.commit(db, w.committed_hold, ACTOR),
        ValidationError,
        ("already committed", "cannot be committed"),
        "reservation",
    ),
    case(
        "commit-released-reservation",
        lambda db, w: reservations.commit(db, w.released_hold, ACTOR),
        ValidationError,
        ("already released", "cannot be committed"),
        "reservation",
    ),
    case(
        "release-committed-reservation",
        lambda db, w: reservations.release(db, w.committed_hold, ACTOR),
        ValidationError,
        ("already committed", "nothing to release"),
        "reservation",
    ),
    case(
        "release-released-reservation",
        lambda db, w: reservations.release(db, w.released_hold, ACTOR),
        ValidationError,
        ("already released", "nothing to release"),
        "reservation",
    ),
]

SHORT = ("not enough", "SKU-1")
STOCK_RULE_CASES = [
    case(
        "issue-more-than-available-because-reserved",
        issue(Line("SKU-1", 9)),
        InsufficientStock,
        (*SHORT, "8 available", "9 requested"),
        "qty",
        available=8,
        requested=9,
    ),
    case(
        "issue-case-barcode-more-than-available",
        issue(Line(CASE_EAN13, 1)),
        InsufficientStock,
        (*SHORT, "8 available", "12 requested"),
        "qty",
        available=8,
        requested=12,
    ),
    case(
        "issue-from-empty-row",
        issue(Line("SKU-2", 1), wh="BACK"),
        InsufficientStock,
        ("not enough", "SKU-2", "0 available"),
        "qty",
        available=0,
        requested=1,
    ),
    case(
        "issue-where-never-stocked",
        issue(Line("SKU-1", 1), wh="BACK"),
        InsufficientStock,
        (*SHORT, "0 available"),
        "qty",
        available=0,
        requested=1,
    ),
    case(
        "transfer-more-than-available",
        transfer(Line("SKU-1", 9)),
        InsufficientStock,
        (*SHORT, "8 available", "9 requested"),
        "qty",
        available=8,
        requested=9,
    ),
    case(
        "transfer-back-to-front-more-than-available",
        transfer(Line("SKU-2", 1), src="BACK", dst="MAIN"),
        InsufficientStock,
        ("not enough", "SKU-2", "0 available"),
        "qty",
        available=0,
        requested=1,
    ),
    case(
        "reserve-more-than-available",
        reserve("SKU-1", 9),
        InsufficientStock,
        ("cannot reserve", "SKU-1", "only 8 available"),
        "qty",
        available=8,
        requested=9,
    ),
    case(
        "reserve-case-barcode-more-than-available",
        reserve(CASE_EAN13, 1),
        InsufficientStock,
        ("cannot reserve", "12", "only 8 available"),
        "qty",
        available=8,
        requested=12,
    ),
    case(
        "adjust-below-reserved",
        adjust(1),
        ValidationError,
        ("reserved", "release"),
        "counted",
    ),
    case(
        "receive-past-on-hand-ceiling",
        receive(Line("FULL", 1)),
        ValidationError,
        ("exceed", "1,000,000,000"),
        "qty",
    ),
    case(
        "receive-case-barcode-too-many-units",
        receive(Line(CASE_EAN13, 100_000)),
        ValidationError,
        ("too large", "units per line"),
        "qty",
    ),
    case(
        "receive-into-inactive-warehouse",
        receive(Line("SKU-1", 1), wh="OLD"),
        ValidationError,
        ("OLD", "inactive"),
        "warehouse",
    ),
    case(
        "return-into-inactive-warehouse",
        return_(Line("SKU-1", 1), wh="OLD"),
        ValidationError,
        ("OLD", "inactive"),
        "warehouse",
    ),
    case(
        "transfer-into-inactive-warehouse",
        transfer(Line("SKU-1", 1), dst="OLD"),
        ValidationError,
        ("OLD", "inactive"),
        "destination",
    ),
    case(
        "reserve-in-inactive-warehouse",
        reserve(wh="OLD"),
        ValidationError,
        ("OLD", "inactive"),
        "warehouse",
    ),
    case(
        "receive-inactive-product",
        receive(Line("GONE", 1)),
        ValidationError,
        ("GONE", "inactive"),
        "product",
    ),
]

MULTI_LINE_CASES = [
    case(
        "receive-second-line-unknown-sku",
        receive(Line("SKU-1", 3), Line("NOPE", 1)),
        NotFound,
        ("no product", "NOPE"),
        "product",
    ),
    case(
        "issue-second-line-short",
        issue(Line("SKU-1", 1), Line("SKU-2", 100)),
        InsufficientStock,
        ("not enough", "SKU-2", "5 available", "100 requested"),
        "qty",
        available=5,
        requested=100,
    ),
    case(
        "issue-second-line-unknown-sku",
        issue(Line("SKU-1", 1), Line("NOPE", 1)),
        NotFound,
        ("no product", "NOPE"),
        "product",
    ),
    case(
        "issue-same-product-twice-more-than-available",
        issue(Line("SKU-2", 3), Line("SKU-2", 3)),
        InsufficientStock,
        ("not enough", "SKU-2", "2 available", "3 requested"),
        "qty",
        available=2,
        requested=3,
    ),
    case(
        "transfer-second-line-short",
        transfer(Line("SKU-1", 1), Line("SKU-2", 100)),
        InsufficientStock,
        ("not enough", "SKU-2", "5 available"),
        "qty",
        available=5,
        requested=100,
    ),
    case(
        "return-second-line-unknown-sku",
        return_(Line("SKU-1", 1), Line("NOPE", 1)),
        NotFound,
        ("no product", "NOPE"),
        "product",
    ),
    case(
        "receive-second-line-bad-quantity",
        receive(Line("SKU-1", 3), Line("SKU-2", 0)),
        ValidationError,
        ("quantity on line 2", "at least 1"),
        "qty",
    ),
    case(
        "receive-second-line-bad-cost",
        receive(Line("SKU-1", 3, "1.00"), Line("SKU-2", 1, "-2")),
        ValidationError,
        ("unit cost on line 2", "negative"),
        "unit_cost",
    ),
]

PERMISSION_CASES = [
    case(
        "clerk-creates-product",
        new_product(actor=CLERK),
        PermissionDenied,
        ("clerk", "not allowed"),
        None,
    ),
    case(
        "clerk-edits-product",
        edit_product(actor=CLERK, name="Mine"),
        PermissionDenied,
        ("clerk", "not allowed"),
        None,
    ),
    case(
        "clerk-adds-barcode",
        add_barcode("CASE-X", actor=CLERK),
        PermissionDenied,
        ("clerk", "not allowed"),
        None,
    ),
    case(
        "clerk-creates-warehouse",
        new_warehouse(actor=CLERK),
        PermissionDenied,
        ("clerk", "not allowed"),
        None,
    ),
    case(
        "clerk-renames-category",
        lambda db, w: categories.rename_category(db, "Tools", "Tooling", CLERK),
        PermissionDenied,
        ("clerk", "not allowed"),
        None,
    ),
]

ALL_CASES = (
    QUANTITY_CASES
    + COUNT_CASES
    + UNKNOWN_CASES
    + TRANSFER_CASES
    + TEXT_CASES
    + GTIN_CASES
    + MONEY_CASES
    + CONFLICT_CASES
    + RESERVATION_CASES
    + STOCK_RULE_CASES
    + MULTI_LINE_CASES
    + PERMISSION_CASES
)


@pytest.mark.parametrize(("call", "error", "words", "field", "attrs"), ALL_CASES)
def test_bad_input_is_refused_clearly_and_changes_nothing(
    shared_world, call, error, words, field, attrs
):
    db, world, before = shared_world.use()

    with pytest.raises(InvdeskError) as raised:
        call(db, world)

    assert snapshot(db) == before
    shared_world.suspect = False
    err = raised.value
    assert type(err) is error, err.message
    assert err.exit_code == EXIT_CODES[error]
    for word in words:
        assert word.lower() in err.message.lower(), err.message
    assert err.field == field
    for name, value in attrs.items():
        assert getattr(err, name) == value


# --- an expired hold: the refusal leaves exactly one recorded change, the expiry ----------------


def _later(db: Database, hours: int) -> None:
    at = datetime.now(UTC) + timedelta(hours=hours)
    db.clock = lambda: at


@pytest.mark.parametrize("finish", [reservations.commit, reservations.release])
def test_finishing_an_expired_hold_is_refused_and_its_stock_is_released_once(changed_world, finish):
    db, world, before = changed_world
    _later(db, 2)  # the hold was for an hour

    with pytest.raises(ValidationError) as raised:
        finish(db, world.active_hold, ACTOR)

    assert "expired" in raised.value.message
    assert "released" in raised.value.message
    assert raised.value.field == "reservation"
    after = snapshot(db)
    assert after["ledger_rows"] == before["ledger_rows"] + 1
    (row,) = queries.history(db, ACTOR, LedgerFilter(limit=1))
    assert row.kind is MovementKind.EXPIRE
    assert (row.sku, row.warehouse, row.reservation_id) == ("SKU-1", "MAIN", world.active_hold)
    assert (row.qty, row.units, row.reserved_delta, row.balance_after) == (0, 2, -2, 10)
    assert after["levels"] == [
        replace(level, reserved=0) if (level.sku, level.warehouse) == ("SKU-1", "MAIN") else level
        for level in before["levels"]
    ]
    assert after["request_ids"] == before["request_ids"] + 1  # the expiry's own request id
    expired = {r.id: r for r in after["reservations"]}[world.active_hold]
    assert expired.status is ReservationStatus.EXPIRED
    assert [r for r in after["reservations"] if r.id != world.active_hold] == [
        r for r in before["reservations"] if r.id != world.active_hold
    ]
    for unchanged in ("products", "categories", "warehouses"):
        assert after[unchanged] == before[unchanged]


def test_an_expired_hold_refused_twice_is_released_only_once(changed_world):
    db, world, _ = changed_world
    _later(db, 2)
    with pytest.raises(ValidationError, match="expired"):
        reservations.commit(db, world.active_hold, ACTOR)
    once = snapshot(db)

    with pytest.raises(ValidationError) as again:
        reservations.commit(db, world.active_hold, ACTOR)

    assert "already expired" in again.value.message
    assert snapshot(db) == once
    expiries = queries.history(db, ACTOR, LedgerFilter(kinds=(MovementKind.EXPIRE,)))
    assert len(expiries) == 1


def test_editing_a_sku_to_one_with_spaces_is_refused_and_changes_nothing(changed_world):
    db, _, before = changed_world

    with pytest.raises(ValidationError) as raised:
        products.edit_product(db, EditProduct("SKU-1", new_sku="AB 12"), ACTOR)

    assert "spaces" in raised.value.message
    assert raised.value.field == "sku"
    assert snapshot(db) == before


def test_duplicate_request_is_a_conflict_with_the_conflict_exit_code():
    assert issubclass(DuplicateRequest, Conflict)
    assert DuplicateRequest("x").exit_code == Conflict("x").exit_code == 5


def test_insufficient_stock_carries_available_and_requested():
    err = InsufficientStock("short", available=3, requested=5)
    assert (err.available, err.requested, err.field, err.exit_code) == (3, 5, "qty", 3)
