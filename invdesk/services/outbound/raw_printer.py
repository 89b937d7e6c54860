"""Raw print jobs (ZPL) to a label printer: over the network (TCP port 9100) or a local queue.

A printer that is off, unplugged or refusing must not leave a clerk waiting: the connection
times out in a few seconds and the error says what was tried and what to do. Nothing is kept
half-sent; the caller may send the same job again or save it as a PDF instead.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass

from invdesk.domain.errors import PrintFailed, ValidationError

RAW_PORT = 9100
CONNECT_TIMEOUT_S = 3.0
SEND_TIMEOUT_S = 10.0
QUEUE_PREFIX = "queue:"


@dataclass(frozen=True)
class RawPrinter:
    """A network printer (`host` and `port`) or a local print queue (`queue`)."""

    host: str | None = None
    port: int = RAW_PORT
    queue: str | None = None

    def __str__(self) -> str:
        if self.queue is not None:
            return f"{QUEUE_PREFIX}{self.queue}"
        return f"{self.host}:{self.port}"


def parse_printer(text: str) -> RawPrinter:
    """`host`, `host:port` (e.g. 192.168.1.50:9100) or `queue:NAME` (a local queue that passes
    raw data, e.g. a CUPS raw queue). Raises ValidationError for anything else."""
    value = (text or "").strip()
    if not value:
        raise ValidationError("Name the label printer: host[:port] or queue:NAME.", field="printer")
    if value.startswith(QUEUE_PREFIX):
        queue = value[len(QUEUE_PREFIX) :].strip()
        if not queue or any(c.isspace() for c in queue):
            raise ValidationError(f"“{value}” names no print queue.", field="printer")
        return RawPrinter(queue=queue)
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if not port:
        return RawPrinter(host=value)
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ValidationError(f"“{port}” in “{value}” is not a port number.", field="printer")
    if not host:
        raise ValidationError(f"“{value}” names no printer host.", field="printer")
    return RawPrinter(host=host, port=int(port))


def send_raw(printer: RawPrinter, data: bytes, *, timeout: float = CONNECT_TIMEOUT_S) -> int:
    """Send `data` to `printer`; returns the bytes sent. Raises PrintFailed with what to check
    when the printer cannot be reached, refuses, or stops taking data."""
    if printer.queue is not None:
        return _to_queue(printer.queue, data)
    assert printer.host is not None
    where = f"{printer.host}:{printer.port}"
    try:
        with socket.create_connection((printer.host, printer.port), timeout=timeout) as conn:
            conn.settimeout(SEND_TIMEOUT_S)
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)  # the printer sees the end of the job now
    except ConnectionRefusedError:
        raise PrintFailed(
            f"The label printer at {where} refused the connection: check the address and "
            "that it accepts raw print jobs on that port. Try again, or save the labels as a PDF."
        ) from None
    except TimeoutError:
        raise PrintFailed(
            f"The label printer at {where} did not answer within {timeout:g} s: check it is "
            "switched on and on the network. Try again, or save the labels as a PDF."
        ) from None
    except OSError as error:
        raise PrintFailed(
            f"Cannot print to the label printer at {where}: {error.strerror or error}. "
            "Try again, or save the labels as a PDF."
        ) from None
    return len(data)


def _to_queue(queue: str, data: bytes) -> int:
    lp = shutil.which("lp")
    if lp is None:
        raise PrintFailed(
            f"Cannot reach print queue “{queue}”: this PC has no `lp` command (CUPS). Use the "
            "printer's network address instead, or save the labels as a PDF."
        )
    try:
        done = subprocess.run(
            [lp, "-d", queue, "-o", "raw", "-s"],
            input=data,
            capture_output=True,
            timeout=SEND_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintFailed(f"The print queue “{queue}” did not take the job in time.") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip() or f"exit code {done.returncode}"
        raise PrintFailed(f"The print queue “{queue}” refused the job: {reason}")
    return len(data)
