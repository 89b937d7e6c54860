"""Domain events and their subscribers: collected inside a transaction, published after its commit.

Stock code only *collects* events; who listens (the GUI, a log, a notifier for other PCs)
subscribes here, so adding a listener never touches stock code. The events that matter outside
(webhooks, e-mail, SSE) are also written to the outbox before the commit, in the same transaction.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from invdesk.db.engine import AfterCommit, Database
from invdesk.services.stock import outbox

log = logging.getLogger(__name__)
_KEY = "invdesk.events"


@dataclass(frozen=True)
class Event:
    """Something that happened in a committed transaction."""

    @property
    def kind(self) -> str:
        """The entity kind other PCs refresh for it: stock, alert, order, policy, catalog, admin."""
        return "stock"

    @property
    def key(self) -> object:
        return None

    def outbound(self) -> outbox.Outbound | None:
        """What webhooks, e-mail and SSE get of it (written to the outbox), or None: internal."""
        return None


@dataclass(frozen=True)
class StockChanged(Event):
    movement_id: int
    product_id: int
    warehouse_id: int
    sku: str
    warehouse: str
    movement_kind: str = ""
    qty: int = 0
    reserved_delta: int = 0
    on_hand: int = 0

    @property
    def key(self) -> object:
        return (self.product_id, self.warehouse_id)

    def outbound(self) -> outbox.Outbound:
        data = {
            "movement_id": self.movement_id,
            "sku": self.sku,
            "warehouse": self.warehouse,
            "kind": self.movement_kind,
            "qty": self.qty,
            "reserved_delta": self.reserved_delta,
            "on_hand": self.on_hand,
        }
        return outbox.Outbound("stock.changed", data, warehouse=self.warehouse)


@dataclass(frozen=True)
class AlertEvent(Event):
    """An alert of one stock row changed; other PCs re-read that alert."""

    alert_id: int
    product_id: int
    warehouse_id: int

    @property
    def kind(self) -> str:
        return "alert"

    @property
    def key(self) -> object:
        return self.alert_id

    def outbound(self) -> outbox.Outbound:
        # Named by ids only: the outbox adds the SKU and warehouse code (a rare write).
        change = type(self).__name__.removeprefix("Alert").lower()
        data = {"alert_id": self.alert_id, "product_id": self.product_id}
        return outbox.Outbound(f"alert.{change}", data, warehouse_id=self.warehouse_id)


@dataclass(frozen=True)
class AlertRaised(AlertEvent):
    sku: str
    warehouse: str
    alert_kind: str
    available: int

    def outbound(self) -> outbox.Outbound:
        data = {
            "alert_id": self.alert_id,
            "sku": self.sku,
            "warehouse": self.warehouse,
            "kind": self.alert_kind,
            "available": self.available,
        }
        return outbox.Outbound("alert.raised", data, warehouse=self.warehouse)


@dataclass(frozen=True)
class AlertResolved(AlertEvent):
    pass


@dataclass(frozen=True)
class AlertAcknowledged(AlertEvent):
    pass


@dataclass(frozen=True)
class OrderChanged(Event):
    order_id: int
    reference: str
    status: str

    @property
    def kind(self) -> str:
        return "order"

    @property
    def key(self) -> object:
        return self.order_id

    def outbound(self) -> outbox.Outbound:
        # The outbox adds the order's warehouses (from its lines).
        data = {"order_id": self.order_id, "reference": self.reference, "status": self.status}
        return outbox.Outbound("order.changed", data, order_id=self.order_id)


@dataclass(frozen=True)
class PolicyChanged(Event):
    warehouse_id: int

    @property
    def kind(self) -> str:
        return "policy"

    @property
    def key(self) -> object:
        return self.warehouse_id


@dataclass(frozen=True)
class AdminChanged(Event):
    """API tokens, webhooks or their deliveries changed (the Admin page's lists): "token",
    "webhook" or "delivery". Internal: a live-update hint only, never sent out."""

    what: str

    @property
    def kind(self) -> str:
        return "admin"


@dataclass(frozen=True)
class PurchasingChanged(Event):
    """A purchase order was created, changed, sent or cancelled (its id). Internal: a live-update
    hint for other PCs' purchasing pages, never sent out."""

    po_id: int

    @property
    def kind(self) -> str:
        return "purchasing"

    @property
    def key(self) -> object:
        return self.po_id


Handler = Callable[[list[Event]], None]


class EventBus:
    """Subscribers of one database. Handlers run on the committing thread and must return quickly."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Replaced, never changed in place: publish() reads it without taking the lock.
        self._handlers: tuple[Handler, ...] = ()

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call handler(events) after each commit that produced events; returns an unsubscribe."""
        with self._lock:
            self._handlers = (*self._handlers, handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    handlers = list(self._handlers)
                    handlers.remove(handler)
                    self._handlers = tuple(handlers)

        return unsubscribe

    def publish(self, events: list[Event]) -> None:
        if not events:
            return
        for handler in self._handlers:
            try:
                handler(events)
            except Exception:  # a broken subscriber must not fail a committed operation
                log.exception("event subscriber %r failed", handler)


_buses: weakref.WeakKeyDictionary[Engine, EventBus] = weakref.WeakKeyDictionary()
_buses_lock = threading.Lock()


def bus(db: Database) -> EventBus:
    """The event bus of a database (one per engine, so per open database in this process)."""
    found = _buses.get(db.engine)  # after its first use a bus is only read: no lock needed
    if found is not None:
        return found
    with _buses_lock:
        found = _buses.get(db.engine)
        if found is None:
            found = _buses[db.engine] = EventBus()
        return found


def subscribe(db: Database, handler: Handler) -> Callable[[], None]:
    return bus(db).subscribe(handler)


def collect(conn: Connection, event: Event) -> None:
    """Queue an event for after the commit of `conn`'s transaction (dropped if it rolls back)."""
    pending = conn.info.get(_KEY)
    if pending is not None:
        pending.append(event)


def run[T](db: Database, work: Callable[[Connection], T | AfterCommit]) -> T:
    """`db.run(work)`, then publish the events the committed attempt collected."""
    committed: list[Event] = []

    def attempt(conn: Connection) -> T | AfterCommit:
        pending: list[Event] = []
        info = conn.info
        info[_KEY] = pending
        try:
            result = work(conn)
            if pending:
                # In this transaction: the events commit with the change, or neither does.
                outbox.write(conn, db.now(), pending)
        finally:
            # A dropped connection is invalidated (and discarded); touching its info would raise
            # over the disconnect error that Database.run needs to see to retry.
            if not conn.invalidated:
                info.pop(_KEY, None)
        committed[:] = pending
        return result

    return db.run(attempt, after_commit=lambda: bus(db).publish(committed))
