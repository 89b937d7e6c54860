"""Importing suppliers from a file, on both databases: the preview says what each row will do and
why a bad one is bad, all-or-nothing changes nothing, a re-import updates instead of duplicating,
and every change is in the audit trail."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.purchasing import SupplierDetails
from invdesk.services.catalog import suppliers
from invdesk.services.importing.apply import ImportOptions, preview_import, run_import
from invdesk.services.importing.files import ImportKind, read_table
from invdesk.services.reads import audit
from tests import support
from tests.integration.test_importing import write_csv, write_xlsx

ADMIN = support.ACTOR
K = ImportKind.SUPPLIERS

SUPPLIERS_CSV = """Supplier code,Company,Contact person,E-mail,Lead time,Status
acme,Acme Wholesale,Dana,orders@acme.example,5,active
NORD,Nordic Office,,not-an-address,9,
VOLTA,,Mia,,14,
ACME,Acme again,,,,
OLD,Old Co,,,-3,inactive
"""


def test_the_preview_says_what_each_row_does_and_why_a_bad_one_is_bad(db, tmp_path):
    suppliers.create_supplier(db, SupplierDetails("NORD", "Nordic"), ADMIN)
    table = read_table(write_csv(tmp_path, "suppliers.csv", SUPPLIERS_CSV))
    preview = preview_import(db, ADMIN, K, table, ImportOptions())
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].action == "create" and by_row[2].values["code"] == "ACME"
    assert by_row[2].values["lead_days"] == 5 and by_row[2].values["active"] is True
    assert by_row[3].action == "error" and "e-mail" in by_row[3].reasons[0]
    assert by_row[4].action == "error" and "Name" in by_row[4].reasons[0]
    assert by_row[5].action == "error" and "also on row 2" in by_row[5].reasons[0]
    assert by_row[6].action == "error" and "Lead time" in by_row[6].reasons[0]
    assert preview.errors == 4


def test_all_or_nothing_refuses_a_file_with_bad_rows(db, tmp_path):
    table = read_table(write_csv(tmp_path, "suppliers.csv", SUPPLIERS_CSV))
    with pytest.raises(ValidationError, match="4 bad row"):
        run_import(db, ADMIN, K, table, ImportOptions())
    assert suppliers.list_suppliers(db, ADMIN) == []


def test_valid_rows_are_created_a_reimport_updates_and_both_are_audited(db, tmp_path):
    rows = [
        ("Code", "Name", "Phone", "Lead days", "Notes"),
        ("ACME", "Acme Wholesale", "+44 20 7946 0101", 5, "Ships Mondays"),
        ("VOLTA", "Volta Electronics", None, None, None),
    ]
    result = run_import(
        db, ADMIN, K, read_table(write_xlsx(tmp_path, "s.xlsx", rows)), ImportOptions()
    )
    assert result.applied == 2
    acme = suppliers.get_supplier(db, "ACME", ADMIN)
    assert (acme.name, acme.phone, acme.lead_days, acme.notes) == (
        "Acme Wholesale", "+44 20 7946 0101", 5, "Ships Mondays",
    )  # fmt: skip
    changed = [
        ("Code", "Name", "Lead days"),
        ("ACME", "Acme Wholesale Ltd", 7),
        ("VOLTA", "Volta Electronics", None),
    ]
    again = run_import(
        db, ADMIN, K, read_table(write_xlsx(tmp_path, "s2.xlsx", changed)), ImportOptions()
    )
    assert again.applied == 1 and again.preview.counts() == {"update": 1, "unchanged": 1}
    acme = suppliers.get_supplier(db, "ACME", ADMIN)
    assert (acme.name, acme.lead_days, acme.phone) == ("Acme Wholesale Ltd", 7, "+44 20 7946 0101")
    assert len(suppliers.list_suppliers(db, ADMIN)) == 2
    trail = [(e.action, e.entity, e.key) for e in audit.list_audit(db, ADMIN)]
    assert ("create", "supplier", "VOLTA") in trail
    assert ("edit", "supplier", "ACME") in trail
    assert ("import", "suppliers", "s2.xlsx") in trail
