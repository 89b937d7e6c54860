"""Running work off the GUI thread, Anki style: run this, then on success..., on failure...

Results come back to the GUI thread by queued signal. Known failures (InvdeskError) become a
message box by default; anything else is a bug and goes to the crash dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from invdesk.domain.errors import InvdeskError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread, so the worker's signals reach its slots there (queued)."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_success: Callable[[Any], None], on_failure: Callable[[Any], None]):
        super().__init__()
        self._on_success, self._on_failure = on_success, on_failure
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._on_success(result)

    @Slot(object)
    def _failed(self, error: Any) -> None:
        self._on_failure(error)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # delivered to the GUI thread, never lost in a thread
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


_shown: set[QMessageBox] = set()


def keep_open(box: QMessageBox) -> None:
    """Open a message box without blocking; hold it until closed (a parentless one has no owner)."""
    _shown.add(box)
    box.finished.connect(lambda _result: _shown.discard(box))
    box.open()


def show_error(parent: QWidget | None, error: BaseException, title: str = "invdesk") -> None:
    """A known error as a message box (non-blocking); a bug as the crash dialog."""
    if isinstance(error, InvdeskError):
        box = QMessageBox(QMessageBox.Icon.Warning, title, error.message, parent=parent)
        keep_open(box)
        return
    from invdesk.ui.crash import show_crash

    show_crash(type(error), error, error.__traceback__)


class Background(QObject):
    """Runs callables on a thread pool; `busy_changed(count)` drives a progress indicator."""

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[_Relay] = set()

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
    ) -> None:
        def done() -> None:
            self._running.discard(relay)
            self.busy_changed.emit(self.busy)

        def succeeded(result: Any) -> None:
            done()
            on_success(result)

        def failed(error: BaseException) -> None:
            done()
            if on_failure is not None:
                on_failure(error)
            else:
                log.info("background work failed: %s", error)
                show_error(parent, error)

        relay = _Relay(succeeded, failed)
        self._running.add(relay)
        self.busy_changed.emit(self.busy)
        self._pool.start(_Job(work, relay))

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
