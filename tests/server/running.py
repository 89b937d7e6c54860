"""A real `invdesk serve` process on a free port, for tests and benchmarks to talk HTTP to."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

START_DEADLINE_S = 300.0  # a start takes about a second; far longer on a machine this busy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    db_url: str,
    *,
    workers: int = 1,
    options: tuple[str, ...] = (),
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start `invdesk --db URL serve` and yield its base URL once /readyz answers 200; stop it
    with SIGTERM (a graceful shutdown) at the end."""
    with server_process(db_url, workers=workers, options=options, log=log, env=env) as (base, _):
        yield base


@contextmanager
def server_process(
    db_url: str,
    *,
    workers: int = 1,
    options: tuple[str, ...] = (),
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`serving`, also yielding the process (with one worker, the process that serves)."""
    with _started(db_url, workers=workers, options=options, log=log, env=env) as (base, process):
        _wait_ready(process, base)
        yield base, process


@contextmanager
def serving_several(db_url: str, logs: Sequence[Path]) -> Iterator[list[str]]:
    """`serving` for one server per log on the same database, all started before waiting for
    any: a start is mostly Python importing, which the processes do side by side."""
    with ExitStack() as stack:
        started = [stack.enter_context(_started(db_url, log=log)) for log in logs]
        for base, process in started:
            _wait_ready(process, base)
        yield [base for base, _ in started]


@contextmanager
def _started(
    db_url: str,
    *,
    workers: int = 1,
    options: tuple[str, ...] = (),
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server process just started (not yet ready), stopped at the end."""
    port = free_port()
    command = [sys.executable, "-m", "invdesk", "--db", db_url, "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    command += options
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)
        if log is not None and out is not subprocess.DEVNULL:
            out.close()


def _wait_ready(process: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"invdesk serve exited with {process.returncode} before it was ready"
            )
        try:
            if httpx.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a condition with a deadline, not a fixed wait
    raise RuntimeError(f"invdesk serve at {base} was not ready within {START_DEADLINE_S:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    return process.returncode
