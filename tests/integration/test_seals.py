"""Seals and verify: a changed, removed, back-dated or mis-balanced row is found and named, on both
databases; PostgreSQL's sealing function and Python's hash agree; a seal never covers a row in flight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from invdesk.db.engine import Database
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services import audit_trail
from invdesk.services.stock import operations
from invdesk.services.trust import seals, verify
from tests import support

ACTOR = support.ACTOR
ODD = "tab\there, new\nline, back\\slash, \\N, naïve € 🙂"
PRINTABLE_ODD = ODD.replace("\t", " ").replace("\n", " ")  # a ledger reason refuses controls


def seal_all(db: Database) -> int:
    """Seal everything written so far (nothing is in flight here)."""
    return seals.seal(db, ACTOR)


@pytest.fixture
def busy(db):
    """A ledger with receipts and an issue whose reason has characters that need escaping, and an
    audit trail with a tab and a newline as well."""
    support.warehouse(db, "MAIN")
    support.product(db, "SKU-1")
    support.product(db, "SKU-2")
    operations.receive(db, ReceiveStock("MAIN", (Line("SKU-1", 20, "1.25"),)), ACTOR)
    operations.receive(db, ReceiveStock("MAIN", (Line("SKU-2", 5),)), ACTOR)
    operations.issue(
        db,
        IssueStock("MAIN", (Line("SKU-1", 3),), reference="ORDER-1", reason=PRINTABLE_ODD),
        ACTOR,
    )
    db.run(lambda conn: audit_trail.record(conn, ACTOR, db.now(), "edit", "product", "SKU-1", ODD))
    return db


def _raw(db: Database, *statements: str) -> None:
    """Statements as someone with the file or the owner's rights, past the append-only guards."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for name in ("movement", "audit_entry"):
                for op in ("update", "delete"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}_no_{op}"))
        for statement in statements:
            conn.execute(text(statement))


def _findings(db: Database, against=()) -> list[tuple[str, str]]:
    report = verify.verify_all(db, ACTOR, against)
    return [(f.check, f.describe()) for f in report.findings]


def test_sealed_ledger_and_audit_trail_verify_clean(busy):
    assert seal_all(busy) == 2  # one seal per trail

    report = verify.verify_all(busy, ACTOR)

    assert report.ok, report.lines()
    assert [(t.trail, t.rows, t.sealed) for t in report.trails] == [
        ("ledger", 3, 3),
        ("audit", 4, 4),  # a warehouse and two products created, one edit
    ]


def test_seals_chain_on_and_rows_after_the_last_seal_are_counted_unsealed(busy):
    seal_all(busy)
    operations.issue(busy, IssueStock("MAIN", (Line("SKU-2", 1),)), ACTOR)

    report = verify.verify_all(busy, ACTOR)
    assert report.ok
    assert (report.trails[0].rows, report.trails[0].sealed) == (4, 3)

    seal_all(busy)
    with busy.read() as conn:
        chain = list(seals.seals_of(conn, "ledger"))
    assert [(s.first_id, s.last_id) for s in chain] == [(1, 3), (4, 4)]
    assert chain[1].prev_hash == chain[0].hash
    assert verify.verify_all(busy, ACTOR).ok


def test_a_changed_ledger_row_breaks_its_seal_and_the_finding_names_the_rows(busy):
    seal_all(busy)
    _raw(busy, "UPDATE movement SET \"user\" = 'boss', qty = -1 WHERE id = 3")

    found = _findings(busy)

    assert ("seal", "ledger rows 1-3: seal 1 does not match: a row between ids 1 and 3 was "
            "changed after it was sealed") in found  # fmt: skip
    assert any(check == "balance" and "ledger row 3:" in text for check, text in found)


def test_a_removed_ledger_row_is_found(busy):
    seal_all(busy)
    _raw(busy, "DELETE FROM movement WHERE id = 2")

    (seal_finding,) = [t for c, t in _findings(busy) if c == "seal"]
    assert seal_finding.startswith("ledger rows 1-3: seal 1 covers 3 rows from id 1, but")
    assert "now has 2 there" in seal_finding


def test_a_changed_audit_entry_breaks_the_audit_seal(busy):
    seal_all(busy)
    _raw(busy, "UPDATE audit_entry SET \"user\" = 'nobody' WHERE id = 3")

    found = _findings(busy)

    assert found == [
        (
            "seal",
            "audit trail rows 1-4: seal 2 does not match: a row between ids 1 and 4 was "
            "changed after it was sealed",
        )
    ]


