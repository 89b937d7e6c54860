"""Code that runs inside worker processes of the race tests (importable by spawned children)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util

from invdesk.db.engine import Database
from invdesk.domain.errors import InsufficientStock, ValidationError
from invdesk.domain.security import Actor
from invdesk.domain.stock import IssueStock, Line, ReserveStock, TransferStock
from invdesk.services.stock import operations, reservations

_db: Database | None = None
_url: str | None = None
_closes_at_exit = False


def _database(url: str) -> Database:
    """This worker's database for `url`, opened on first use and reopened when a test moves on
    to another file. A worker process closes it when it exits (multiprocessing ends workers with
    os._exit, which skips atexit and garbage collection)."""
    global _db, _url, _closes_at_exit
    if _db is None or url != _url:
        close()
        _db, _url = Database.open(url), url
        if multiprocessing.parent_process() is not None and not _closes_at_exit:
            multiprocessing.util.Finalize(None, close, exitpriority=10)
            _closes_at_exit = True
    return _db


def use(db: Database, url: str) -> None:
    """Let the worker functions run on `db` for `url` in this process (threads on PostgreSQL)."""
    global _db, _url
    close()
    _db, _url = db, url


def close() -> None:
    """Dispose of the worker database: an engine dropped unclosed leaks its SQLite connections."""
    global _db, _url
    if _db is not None:
        _db.dispose()
    _db, _url = None, None


def issue_one(url: str, sku: str, wh: str, worker: int) -> str:
    try:
        operations.issue(_database(url), IssueStock(wh, (Line(sku, 1),)), Actor(f"clerk{worker}"))
    except InsufficientStock:
        return "short"
    return "ok"


def reserve_one(url: str, sku: str, wh: str, worker: int) -> str:
    try:
        reservations.reserve(_database(url), ReserveStock(sku, wh, 1), Actor(f"clerk{worker}"))
    except InsufficientStock:
        return "short"
    return "ok"


def reserve_or_issue_one(url: str, sku: str, wh: str, worker: int) -> str:
    """Even workers reserve a unit, odd ones issue one: both compete for the same available units."""
    return (reserve_one if worker % 2 == 0 else issue_one)(url, sku, wh, worker)


def finish_hold(url: str, reservation_id: int, worker: int) -> str:
    """Even workers commit the hold, odd ones release it; only one of them can succeed."""
    action = reservations.commit if worker % 2 == 0 else reservations.release
    try:
        action(_database(url), reservation_id, Actor(f"clerk{worker}"))
    except ValidationError:
        return "refused"
    return "committed" if worker % 2 == 0 else "released"


def reserve_with_request(url: str, sku: str, wh: str, request_id: str) -> int:
    held = reservations.reserve(
        _database(url), ReserveStock(sku, wh, 3, request_id=request_id), Actor("clerk")
    )
    return held.id


def transfer_lines(url: str, source: str, destination: str, skus: list[str], worker: int) -> str:
    lines = tuple(Line(sku, 1) for sku in skus)
    try:
        operations.transfer(
            _database(url), TransferStock(source, destination, lines), Actor(f"clerk{worker}")
        )
    except InsufficientStock:
        return "short"
    return "ok"


def issue_with_request(url: str, sku: str, wh: str, request_id: str) -> tuple[int, ...]:
    result = operations.issue(
        _database(url), IssueStock(wh, (Line(sku, 1),), request_id=request_id), Actor("clerk")
    )
    return tuple(m.id for m in result.movements)


def total_on_hand(db: Database, sku: str) -> int:
    """One product's on hand summed over every warehouse, read in one statement."""
    from sqlalchemy import func, select

    from invdesk.db.models import Product, StockLevel

    with db.read() as conn:
        return int(
            conn.execute(
                select(func.coalesce(func.sum(StockLevel.on_hand), 0))
                .join(Product, Product.id == StockLevel.product_id)
                .where(Product.sku == sku)
            ).scalar_one()
        )


def grain_one(url: str, sku: str, wh: str, worker: int) -> str:
    """At the stock grain: a third take by FEFO, a third name lot "A" (MILK) or location "A",
    a third move a unit from location A to B (not MILK: it has no locations, it takes by FEFO);
    all compete for the same units."""
    from invdesk.domain.stock import MoveStock
    from invdesk.services.stock import moves

    db, actor = _database(url), Actor(f"clerk{worker}")
    try:
        if worker % 3 == 2 and sku != "MILK":
            moves.move(db, MoveStock(sku, wh, "A", "B", 1), actor)
            return "moved"
        named = {"lot": "A"} if sku == "MILK" else {"location": "A"}
        line = Line(sku, 1, **named) if worker % 3 == 1 else Line(sku, 1)
        operations.issue(db, IssueStock(wh, (line,)), actor)
    except InsufficientStock:
        return "short"
    return "ok"


def receive_one(url: str, shipment_id: str, sku: str, worker: int) -> str:
    """One unit of a shipment arrives (the rest kept open); "over" once nothing is expected."""
    from invdesk.domain.transit import ReceivedLine, ReceiveShipment
    from invdesk.services.stock import transit

    cmd = ReceiveShipment(shipment_id, (ReceivedLine(sku, 1),), keep_open=True)
    try:
        transit.receive_shipment(_database(url), cmd, Actor(f"clerk{worker}"))
    except ValidationError:
        return "over"
    return "ok"


def receive_po_units(url: str, number: str, sku: str, qty: int, request_id: str) -> str:
    """A clerk books `qty` of a PO line (no confirmation): "ok", or "over" when that would pass
    the ordered quantity; retried by request id as a flaky network would."""
    from invdesk.domain.purchasing import OverReceipt, ReceivePurchase
    from invdesk.services.purchasing import receiving

    db = _database(url)
    cmd = ReceivePurchase(number, (Line(sku, qty),), request_id=request_id)
    try:
        receiving.receive_po(db, cmd, Actor(f"clerk-{request_id}"))
    except OverReceipt:
        return "over"
    return "ok"
