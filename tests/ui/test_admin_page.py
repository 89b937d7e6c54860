"""The Admin page: only admins get it; it shows the server's health (asked over real HTTP) and the
read replica's state."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import Actor, Role
from invdesk.services.system import server_health
from invdesk.ui.pages import PAGES
from invdesk.ui.pages.admin import NO_REPLICA, AdminPage

ADMIN = Actor("boss", Role.ADMIN)


class _Health(BaseHTTPRequestHandler):
    """/healthz 200; /readyz 200, or 503 naming the database's problem when `ready` is off."""

    ready = True

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self._answer(200, {"status": "ok"})
        elif self.path == "/readyz" and type(self).ready:
            self._answer(200, {"status": "ready", "database": "current"})
        elif self.path == "/readyz":
            self._answer(503, {"status": "not ready", "database": "the schema is older"})
        else:
            self._answer(404, {})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        """Quiet: the test output is for failures."""


@pytest.fixture
def server() -> Iterator[str]:
    _Health.ready = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _dead_url() -> str:
    import socket

    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_server_health_reports_up_ready_not_ready_and_down(server):
    assert server_health.check_server(ADMIN, server) == server_health.ServerHealth(
        server.rstrip("/"), True, True, "Up and ready."
    )
    _Health.ready = False
    health = server_health.check_server(ADMIN, server)
    assert (health.up, health.ready) == (True, False)
    assert health.message == "Up, but not ready: the schema is older."
    down = server_health.check_server(ADMIN, _dead_url(), timeout_s=2)
    assert (down.up, down.ready) == (False, False)
    assert down.message.startswith("The server does not answer")


def test_server_health_is_for_admins_and_needs_an_http_address():
    with pytest.raises(PermissionDenied):
        server_health.check_server(Actor("clerk", Role.CLERK), "http://127.0.0.1:1")
    with pytest.raises(Exception, match="not a server address"):
        server_health.check_server(ADMIN, "ftp://inventory")


def test_only_admins_get_the_admin_page():
    assert AdminPage in PAGES
    assert ADMIN.can(AdminPage.PERMISSION)
    assert not Actor("boss", Role.MANAGER).can(AdminPage.PERMISSION)


def test_the_admin_page_shows_the_configured_servers_health(qtbot, empty_db, server, monkeypatch):
    monkeypatch.setenv("INVDESK_SERVER_URL", server)
    page = AdminPage(empty_db, ADMIN)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.server_state.text() == "Up and ready.")
    assert page.replica_state.text() == NO_REPLICA  # a SQLite file has no replica
    _Health.ready = False
    page.check_button.click()
    qtbot.waitUntil(lambda: page.server_state.text().startswith("Up, but not ready"))


def test_the_admin_page_says_how_to_set_up_a_server_when_none_is(
    qtbot, empty_db, monkeypatch, tmp_path
):
    monkeypatch.delenv("INVDESK_SERVER_URL", raising=False)
    monkeypatch.setenv("INVDESK_CONFIG", str(tmp_path / "none.toml"))
    page = AdminPage(empty_db, ADMIN)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.check_button.isEnabled())
    assert "[server]" in page.server_url.text()
    assert page.server_state.text() == ""
