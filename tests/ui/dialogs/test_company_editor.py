"""The company details editor (admins): saves, refuses a bad e-mail at its field, and offers a
reload when another admin saved first."""

from __future__ import annotations

from invdesk.domain.company import CompanyDetails
from invdesk.services.catalog import company
from invdesk.ui.dialogs.company_editor import CompanyEditor
from tests.ui.dialogs.shop import ADMIN


def _editor(qtbot, db) -> CompanyEditor:
    editor = CompanyEditor(db, ADMIN)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_details_are_saved_and_a_bad_email_is_shown_at_its_field(qtbot, shop):
    editor = _editor(qtbot, shop)
    editor.fields["name"].setText("Cable Co")
    editor.fields["address"].setText("1 Quay St, Harbourtown")
    editor.fields["email"].setText("nope")
    editor.save()
    assert editor.saved_view is None
    assert "not an e-mail address" in editor.form.labels["email"].text()
    editor.fields["email"].setText("buy@cable.example")
    with qtbot.waitSignal(editor.saved):
        editor.save()
    stored = company.get_company(shop, ADMIN)
    assert (stored.name, stored.email, stored.version) == ("Cable Co", "buy@cable.example", 1)


def test_a_stale_edit_offers_a_reload_and_never_overwrites(qtbot, shop):
    company.set_company(shop, CompanyDetails(name="First"), ADMIN)
    editor = _editor(qtbot, shop)
    company.set_company(shop, CompanyDetails(name="Second", expected_version=1), ADMIN)
    editor.fields["name"].setText("Mine")
    editor.save()
    assert "changed by someone else" in editor.conflict.message.text()
    assert company.get_company(shop, ADMIN).name == "Second"