def test_a_row_whose_balance_does_not_follow_is_named(busy):
    _raw(
        busy,
        'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
        "VALUES ('forged', 'issue', 'x', 'boss', CURRENT_TIMESTAMP)",
        "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
        "balance_after, \"user\", at, request_id) SELECT 'issue', product_id, warehouse_id, "
        "-1, 0, 1, 50, 'boss', at, 'forged' FROM movement WHERE id = 3",
    )

    found = [t for c, t in _findings(busy) if c == "balance"]

    assert found == [
        "ledger row 4: says the balance became 50 after -1, but the rows before it make that 16"
    ]


def test_a_back_dated_ledger_row_is_named(busy):
    _raw(
        busy,
        'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
        "VALUES ('old', 'receive', 'x', 'boss', CURRENT_TIMESTAMP)",
        "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
        "balance_after, \"user\", at, request_id) SELECT 'receive', product_id, warehouse_id, "
        "1, 0, 1, 18, 'boss', :at, 'old' FROM movement WHERE id = 3".replace(
            ":at", "'2020-01-01 00:00:00'"
        ),
    )

    (order,) = [t for c, t in _findings(busy) if c == "order"]

    assert order.startswith("ledger row 4: is dated 2020-01-01 00:00:00 UTC, before row ")


def test_rows_a_few_seconds_out_of_time_order_are_normal_concurrency(busy):
    now = datetime.now(UTC)
    busy.clock = lambda: now - timedelta(seconds=30)
    operations.issue(busy, IssueStock("MAIN", (Line("SKU-2", 1),)), ACTOR)

    assert [c for c, _ in _findings(busy) if c == "order"] == []


def test_a_rewritten_and_resealed_history_is_caught_by_an_exported_seal(busy, tmp_path):
    seal_all(busy)
    kept = tmp_path / "seals.json"
    seals.export(busy, ACTOR, kept)
    # Whoever can write everything rewrites a ledger row and builds a fresh, self-consistent
    # chain (the audit trail's new seal is the same as the exported one: it was not touched).
    _raw(busy, "UPDATE movement SET \"user\" = 'boss' WHERE id = 1", "DELETE FROM seal",
         "DELETE FROM seal_mark")  # fmt: skip
    seal_all(busy)
    assert verify.verify_all(busy, ACTOR).ok  # the chain alone cannot tell

    found = _findings(busy, seals.load_export(kept))

    assert found == [
        (
            "against",
            "ledger rows 1-3: seal 1 differs from the exported one: the ledger up to row 3 "
            "was rewritten and resealed",
        ),
    ]


def test_an_export_of_an_unchanged_history_verifies(busy, tmp_path):
    seal_all(busy)
    kept = tmp_path / "seals.json"
    seals.export(busy, ACTOR, kept)
    operations.issue(busy, IssueStock("MAIN", (Line("SKU-2", 2),)), ACTOR)
    seal_all(busy)

    assert verify.verify_all(busy, ACTOR, seals.load_export(kept)).ok


@pytest.mark.postgres
def test_a_seal_never_covers_a_row_still_in_flight(pg_url):
    """Ids are taken before commit: a row committed after a larger id must not be left outside a
    seal that covers that larger id."""
    with Database.open(pg_url) as db:
        from tests.fixtures.databases import _empty

        _empty(db)
        insert = text(
            'INSERT INTO audit_entry (at, "user", action, entity, entity_key) '
            "VALUES (now(), :who, 'edit', 'product', 'X') RETURNING id"
        )
        with db.engine.connect() as slow:
            slow_tx = slow.begin()
            slow_id = slow.execute(insert, {"who": "slow"}).scalar_one()
            with db.engine.begin() as quick:
                quick_id = quick.execute(insert, {"who": "quick"}).scalar_one()
            assert quick_id > slow_id

            seals.seal(db, ACTOR)  # the quick row is committed, the slow one still in flight
            with db.read() as conn:
                assert seals.latest(conn, "audit") is None
            slow_tx.commit()

        assert seals.seal(db, ACTOR) == 1
        with db.read() as conn:
            newest = seals.latest(conn, "audit")
        assert newest is not None
        assert (newest.first_id, newest.last_id, newest.row_count) == (slow_id, quick_id, 2)
        assert verify.verify_all(db, ACTOR).ok
