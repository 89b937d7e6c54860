"""A small background job for long report, import and export work (DESIGN.md section 7).

`Job(fn)` runs `fn(progress, cancelled)` on the thread pool; results come back to the GUI thread
by signal. The merger may fold this into the general `ui/background.py` helper.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Work = Callable[[Callable[[int], None], Callable[[], bool]], Any]


class JobSignals(QObject):
    progressed = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()


class Job(QRunnable):
    """Run `work(progress, cancelled)` off the GUI thread; cancel() asks it to stop."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progressed.emit, self._cancel.is_set)
        except Exception as error:  # shown by the caller, never lost
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(error)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self._done.set()
            self.signals.finished.emit()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)
