"""The server's stock read cache: dropped by a change at once, never kept past its bound, and never
keeping a read that may have missed a change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invdesk.db.engine import Database
from invdesk.domain.channels import ProductStock
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.tokens import Scope, TokenGrant
from invdesk.services.channels import stock_cache
from invdesk.services.channels.stock_cache import StockCache
from invdesk.services.stock import events
from invdesk.services.system import live
from tests import support

READER = TokenGrant("reader", frozenset({Scope.READ}), None)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stocked(db: Database) -> Database:
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "A-1", barcodes=(("4006381333931", 1),))
    support.product(db, "B-2")
    support.stocked(db, "A-1", 10, "MAIN")
    support.stocked(db, "A-1", 4, "SHOP")
    support.stocked(db, "B-2", 7, "MAIN")
    return db


@pytest.fixture
def cache(stocked: Database) -> Iterator[tuple[StockCache, Clock]]:
    clock = Clock()
    found = StockCache(stocked, clock=clock)
    # What the server's listener does for this process's own commits.
    unsubscribe = events.subscribe(stocked, lambda batch: found.changed(live.change_of(batch)))
    yield found, clock
    unsubscribe()


def _main(stock: ProductStock) -> int:
    return next(w.on_hand for w in stock.warehouses if w.warehouse == "MAIN")


def test_an_answer_is_kept_and_a_change_here_drops_it_at_once(
    stocked: Database, cache: tuple[StockCache, Clock]
) -> None:
    found, _clock = cache
    assert found.cached(READER, "A-1") is None
    first = found.product_stock(READER, "A-1")
    assert (first.available, _main(first)) == (14, 10)
    assert found.cached(READER, "A-1") == first
    support.stocked(stocked, "B-2", 1, "MAIN")  # another product: A-1's answer stays
    assert found.cached(READER, "A-1") == first
    support.stocked(stocked, "A-1", 5, "MAIN")
    assert found.cached(READER, "A-1") is None
    assert _main(found.product_stock(READER, "A-1")) == 15


def test_an_answer_by_barcode_is_dropped_with_its_product(
    stocked: Database, cache: tuple[StockCache, Clock]
) -> None:
    found, _clock = cache
    assert found.product_stock(READER, "4006381333931").sku == "A-1"
    assert found.cached(READER, "4006381333931") is not None
    support.stocked(stocked, "A-1", 1, "SHOP")
    assert found.cached(READER, "4006381333931") is None


def test_an_answer_is_never_kept_past_the_bound(
    db_url: str, stocked: Database, cache: tuple[StockCache, Clock]
) -> None:
    found, clock = cache
    found.product_stock(READER, "A-1")
    # Another process changes the stock and this one hears nothing (a lost hint).
    with Database.open(db_url) as elsewhere:
        support.stocked(elsewhere, "A-1", 3, "MAIN")
    clock.now += stock_cache.MAX_STALENESS_S * 0.99
    assert found.cached(READER, "A-1") is None  # one request is sent to read it again
    assert found.cached(READER, "A-1") is not None  # the others are still answered with it
    clock.now += stock_cache.MAX_STALENESS_S * 0.02
    assert found.cached(READER, "A-1") is None
    assert _main(found.product_stock(READER, "A-1")) == 13


def test_a_read_that_began_before_a_change_is_not_kept(
    monkeypatch: pytest.MonkeyPatch, stocked: Database, cache: tuple[StockCache, Clock]
) -> None:
    found, _clock = cache
    read = stock_cache.every_warehouse

    def read_then_change(db: Database, code: str) -> tuple[int, ProductStock]:
        answer = read(db, code)  # the old stock...
        support.stocked(stocked, "A-1", 2, "MAIN")  # ...and a change lands before it is kept
        return answer

    monkeypatch.setattr(stock_cache, "every_warehouse", read_then_change)
    assert _main(found.product_stock(READER, "A-1")) == 10
    assert found.cached(READER, "A-1") is None
    monkeypatch.setattr(stock_cache, "every_warehouse", read)
    assert _main(found.product_stock(READER, "A-1")) == 12


def test_a_token_limited_to_warehouses_sees_only_them_in_a_kept_answer(
    cache: tuple[StockCache, Clock],
) -> None:
    found, _clock = cache
    shop = TokenGrant("shop", frozenset({Scope.READ}), frozenset({"SHOP"}))
    assert found.product_stock(READER, "A-1").available == 14  # kept with every warehouse
    limited = found.cached(shop, "A-1")
    assert limited is not None
    assert [w.warehouse for w in limited.warehouses] == ["SHOP"] and limited.available == 4
    seller = TokenGrant("seller", frozenset({Scope.ORDERS}), None)
    with pytest.raises(PermissionDenied, match="read"):
        found.cached(seller, "A-1")


def test_a_catalog_or_unnamed_stock_change_clears_everything(
    cache: tuple[StockCache, Clock],
) -> None:
    found, _clock = cache
    found.product_stock(READER, "A-1")
    found.product_stock(READER, "B-2")
    found.changed(live.Change(frozenset({"catalog"}), {"catalog": (1,)}))
    assert found.cached(READER, "A-1") is None and found.cached(READER, "B-2") is None
    found.product_stock(READER, "A-1")
    found.changed(live.Change(frozenset({"stock"}), {}))
    assert found.cached(READER, "A-1") is None


def test_a_busy_answer_is_read_again_by_one_request_while_the_others_keep_it(
    db_url: str, cache: tuple[StockCache, Clock]
) -> None:
    found, clock = cache
    first = found.product_stock(READER, "A-1")
    with Database.open(db_url) as elsewhere:
        support.stocked(elsewhere, "A-1", 3, "MAIN")
    clock.now += stock_cache.MAX_STALENESS_S * stock_cache.REFRESH_AFTER
    assert found.cached(READER, "A-1") is None  # this request reads it again...
    assert found.cached(READER, "A-1") == first  # ...the others still get the kept answer
    assert _main(found.product_stock(READER, "A-1")) == 13
    assert _main(found.cached(READER, "A-1")) == 13  # type: ignore[arg-type]
