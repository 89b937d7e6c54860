"""The categories dialog: add a sub-category, rename, retire, merge (after asking); the product
editor lists categories by path and keeps a description."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from invdesk.services.catalog import categories, products
from invdesk.ui.dialogs import ProductEditor
from invdesk.ui.dialogs.categories import CategoriesDialog
from tests.ui.dialogs.shop import ADMIN


def _dialog(qtbot, db):
    dialog = CategoriesDialog(db, ADMIN)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _paths(dialog):
    return [dialog.model.row_at(n).path for n in range(dialog.model.rowCount())]


def test_a_manager_adds_a_sub_category_renames_and_retires_it(qtbot, shop):
    dialog = _dialog(qtbot, shop)
    dialog.name.setText("Shirts")
    dialog.parent_choice.setCurrentText("Clothing")
    with qtbot.waitSignal(dialog.changed):
        assert dialog.add()
    assert "Clothing > Shirts" in _paths(dialog)
    assert dialog.selected().name == "Shirts"

    dialog.name.setText("Shirts & tops")
    assert dialog.rename_selected()
    assert "Clothing > Shirts & tops" in _paths(dialog)
    dialog.parent_choice.setCurrentText("Tools")
    assert dialog.move_selected()
    assert "Tools > Shirts & tops" in _paths(dialog)
    assert dialog.toggle_selected()
    assert "Tools > Shirts & tops" not in _paths(dialog)


def test_a_refusal_is_shown_and_changes_nothing(qtbot, shop):
    dialog = _dialog(qtbot, shop)
    dialog.name.setText("food")
    assert not dialog.add()
    assert "already exists" in dialog.error.text()
    assert _paths(dialog).count("Food") == 1


def test_a_merge_asks_first_then_moves_the_products(qtbot, shop):
    dialog = _dialog(qtbot, shop)
    assert dialog.select("Tools")
    dialog.merge_target.setCurrentText("Other")
    box = dialog.confirm_merge()
    assert isinstance(box, QMessageBox) and "3 products" in box.text()
    assert "Tools" in _paths(dialog)  # nothing happened before the answer

    with qtbot.waitSignal(dialog.changed):
        box.button(QMessageBox.StandardButton.Yes).click()

    assert "Tools" not in _paths(dialog)
    assert products.get_product(shop, "CAB-1", ADMIN).category == "Other"


def test_the_product_editor_lists_paths_and_saves_a_description(qtbot, shop):
    categories.create_category(shop, "Cables", ADMIN, parent="Electronics")
    editor = ProductEditor(shop, ADMIN, sku="CAB-1")
    qtbot.addWidget(editor)
    editor.show()
    index = editor.category.findText("Electronics > Cables")
    assert index >= 0
    editor.category.setCurrentIndex(index)
    editor.description.setPlainText("USB-C, 2 m\nBraided")
    with qtbot.waitSignal(editor.saved) as blocker:
        editor.save()
    assert (blocker.args[0].category, blocker.args[0].description) == (
        "Cables",
        "USB-C, 2 m\nBraided",
    )
