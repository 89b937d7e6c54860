"""The screenshot gallery builds a filled-in example of every dialog."""

from __future__ import annotations

from invdesk.ui.dialogs.gallery import dialog_shots
from tests.ui.dialogs.shop import ADMIN


def test_every_dialog_has_a_filled_in_example(qtbot, shop, tmp_path):
    shots = dialog_shots(shop, ADMIN)
    names = [name for name, _ in shots]
    assert names == [
        "dialog-receive",
        "dialog-issue",
        "dialog-transfer",
        "dialog-return",
        "dialog-adjust",
        "dialog-product",
        "dialog-warehouse",
        "dialog-move",  # no location editor: the shop has no locations
        "dialog-attach-barcode",
    ]
    for name, dialog in shots:
        qtbot.addWidget(dialog)
        dialog.show()
        path = tmp_path / f"{name}.png"
        assert dialog.grab().save(str(path))
        assert path.stat().st_size > 1000
    receive = dict(shots)["dialog-receive"]
    assert receive.model.rowCount() == 3 and receive.can_post()
