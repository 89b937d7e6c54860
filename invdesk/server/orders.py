"""/api/v1/orders: place (all lines held or none), look up, fulfil and cancel orders."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath

from invdesk.domain.tokens import TokenGrant
from invdesk.server import examples, metrics, schemas
from invdesk.server.inventory import IdempotencyKey
from invdesk.server.posting import answer
from invdesk.server.state import state_of
from invdesk.services.channels import orders as channel_orders

_ORDER_ANSWERS = {**examples.COMMON, 404: examples.NOT_FOUND}


@post(
    "/orders",
    summary="Place an order: every line held, or none (409 names each short line). The same "
    "channel and reference again returns the first order (200)",
    status_code=201,
    sync_to_thread=True,
    responses={
        **_ORDER_ANSWERS,
        400: examples.BAD,
        409: examples.SHORT_SPEC,
        422: examples.INVALID,
    },
)
def place_order(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    data: Annotated[schemas.OrderIn, Body(examples=examples.example(examples.ORDER_IN))],
    body: bytes,
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    state = state_of(request)
    data = schemas.strictly(body, data)  # "qty": "5" is refused, not read as 5

    def work(_request_id: str | None) -> tuple[int, Any]:
        # The order's reference is its own request id: a retry never holds stock twice.
        view = channel_orders.place(
            state.db,
            grant,
            channel=data.channel,
            reference=data.reference,
            warehouse=data.warehouse,
            lines=[(line.sku, line.qty) for line in data.lines],
            hold_minutes=data.hold_minutes,
        )
        if view.replayed:
            return 200, schemas.order(view)
        metrics.STOCK_OPERATIONS.labels("reserve").inc(len(view.lines))
        return 201, schemas.order(view)

    return answer(state, grant, idempotency_key, ("orders", data), work)


@get(
    "/orders/{order_id:int}",
    summary="One order with its lines and the state of each line's hold",
    sync_to_thread=True,
    responses=_ORDER_ANSWERS,
)
def get_order(
    request: Request[Any, Any, Any], grant: NamedDependency[TokenGrant], order_id: FromPath[int]
) -> schemas.OrderOut:
    return schemas.order(channel_orders.get(state_of(request).db, grant, order_id))


def _close(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    order_id: FromPath[int],
    key: str | None,
    *,
    fulfil: bool,
) -> Response[bytes]:
    state = state_of(request)
    close = channel_orders.fulfil if fulfil else channel_orders.cancel

    def work(_request_id: str | None) -> tuple[int, Any]:
        view = close(state.db, grant, order_id)
        metrics.STOCK_OPERATIONS.labels("commit" if fulfil else "release").inc(len(view.lines))
        return 200, schemas.order(view)

    return answer(state, grant, key, ("fulfil" if fulfil else "cancel", order_id), work)


@post(
    "/orders/{order_id:int}/fulfil",
    summary="Fulfil an order: its holds become issues. Fulfilling a fulfilled order returns it",
    status_code=200,
    sync_to_thread=True,
    responses={**_ORDER_ANSWERS, 409: examples.CONFLICT},
)
def fulfil_order(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    order_id: FromPath[int],
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    return _close(request, grant, order_id, idempotency_key, fulfil=True)


@post(
    "/orders/{order_id:int}/cancel",
    summary="Cancel an order: its holds are released. Cancelling a fulfilled order is 409",
    status_code=200,
    sync_to_thread=True,
    responses={**_ORDER_ANSWERS, 409: examples.CONFLICT},
)
def cancel_order(
    request: Request[Any, Any, Any],
    grant: NamedDependency[TokenGrant],
    order_id: FromPath[int],
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    return _close(request, grant, order_id, idempotency_key, fulfil=False)


HANDLERS = [place_order, get_order, fulfil_order, cancel_order]
