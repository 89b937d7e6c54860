"""Running work off the GUI thread, Anki style: run this, then on success..., on failure...

One runner, `Background`: `run(work, ...)` for reads and short writes (a stock post);
`start(work, ...)` for long jobs (reports, imports, exports) whose
work takes `(progress, cancelled)` and whose Job can be cancelled. Results come back to the GUI
thread by queued signal. Known failures (InvdeskError) become a message box by default; anything
else is a bug and goes to the crash dialog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from invdesk.domain.errors import Cancelled, InvdeskError
from invdesk.ui.crash import show_crash
from invdesk.ui.message_box import keep_open

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
IsCancelled = Callable[[], bool]


class Job(QObject):
    """One piece of background work: cancel it, wait for it, or follow it by signal.

    The worker thread reports through private signals; this object lives in the GUI thread, so
    its slots (and the callbacks and public signals they fire) run there, queued. A caller that
    connects to `finished` right after starting a job cannot miss it."""

    progressed = Signal(int)
    """A count of work done (rows written, rows checked), from `progress(n)` in the work."""
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    """After succeeded or failed, and after the callbacks."""
    _progress = Signal(int)
    _success = Signal(object)
    _failure = Signal(object)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self._on_success, self._on_failure, self._on_progress = on_success, on_failure, on_progress
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._progress.connect(self._progressed)
        self._success.connect(self._succeeded)
        self._failure.connect(self._failed)

    def cancel(self) -> None:
        """Ask the work to stop: its `cancelled()` turns true; it decides where to stop."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work itself has returned or raised (callbacks may still be queued)."""
        return self._done.wait(timeout)

    def _run(self, work: Callable[[Progress, IsCancelled], Any]) -> None:
        """In the worker thread."""
        try:
            result = work(self._progress.emit, self._cancel.is_set)
        except BaseException as error:  # delivered to the GUI thread, never lost in a thread
            self._failure.emit(error)
        else:
            self._success.emit(result)
        finally:
            self._done.set()

    @Slot(int)
    def _progressed(self, count: int) -> None:
        if self._on_progress is not None:
            self._on_progress(count)
        self.progressed.emit(count)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        try:
            self._on_success(result)
        finally:
            self.succeeded.emit(result)
            self.finished.emit()

    @Slot(object)
    def _failed(self, error: Any) -> None:
        try:
            self._on_failure(error)
        finally:
            self.failed.emit(error)
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[Progress, IsCancelled], Any]) -> None:
        super().__init__()
        self._job, self._work = job, work

    def run(self) -> None:
        self._job._run(self._work)


def show_error(parent: QWidget | None, error: BaseException, title: str = "invdesk") -> None:
    """A known error as a message box (non-blocking); a bug as the crash dialog."""
    if isinstance(error, InvdeskError):
        box = QMessageBox(QMessageBox.Icon.Warning, title, error.message, parent=parent)
        keep_open(box)
        return
    show_crash(type(error), error, error.__traceback__)


def failure_text(error: BaseException, *, cancelled: str, failed: str) -> str:
    """What a long job's status line says when it ends without a result: `cancelled` when the
    person stopped it, a known error's own message, or `failed: error` for anything else."""
    if isinstance(error, Cancelled):
        return cancelled
    if isinstance(error, InvdeskError):
        return error.message
    return f"{failed}: {error}"


class Background(QObject):
    """The one way to run work off the GUI thread: `run` for reads and short writes, `start` for
    long jobs with progress and cancel; `busy_changed(count)` drives a progress indicator.

    `newest=key`: of the runs sharing that key (one view's reads), only the newest counts. A
    view refreshed again while its last read still runs (a filter typed, a live change) ends up
    showing the newer result whichever read finishes first; an older result, or its failure,
    arriving later is dropped.

    `inline=True` runs the work at once on the calling thread, callbacks included (a model or a
    dialog used on its own in a script or a test); the application's runner (`default()`) never
    does."""

    busy_changed = Signal(int)

    def __init__(
        self,
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
        *,
        inline: bool = False,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._inline = inline
        self._running: set[Job] = set()
        self._runs = 0
        self._newest: dict[Hashable, int] = {}

    @property
    def busy(self) -> int:
        return len(self._running)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        parent: QWidget | None = None,
        newest: Hashable | None = None,
    ) -> Job:
        """Run `work()` off the GUI thread, then `on_success(result)` or `on_failure(error)` on
        it. Without on_failure a known error becomes a message box and a bug the crash dialog."""
        return self.start(
            lambda _progress, _cancelled: work(),
            on_success,
            on_failure,
            parent=parent,
            newest=newest,
        )

    def start(
        self,
        work: Callable[[Progress, IsCancelled], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        on_progress: Callable[[int], None] | None = None,
        parent: QWidget | None = None,
        newest: Hashable | None = None,
    ) -> Job:
        """Run long work that reports progress and can be cancelled: `work(progress, cancelled)`
        calls `progress(count)` as it goes and stops (raising Cancelled) once `cancelled()` is
        true. `on_progress(count)` runs on the GUI thread. Returns the job (cancel, wait).

        With `parent`, the callbacks are dropped once that widget is gone: a page or chart closed
        while its read was running must not be painted into after its deletion."""
        self._runs += 1
        mine = self._runs
        if newest is not None:
            self._newest[newest] = mine

        def done() -> bool:
            """Whether the callbacks still apply (the run is current, its widget alive)."""
            self._running.discard(job)
            self.busy_changed.emit(self.busy)
            if newest is not None:
                if self._newest.get(newest) != mine:
                    return False  # a newer run of the same view replaced this one
                del self._newest[newest]
            return parent is None or shiboken6.isValid(parent)

        def succeeded(result: Any) -> None:
            if done():
                on_success(result)

        def failed(error: BaseException) -> None:
            if not done():
                log.info("background work dropped (replaced, or its widget closed): %s", error)
            elif on_failure is not None:
                on_failure(error)
            else:
                log.info("background work failed: %s", error)
                show_error(parent, error)

        job = Job(succeeded, failed, on_progress)
        self._running.add(job)
        self.busy_changed.emit(self.busy)
        if self._inline:
            job._run(work)
        else:
            self._pool.start(_Runnable(job, work))
        return job

    def cancel_all(self) -> None:
        """Ask every running job to stop (when a window closes)."""
        for job in list(self._running):
            job.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work finished (for shutdown, screenshots and tests)."""
        return self._pool.waitForDone(msecs)


_default: Background | None = None


def default() -> Background:
    """The application's Background (made on first use)."""
    global _default
    if _default is None:
        _default = Background()
    return _default
