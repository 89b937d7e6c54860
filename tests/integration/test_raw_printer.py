"""ZPL to a network label printer: a real TCP listener receives exactly what was sent; a closed
port or a bad address gives a clear message within seconds."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from invdesk.domain.errors import PrintFailed, ValidationError
from invdesk.services.outbound.raw_printer import RawPrinter, parse_printer, send_raw

JOB = "^XA^CI28^PW496^LL232\n^FO16,16^A0N,35,35^FDKäse ^FS\n^PQ2,0,1,Y^XZ\n".encode()


def _listen() -> tuple[socket.socket, int, list[bytes], threading.Thread]:
    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(4096):
                chunks.append(chunk)
            received.append(b"".join(chunks))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    return server, server.getsockname()[1], received, thread


def test_a_listening_printer_receives_exactly_the_zpl_sent():
    server, port, received, thread = _listen()
    with server:
        sent = send_raw(parse_printer(f"127.0.0.1:{port}"), JOB)
        thread.join(5)
    assert sent == len(JOB)
    assert received == [JOB]


def test_a_closed_port_is_refused_at_once_with_what_to_do():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free now that it is closed below
    started = time.monotonic()
    with pytest.raises(PrintFailed) as failed:
        send_raw(RawPrinter("127.0.0.1", port), JOB)
    assert time.monotonic() - started < 3
    assert f"127.0.0.1:{port} refused the connection" in failed.value.message
    assert "save the labels as a PDF" in failed.value.message


def test_a_printer_that_never_answers_times_out():
    # A listener whose backlog is full: the next connection attempt is never accepted.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):  # fill the backlog (its exact size varies by kernel)
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", port))
                fillers.append(s)
            with pytest.raises(PrintFailed, match=r"did not answer within 0\.5 s"):
                send_raw(RawPrinter("127.0.0.1", port), JOB, timeout=0.5)
        finally:
            for s in fillers:
                s.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zebra-1", RawPrinter("zebra-1", 9100)),
        ("10.0.0.7:6101", RawPrinter("10.0.0.7", 6101)),
        ("queue:Zebra_GK420", RawPrinter(queue="Zebra_GK420")),
    ],
)
def test_printer_addresses_are_read(text, expected):
    assert parse_printer(text) == expected


@pytest.mark.parametrize("text", ["", "host:99999", "host:x", ":9100", "queue:"])
def test_bad_printer_addresses_are_refused(text):
    with pytest.raises(ValidationError):
        parse_printer(text)


def test_a_local_queue_gets_the_job_through_lp_raw(tmp_path, monkeypatch):
    got = tmp_path / "got"
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {got}.args\ncat > {got}\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert send_raw(parse_printer("queue:Zebra_1"), JOB) == len(JOB)
    assert got.read_bytes() == JOB
    assert (tmp_path / "got.args").read_text().split() == ["-d", "Zebra_1", "-o", "raw", "-s"]


def test_a_queue_that_refuses_says_why(tmp_path, monkeypatch):
    lp = tmp_path / "lp"
    lp.write_text('#!/bin/sh\necho "lp: The printer or class does not exist." >&2\nexit 1\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(PrintFailed, match="refused the job: lp: The printer or class"):
        send_raw(parse_printer("queue:Nope"), JOB)


def test_without_lp_a_queue_cannot_be_used(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrintFailed, match="no `lp` command"):
        send_raw(parse_printer("queue:Zebra_1"), JOB)
