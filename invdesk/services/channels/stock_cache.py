"""A server process's cache of one product's stock (GET /api/v1/inventory/{sku}), hard-bounded.

A channel polls the same few products again and again, and each answer from the database cost the
server ~1.7 ms of CPU (bench_serve). Here an answer is read from the database at most once per
MAX_STALENESS_S per product and process, and dropped as soon as this process learns the product's
stock changed: at once for a change made in this process (the event bus, before its HTTP answer
leaves), within a moment for one made elsewhere (services.system.live: NOTIFY hints and watermark checks
on PostgreSQL, `PRAGMA data_version` on SQLite).

The bound does not rest on those hints (one can be lost): an entry is kept MAX_STALENESS_S from
the moment its database read *began*, so an answer never misses a change committed more than
MAX_STALENESS_S before it was asked for (with a read replica, plus the replica's own lag bound).
Holds that expire by the clock, renamed products and moved barcodes are covered by that bound too.

A busy product never has all its requests wait on the database at once: past half its life an
answer is read again by one request while the others are still answered with it, and requests
that find no answer wait for a read already in flight (one that began since the last change).
Only this read uses the cache: orders and stock changes lock their rows in the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from invdesk.db.engine import Database
from invdesk.db.listen import Change
from invdesk.domain.channels import ProductStock
from invdesk.domain.tokens import Scope, TokenGrant
from invdesk.services.channels.inventory import every_warehouse, visible_stock

# How far behind the database an answer may be, at most (seconds).
MAX_STALENESS_S = 1.0
# A kept answer this far into its life is read again by the next request for it, while the
# others are still answered with it: a busy product never has every request wait on the database
# at once (as they all would when its answer ran out).
REFRESH_AFTER = 0.5  # of MAX_STALENESS_S
MAX_ENTRIES = 50_000  # products; past it the cache starts again empty (bounded memory)
Found = tuple[int, ProductStock]  # product id, stock in every warehouse


@dataclass(frozen=True)
class _Entry:
    expires: float  # monotonic time
    refresh: float  # monotonic time
    product_id: int
    stock: ProductStock  # every warehouse; a token's limits are applied when answering


@dataclass(frozen=True)
class _Load:
    """A database read in flight: requests for the same code wait for it instead of reading."""

    began: float
    serial: int
    done: Future[Found]


class StockCache:
    """Per-process answers of `product_stock`, keyed by the code asked for (SKU or barcode)."""

    def __init__(
        self,
        db: Database,
        *,
        max_staleness_s: float = MAX_STALENESS_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.max_staleness_s = max_staleness_s
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._codes: dict[int, set[str]] = {}  # product id -> codes cached for it
        self._loading: dict[str, _Load] = {}
        self._refreshing: set[str] = set()  # codes whose answer a request is reading again
        self._lock = threading.Lock()
        # Invalidations are numbered: a read that began before one for its product (or before
        # a clear) is not kept, since it may have read the stock as it was before that change.
        self._serial = 0
        self._dropped_at: dict[int, int] = {}  # product id -> serial of its last invalidation
        self._cleared_at = 0

    def cached(self, grant: TokenGrant, code: str) -> ProductStock | None:
        """The answer for `grant` if one younger than the bound is kept (no I/O: safe on an
        event loop); None: call `product_stock`. Raises PermissionDenied without the read scope."""
        grant.require(Scope.READ)
        entry = self._entries.get(code)
        if entry is None:
            return None
        now = self._clock()
        if entry.expires <= now:
            return None
        if entry.refresh <= now and code not in self._refreshing:
            with self._lock:
                if code not in self._refreshing:  # this request reads it again
                    self._refreshing.add(code)
                    return None
        return visible_stock(entry.stock, grant)

    def product_stock(self, grant: TokenGrant, code: str) -> ProductStock:
        """Read the product's stock from the database (or wait for a read of it already in
        flight that began since the last change), keep it, and answer `grant` with it. Raises
        NotFound for an unknown code (not kept), PermissionDenied without the read scope."""
        grant.require(Scope.READ)
        now = self._clock()
        with self._lock:
            load = self._loading.get(code)
            # Joined only if nothing changed since it began, and it began within the bound.
            joined = (
                load is not None
                and load.serial == self._serial
                and load.began + self.max_staleness_s > now
            )
            if not joined:
                load = self._loading[code] = _Load(now, self._serial, Future())
        assert load is not None
        if joined:
            return visible_stock(load.done.result()[1], grant)
        try:
            found = every_warehouse(self.db, code)
        except BaseException as error:
            load.done.set_exception(error)
            raise
        finally:
            with self._lock:
                if self._loading.get(code) is load:
                    del self._loading[code]
                self._refreshing.discard(code)
        load.done.set_result(found)
        self._keep(code, load, found)
        return visible_stock(found[1], grant)

    def _keep(self, code: str, load: _Load, found: Found) -> None:
        product_id, stock = found
        life = self.max_staleness_s
        entry = _Entry(load.began + life, load.began + life * REFRESH_AFTER, product_id, stock)
        with self._lock:
            if self._cleared_at > load.serial or self._dropped_at.get(product_id, 0) > load.serial:
                return  # a change came while it was read: it may not show it
            if len(self._entries) >= MAX_ENTRIES:
                self._clear()
            self._entries[code] = entry
            self._codes.setdefault(product_id, set()).add(code)

    def changed(self, change: Change) -> None:
        """Drop what `change` names (services.system.live's callback; runs on any thread)."""
        if "catalog" in change.kinds:  # a renamed product or a moved barcode: anything
            self.clear()
            return
        if "stock" not in change.kinds:
            return
        rows = change.ids.get("stock", ())
        if not rows:  # "some stock changed": everything
            self.clear()
            return
        with self._lock:
            self._serial += 1
            for row in rows:
                product_id = row[0]  # (product id, warehouse id)
                self._dropped_at[product_id] = self._serial
                for code in self._codes.pop(product_id, ()):
                    self._entries.pop(code, None)

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._serial += 1
        self._cleared_at = self._serial
        self._entries.clear()
        self._codes.clear()
        self._dropped_at.clear()  # the clear covers every earlier invalidation
