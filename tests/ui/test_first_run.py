"""First run offers the demo data; background work reports back; bugs reach the crash dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from invdesk.domain.errors import NotFound
from invdesk.services.reads import browse
from invdesk.ui import background, crash, first_run
from invdesk.ui.background import Background
from invdesk.ui.main_window import MainWindow
from tests.ui.conftest import CLERK


def test_an_empty_database_offers_the_demo_data_and_loads_it(qtbot, empty_db, settings):
    window = MainWindow(empty_db, CLERK, settings=settings)
    qtbot.addWidget(window)
    window.show()

    prompt = first_run.offer_demo(window)

    assert prompt is not None and prompt.isVisible()
    assert "empty" in prompt.text()
    load = next(b for b in prompt.buttons() if b.text() == "Load demo data")
    with qtbot.waitSignal(window.data_changed, timeout=120_000):
        load.click()
    assert not browse.is_empty(empty_db, CLERK)
    assert "Demo data loaded" in window.statusBar().currentMessage()


def test_a_database_with_products_is_not_offered_the_demo(qtbot, shop_db, settings):
    window = MainWindow(shop_db, CLERK, settings=settings)
    qtbot.addWidget(window)
    assert first_run.offer_demo(window) is None


def test_background_work_returns_its_result_on_the_gui_thread(qtbot):
    runner = Background()
    results = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda n: n == 0):
        runner.run(lambda: 6 * 7, results.append)
    assert results == [42]


def _not_found() -> None:
    raise NotFound("No such thing.")


def test_a_known_failure_in_the_background_becomes_a_message(qtbot):
    runner = Background()
    failures = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda n: n == 0):
        runner.run(_not_found, print, failures.append)
    assert isinstance(failures[0], NotFound)

    background.show_error(None, failures[0])
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    shown = [b for b in boxes if b.isVisible() and b.text() == "No such thing."]
    assert len(shown) == 1
    shown[0].close()


def test_a_bug_shows_the_traceback_and_the_log_file(qtbot):
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as error:
        box = crash.show_crash(type(error), error, error.__traceback__)
    assert box is not None
    qtbot.addWidget(box)
    assert "ZeroDivisionError: boom" in box.detailedText()
    assert str(crash.log_path()) in box.text()
    box.close()
