"""Count sheets on people's own PostgreSQL logins: a manager opens and posts, a clerk counts; the
database itself refuses a clerk who tries to open, post or book a sheet with SQL of their own."""

from __future__ import annotations

import psycopg
import pytest

from invdesk.db.engine import Database
from invdesk.domain.counts import CountStatus, OpenCount, PostCount, RecordCount
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.counts import lines, posting, sheets
from invdesk.services.stock import operations
from invdesk.services.trust import verify
from tests import support


def test_a_manager_opens_and_posts_and_a_clerk_counts_on_their_own_logins(pg_db, make_login):
    support.warehouse(pg_db)
    support.product(pg_db)
    support.stocked(pg_db, qty=10)
    boss_login, clerk_login = make_login("manager"), make_login("clerk")
    boss, clerk = Actor(boss_login.name, Role.MANAGER), Actor(clerk_login.name, Role.CLERK)

    with Database.open(boss_login.url) as as_boss, Database.open(clerk_login.url) as as_clerk:
        sheet = sheets.open_count(as_boss, OpenCount("MAIN"), boss).id
        line = lines.record_count(as_clerk, RecordCount(sheet, "-", "SKU-1", 7), clerk)
        operations.issue(as_clerk, IssueStock("MAIN", (Line("SKU-1", 2),)), clerk)
        with pytest.raises(PermissionDenied):
            posting.post_count(as_clerk, PostCount(sheet), clerk)
        posted = posting.post_count(as_boss, PostCount(sheet), boss)

    assert (line.counted_by, posted.units) == (clerk.username, -3)
    assert support.on_hand(pg_db, "SKU-1") == (5, 0)  # 7 counted, 2 sold since
    (view,) = sheets.list_counts(pg_db, SYSTEM, sheet=sheet)
    assert (view.status, view.posted_by) == (CountStatus.POSTED, boss.username)
    assert verify.verify(pg_db, SYSTEM) == []


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO count_sheet (warehouse_id, status, opened_by, opened_at, version) "
        "VALUES (1, 'open', 'x', now(), 1)",
        "UPDATE count_sheet SET status = 'posted'",
        "UPDATE count_line SET posted_delta = 5",
        "DELETE FROM count_line",
    ],
    ids=["open", "post", "book", "delete"],
)
def test_the_database_refuses_a_clerk_what_only_managers_may_do(pg_db, make_login, sql):
    support.warehouse(pg_db)
    support.product(pg_db)
    support.stocked(pg_db, qty=10)
    sheet = sheets.open_count(pg_db, OpenCount("MAIN"), SYSTEM).id
    login = make_login("clerk")
    with login.connect() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql)  # type: ignore[arg-type]
    (view,) = sheets.list_counts(pg_db, SYSTEM, sheet=sheet)
    assert (view.status, view.lines) == (CountStatus.OPEN, 1)
