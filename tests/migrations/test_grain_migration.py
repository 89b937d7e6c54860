"""The stock-grain step (0012) keeps every unit: a demo database taken back to 0011 and
upgraded again holds each counter as one quant in the default location, and verifies clean."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import func, select, text

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.db.tables import level_t, quant_t
from invdesk.domain.security import SYSTEM
from invdesk.services.demo.loader import load_demo
from invdesk.services.trust import verify


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/demo.db"
    else:
        url = request.getfixturevalue("pg_database_factory")()
    db = Database.open(url)
    migrate.upgrade(db)
    load_demo(db, SYSTEM, days=21)
    yield db
    db.dispose()


def _levels(db: Database) -> list[tuple[int, int, int, int]]:
    c = level_t.c
    with db.read() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(c.product_id, c.warehouse_id, c.on_hand, c.reserved).order_by(
                    c.product_id, c.warehouse_id
                )
            )
        ]


def test_upgrading_an_existing_database_keeps_every_unit(demo_db):
    before = _levels(demo_db)
    config = migrate.alembic_config()
    with demo_db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        assert conn.execute(text("SELECT count(*) FROM stock_level")).scalar_one() == len(before)
    migrate.upgrade(demo_db)

    assert _levels(demo_db) == before
    q = quant_t.c
    with demo_db.read() as conn:
        quants = conn.execute(
            select(q.product_id, q.warehouse_id, q.location_id, q.lot_id, q.on_hand).order_by(
                q.product_id, q.warehouse_id
            )
        ).all()
        held = conn.execute(select(func.sum(q.on_hand))).scalar_one()
    assert [(p, w, oh) for p, w, loc, lot, oh in quants] == [(p, w, oh) for p, w, oh, _ in before]
    assert {(loc, lot) for _, _, loc, lot, _ in quants} == {(None, None)}
    assert held == sum(on_hand for _, _, on_hand, _ in before) > 0
    report = verify.verify_all(demo_db, SYSTEM)
    assert report.discrepancies == [] and report.findings == []
