"""Python's cycle collector, run on the GUI thread only.

A collection runs in whichever thread happens to allocate when a threshold is crossed. If that is
a background job's thread and the garbage holds a Qt wrapper (a closed dialog, a page), Qt deletes
the object off the GUI thread and the process crashes (seen: a segfault "Garbage-collecting" in a
worker). So automatic collection is switched off and a GUI-thread timer runs it instead, by the
same thresholds (the recipe PyQt's documentation gives for this). Reference counting, which frees
almost everything, is unaffected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects, by generation, when Python's own thresholds say so; only on the GUI thread."""

    def __init__(self, app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Automatic collection again (a process that goes on without a GUI: tests)."""
        self._timer.stop()
        gc.enable()

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first > self._thresholds[0]:
            gc.collect(0)
            if second > self._thresholds[1]:
                gc.collect(1)
                if third > self._thresholds[2]:
                    gc.collect(2)


def install(app: QCoreApplication) -> GuiThreadCollector:
    """Move cycle collection onto `app`'s thread (once per application)."""
    found = app.findChild(GuiThreadCollector)
    collector = found if isinstance(found, GuiThreadCollector) else GuiThreadCollector(app)
    collector.start()
    return collector
