"""A location cannot be deactivated while units are moving into it (both databases): the
deactivation waits for the receipt and then refuses, naming the units."""

from __future__ import annotations

import threading

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.catalog import locations
from invdesk.services.stock import ledger, operations
from invdesk.services.stock.operation import run_operation
from tests import support


def test_deactivating_a_location_waits_for_stock_going_in_then_refuses(db):
    support.warehouse(db)
    support.product(db, "BOLT")
    support.location(db, "MAIN", "A")
    inside, release = threading.Event(), threading.Event()

    planned = operations.plan_receive(ReceiveStock("MAIN", (Line("BOLT", 5, location="A"),)))

    def held_open(op: ledger.Op) -> object:
        rows = planned.apply(op)
        inside.set()
        release.wait(20)  # the receipt is written, not yet committed
        return rows

    def receive() -> None:
        run_operation(db, support.ACTOR, planned._replace(apply=held_open))

    outcome: list[str] = []

    def deactivate() -> None:
        try:
            locations.deactivate_location(db, "MAIN", "A", support.ACTOR)
            outcome.append("deactivated")
        except ValidationError as error:
            outcome.append(error.message)

    receiver = threading.Thread(target=receive)
    receiver.start()
    assert inside.wait(20)
    manager = threading.Thread(target=deactivate)
    manager.start()
    manager.join(0.5)
    still_waiting = manager.is_alive()
    release.set()
    receiver.join(20)
    manager.join(20)

    assert still_waiting, "the deactivation did not wait for the receipt"
    assert outcome == [
        "Location MAIN/A still holds 5 unit(s); move them out before deactivating it."
    ]
    assert support.quants(db, "BOLT") == {("A", None): 5}
