"""`invdesk reorder/alerts/policy/order` on the command line, and reorder on the demo data."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.catalog import suppliers
from invdesk.services.demo import loader
from invdesk.services.system.database import open_database
from tests.cli.conftest import Invdesk, assert_one_line_error, sqlite_url

RANK = {"product": 0, "category": 1, "warehouse": 2}
LEADS: dict[str, int] = {}
"""SKU -> the preferred supplier's lead time in days, as the demo set them (read once)."""


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> Invdesk:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db: Database = open_database(sqlite_url(path))
    try:
        loader.load_demo(db, SYSTEM, days=45)
        LEADS.update(
            (link.sku, link.effective_lead_days)
            for link in suppliers.supplier_links(db, SYSTEM)
            if link.preferred and link.effective_lead_days is not None
        )
    finally:
        db.dispose()
    return Invdesk(sqlite_url(path), CliRunner())


def _expected(invdesk: Invdesk, now: datetime) -> dict[tuple[str, str], tuple[str, int]]:
    """(warehouse, sku) -> (policy kind, units to order), computed here from the raw data."""
    category = {
        p["sku"]: p["category"] for p in invdesk.json("product", "list", "--limit", "100000")
    }
    policies = {
        (p["warehouse"], p["scope"], p["target"]): p for p in invdesk.json("policy", "list")
    }
    issues = invdesk.json("history", "--kind", "issue", "--limit", "100000")
    wanted = {}
    for row in invdesk.json("stock", "--all"):
        # What is on order (sent POs) counts as if it were here: it is not suggested twice.
        wh, sku, available = row["warehouse"], row["sku"], row["available"] + row["on_order"]
        if sku not in category:
            continue  # inactive products are not reordered
        candidates = [
            policies.get((wh, "product", sku)),
            policies.get((wh, "category", category[sku])),
            policies.get((wh, "warehouse", None)),
        ]
        policy = next((p for p in candidates if p is not None), None)
        if policy is None:
            continue
        rule = policy["rule"]
        if rule["kind"] == "reorder_point":
            qty = rule["qty"] if available <= rule["point"] else 0
        elif rule["kind"] == "min_max":
            qty = rule["level"] - available if available < rule["point"] else 0
        else:
            since = now - timedelta(days=rule["lookback_days"])
            units = sum(
                m["units"]
                for m in issues
                if m["sku"] == sku
                and m["warehouse"] == wh
                and datetime.fromisoformat(m["at"]) >= since
            )
            per_day = units / rule["lookback_days"]
            cover = max(rule["cover_days"], LEADS.get(sku, 0))  # an order arrives after the lead
            target = max(rule["target_days"], cover)
            below = per_day > 0 and available < math.ceil(per_day * cover)
            qty = max(0, math.ceil(per_day * target) - available) if below else 0
        if qty:
            wanted[(wh, sku)] = (rule["kind"], qty)
    return wanted


def test_reorder_json_on_the_demo_data_follows_each_policy(demo_cli):
    now = datetime.now(UTC)
    suggestions = demo_cli.json("reorder")
    expected = _expected(demo_cli, now)
    got: dict[tuple[str, str], tuple[str, int]] = {}
    for s in suggestions:
        kind, qty = got.get((s["warehouse"], s["sku"]), (s["policy"], 0))
        got[(s["warehouse"], s["sku"])] = (kind, qty + s["suggested_qty"])
        assert s["action"] in ("transfer", "purchase")
        assert (s["action"] == "transfer") == (s["source"] is not None)
    assert got == expected
    kinds = {kind for kind, _ in got.values()}
    assert kinds == {"reorder_point", "min_max", "days_of_cover"}
    scopes = {s["scope"] for s in suggestions}
    assert scopes == {"warehouse", "category", "product"}
    only_shop = demo_cli.json("reorder", "--warehouse", "shop")
    assert only_shop and {s["warehouse"] for s in only_shop} == {"SHOP"}


def test_alerts_json_lists_the_open_alerts_of_the_demo(demo_cli):
    found = demo_cli.json("alerts")
    assert found and {a["status"] for a in found} <= {"open", "acknowledged"}
    by_kind = defaultdict(int)
    for a in found:
        by_kind[a["kind"]] += 1
    assert set(by_kind) <= {"low_stock", "out_of_stock"}


def test_order_place_fulfil_cancel_list(stocked: Invdesk, tmp_path: Path):
    stocked.ok(
        "order", "place", "WEB-9", "CAB-001:5", "--warehouse", "MAIN", "--channel", "web_shop"
    )
    again = stocked.json(
        "order", "place", "WEB-9", "CAB-001:5", "--warehouse", "MAIN", "--channel", "web_shop"
    )
    assert again["replayed"] is True
    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 5, 113)
    stocked.ok("order", "fulfil", "WEB-9")
    assert stocked.levels()[("CAB-001", "MAIN")] == (113, 0, 113)
    source = tmp_path / "shop.csv"
    source.write_text("reference,sku,qty,warehouse\nPOS-1,CAB-001,2,MAIN\nPOS-1,TAPE-01,1,SHOP\n")
    (placed,) = stocked.json("order", "place", "--file", str(source), "--channel", "pos")
    assert [line["warehouse"] for line in placed["lines"]] == ["MAIN", "SHOP"]
    stocked.ok("order", "place", "--file", str(source), "--channel", "pos")  # again: one order
    orders = stocked.json("order", "list")
    assert [o["reference"] for o in orders] == ["POS-1", "WEB-9"]
    stocked.ok("order", "cancel", "POS-1")
    assert stocked.levels()[("TAPE-01", "SHOP")] == (7, 0, 7)
    doc = tmp_path / "m.json"
    doc.write_text(
        json.dumps(
            {
                "reference": "MP-1",
                "channel": "marketplace",
                "warehouse": "MAIN",
                "lines": [{"sku": "CAB-001", "qty": 1}, {"sku": "TAPE-01", "qty": 99}],
            }
        )
    )
    result = stocked("order", "place", "--file", str(doc))
    assert "nothing was reserved" in assert_one_line_error(result, 3)
    assert stocked.levels()[("CAB-001", "MAIN")] == (113, 0, 113)


def test_policy_set_list_and_alerts_follow(stocked: Invdesk):
    stocked.ok("policy", "set", "SHOP", "--kind", "min_max", "--min", "10", "--max", "30")
    (alert,) = stocked.json("alerts")
    assert (alert["sku"], alert["kind"]) == ("TAPE-01", "low_stock")
    (s,) = stocked.json("reorder", "-w", "SHOP")
    assert (s["sku"], s["suggested_qty"], s["policy"]) == ("TAPE-01", 23, "min_max")
    assert len(stocked.json("policy", "list")) == 1
    stocked.ok("alerts", "ack", str(alert["id"]))
    assert stocked.json("alerts")[0]["status"] == "acknowledged"
    result = stocked("policy", "set", "SHOP", "--kind", "min_max", "--min", "10", "--max", "5")
    assert_one_line_error(result, 2)
