"""A real HTTP receiver for webhook and chat tests: records every POST, can fail or hold answers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # Answer the next N requests with 500 (counting down).
    fail_next: int = 0
    # While clear, requests are read and recorded, then held without an answer.
    release: threading.Event = field(default_factory=threading.Event)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, item: Received) -> int:
        with self._changed:
            self.received.append(item)
            self._changed.notify_all()
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500
        return 200

    def wait_for(self, condition: Callable[[list[Received]], bool], timeout: float = 60) -> None:
        """Wait until `condition(received)` holds, or fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.received):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver: condition not met; got {len(self.received)}")
                self._changed.wait(left)


@contextmanager
def receiving(*, hold: bool = False) -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 (a free port) for the test's duration."""
    receiver = Receiver("")
    if not hold:
        receiver.release.set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if len(body) < length:
                return  # the sender died mid-POST: a cut-off request is not a delivery
            status = receiver.record(Received(self.path, dict(self.headers.items()), body))
            receiver.release.wait(120)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"try later")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
