"""/api/v1/inventory and /api/v1/alerts: stock for channels, replenishment, alerts."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, HeaderParameter, QueryParameter

from invdesk.domain.channels import parse_utc
from invdesk.domain.tokens import TokenGrant
from invdesk.server import examples, metrics, schemas
from invdesk.server.posting import answer
from invdesk.server.state import state_of
from invdesk.services.channels import inventory as channel_inventory
from invdesk.services.channels import orders as channel_orders

# Every handler that reads or writes the database runs in a worker thread: a wait on the database
# (a busy server, a lock) then never stalls the other requests of the process. Measured on the
# loaded box: reads run on the event loop itself fell to one request per database round trip.
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Any unique string (a UUID): a retry with the same key and body gets the "
        "first answer; the same key with another body is refused (422).",
    ),
]


@get(
    "/inventory",
    summary="Stock rows, a page at a time (keyset paging; sync with updated_since)",
    sync_to_thread=True,
    responses={**examples.COMMON, 400: examples.BAD, 422: examples.INVALID},
    response_description="A page of stock rows and the cursor of the next page (null at the end)",
)
def inventory_list(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    warehouse: Annotated[str | None, QueryParameter(description="Warehouse code")] = None,
    sku: Annotated[str | None, QueryParameter(description="SKU prefix")] = None,
    updated_since: Annotated[
        str | None, QueryParameter(description="ISO 8601 time: only rows changed since then")
    ] = None,
    limit: Annotated[int | None, QueryParameter(description="1 to 1,000; default 100")] = None,
    cursor: Annotated[
        str | None, QueryParameter(description="next_cursor of the previous page")
    ] = None,
) -> schemas.InventoryPageOut:
    since = None if updated_since is None else parse_utc(updated_since, field="updated_since")
    page = channel_inventory.inventory_page(
        state_of(request).db,
        grant,
        warehouse=warehouse,
        sku_prefix=sku,
        updated_since=since,
        limit=limit,
        cursor=cursor,
    )
    return schemas.inventory_page(page)


@get(
    "/inventory/{code:str}",
    summary="One product by SKU or any of its barcodes, with its stock per warehouse",
    description="At most 1 s behind the database (see README, “How fresh a GET is”).",
    responses={**examples.COMMON, 404: examples.NOT_FOUND},
)
async def inventory_item(
    request: Request[Any, Any, Any], grant: NamedDependency[TokenGrant], code: FromPath[str]
) -> schemas.ProductStockOut:
    # On the event loop when the process's read cache has the answer (most requests: a channel
    # asks for the same products again and again); the database read runs in a worker thread.
    cache = state_of(request).stock_cache
    found = cache.cached(grant, code)
    if found is None:
        metrics.READ_CACHE.labels("miss").inc()
        found = await anyio.to_thread.run_sync(cache.product_stock, grant, code)
    else:
        metrics.READ_CACHE.labels("hit").inc()
    return schemas.product_stock(found)


@post(
    "/inventory/replenish",
    summary="Receive stock into a warehouse (scope stock); 201 with the ledger movement",
    status_code=201,
    sync_to_thread=True,
    responses={
        **examples.COMMON,
        400: examples.BAD,
        404: examples.NOT_FOUND,
        422: examples.INVALID,
    },
)
def replenish(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    data: Annotated[schemas.ReplenishIn, Body(examples=examples.example(examples.REPLENISH))],
    body: bytes,
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    state = state_of(request)
    data = schemas.strictly(body, data)  # "qty": "5" is refused, not read as 5

    def work(request_id: str | None) -> tuple[int, Any]:
        moved = channel_inventory.replenish(
            state.db,
            grant,
            sku=data.sku,
            warehouse=data.warehouse,
            qty=data.qty,
            reference=data.reference,
            unit_cost=data.unit_cost,
            request_id=request_id,
        )
        metrics.STOCK_OPERATIONS.labels("receive").inc()
        return 201, schemas.movement(moved)

    return answer(state, grant, idempotency_key, ("replenish", data), work)


@get(
    "/alerts",
    summary="Stock alerts (default: open and acknowledged) in the token's warehouses",
    sync_to_thread=True,
    responses={**examples.COMMON, 422: examples.INVALID},
)
def alerts(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    status: Annotated[
        str | None, QueryParameter(description="open, acknowledged or resolved")
    ] = None,
    warehouse: Annotated[str | None, QueryParameter(description="Warehouse code")] = None,
) -> schemas.AlertsOut:
    found = channel_orders.list_alerts(
        state_of(request).db, grant, status=status, warehouse=warehouse
    )
    return schemas.alerts(found)


HANDLERS = [inventory_list, inventory_item, replenish, alerts]
