"""The one background helper: results, failures, progress and cancel reach the GUI thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QRunnable, QThread, QThreadPool

from invdesk.domain.errors import Cancelled
from invdesk.ui.background import Background


class _Blocker(QRunnable):
    """Holds the pool's only thread until released, so a job waits in the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def run(self) -> None:
        self.release.wait(10)


def test_progress_and_the_result_arrive_on_the_gui_thread(qtbot):
    runner = Background()
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()

    def work(progress, cancelled):
        for n in (10, 20, 30):
            progress(n)
        return "done"

    def on_progress(n):
        seen.append(("progress", n, QThread.currentThread() is gui))

    def on_success(result):
        seen.append(("success", result, QThread.currentThread() is gui))

    job = runner.start(work, on_success, on_progress=on_progress)
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    assert seen == [
        ("progress", 10, True),
        ("progress", 20, True),
        ("progress", 30, True),
        ("success", "done", True),
    ]
    assert runner.busy == 0


def test_a_cancelled_job_stops_and_reports_cancelled(qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    blocker = _Blocker()
    pool.start(blocker)
    runner = Background(pool=pool)
    steps: list[int] = []
    failures: list[BaseException] = []

    def work(progress, cancelled):
        for n in range(1000):
            if cancelled():
                raise Cancelled("stopped")
            steps.append(n)
        return "finished anyway"

    job = runner.start(work, lambda _result: None, failures.append)
    job.cancel()
    blocker.release.set()
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    assert job.cancelled()
    assert steps == []
    assert [type(e) for e in failures] == [Cancelled]


def test_a_failure_goes_to_on_failure_and_finished_still_fires(qtbot):
    runner = Background()
    failures: list[BaseException] = []

    def work():
        raise ValueError("boom")

    job = runner.run(work, lambda _r: None, failures.append)
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    assert [str(e) for e in failures] == ["boom"]
    assert job.wait(1)


def test_a_result_for_a_widget_closed_meanwhile_is_dropped(qtbot):
    """A page closed while its read runs: painting into the deleted widget would crash the app."""
    from PySide6.QtWidgets import QLabel

    runner = Background()
    label = QLabel()
    release = threading.Event()
    shown: list[object] = []

    def slow_read():
        release.wait(10)
        return "rows"

    job = runner.run(slow_read, lambda rows: shown.append(label.setText(rows)), parent=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    release.set()

    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert shown == [] and runner.busy == 0


def test_an_older_read_finishing_last_does_not_overwrite_the_newer_one(qtbot):
    """A page refreshed twice: the first read is slow, the second quick; the page keeps the second."""
    from PySide6.QtWidgets import QLabel

    runner = Background(pool=QThreadPool())
    label = QLabel()
    qtbot.addWidget(label)
    release = threading.Event()
    shown: list[str] = []

    def slow():
        release.wait(10)
        return "old"

    first = runner.run(slow, shown.append, parent=label, newest=label)
    second = runner.run(lambda: "new", shown.append, parent=label, newest=label)
    with qtbot.waitSignal(second.finished, timeout=5000):
        pass
    release.set()
    with qtbot.waitSignal(first.finished, timeout=5000):
        pass

    assert shown == ["new"]


def test_an_inline_runner_answers_before_run_returns():
    """A model or dialog used on its own (a script, a test) runs its work at once."""
    runner = Background(inline=True)
    shown: list[int] = []
    failures: list[BaseException] = []
    job = runner.run(lambda: 6 * 7, shown.append)
    runner.run(lambda: 1 // 0, shown.append, failures.append)
    assert shown == [42] and job.wait(0)
    assert isinstance(failures[0], ZeroDivisionError) and runner.busy == 0
