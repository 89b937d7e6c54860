"""Cycles are collected on the GUI thread only: a background job's thread never runs a collection
(one that frees a Qt object there crashes the process), yet garbage still goes."""

import gc
import threading
import weakref

from invdesk.ui import collector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_a_cycle_is_freed_by_the_gui_thread_and_never_by_a_worker(qtbot, qapp):
    found = collector.install(qapp)
    assert not gc.isenabled()
    collected_in: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        node = _Node()
        gone = weakref.ref(node)
        del node

        def churn() -> None:  # allocations far past the thresholds, in a worker thread
            junk = [[_Node()] for _ in range(50_000)]
            del junk

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert "worker" not in collected_in
        qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
        assert collected_in and set(collected_in) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
        found.stop()
    assert gc.isenabled()
