"""Alert e-mail…: every user sets their own address and choice from the File menu or the Alerts page."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from invdesk.domain.security import Actor, Role
from invdesk.services.outbound import alert_mail
from invdesk.ui.dialogs.alert_mail import AlertMailDialog
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.alerts import AlertsPage

CLERK = Actor("pat", Role.CLERK)


def _window(qtbot, db, settings) -> MainWindow:
    window = MainWindow(db, CLERK, settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _dialog(qtbot, window) -> AlertMailDialog:
    qtbot.waitUntil(lambda: window.findChild(AlertMailDialog) is not None)
    dialog = window.findChild(AlertMailDialog)
    assert dialog.isVisible()
    return dialog


def test_a_clerk_sets_their_alert_email_from_the_file_menu(qtbot, shop_db, settings):
    window = _window(qtbot, shop_db, settings)
    (action,) = [a for a in window.file_actions if a.text() == "Alert e-&mail…"]
    action.trigger()
    dialog = _dialog(qtbot, window)
    assert dialog.email.text() == ""
    dialog.email.setText("pat@shop.example")
    dialog.mode.setCurrentIndex(dialog.mode.findData("digest"))
    with qtbot.waitSignal(dialog.finished):  # stored off the GUI thread, then it closes
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    chosen = alert_mail.alert_mail(shop_db, CLERK, "pat")
    assert chosen is not None and (chosen.email, chosen.mode) == ("pat@shop.example", "digest")
    assert "pat@shop.example" in window.statusBar().currentMessage()


def test_an_invalid_address_is_refused_at_its_field(qtbot, shop_db, settings):
    alert_mail.set_alert_mail(shop_db, CLERK, "pat", "pat@shop.example", "immediate")
    window = _window(qtbot, shop_db, settings)
    page = window.open_page(AlertsPage)
    page.mail_button.click()
    dialog = _dialog(qtbot, window)
    assert dialog.email.text() == "pat@shop.example"  # the stored choice is shown
    assert dialog.mode.currentData() == "immediate"
    dialog.email.setText("pat at shop")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saving is not None  # stored off the GUI thread: the answer comes by signal
    with qtbot.waitSignal(dialog.saving.finished):
        pass
    assert dialog.isVisible()
    assert dialog.form.labels["email"].isVisible()
    assert "not an e-mail address" in dialog.form.labels["email"].text()
    assert not dialog.error.isVisible()
    stored = alert_mail.alert_mail(shop_db, CLERK, "pat")
    assert stored is not None and stored.email == "pat@shop.example"
    dialog.reject()


def test_no_address_and_no_email_forgets_the_address(qtbot, shop_db, settings):
    alert_mail.set_alert_mail(shop_db, CLERK, "pat", "pat@shop.example", "immediate")
    dialog = AlertMailDialog(shop_db, CLERK)
    qtbot.addWidget(dialog)
    dialog.email.clear()
    dialog.mode.setCurrentIndex(dialog.mode.findData("off"))
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert alert_mail.alert_mail(shop_db, CLERK, "pat") is None
