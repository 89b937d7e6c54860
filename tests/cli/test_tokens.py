"""`invdesk token add|list|revoke`: shown once, stored as a hash, admins only, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invdesk.db.engine import Database
from invdesk.domain.audit import AuditFilter
from invdesk.domain.security import SYSTEM
from invdesk.domain.tokens import TokenRefused
from invdesk.services.channels import tokens
from invdesk.services.reads import audit
from tests.cli.conftest import assert_one_line_error

BOSS = {"INVDESK_USER": "boss", "INVDESK_PASSWORD": "boss password 1"}
ANN = {"INVDESK_USER": "ann", "INVDESK_PASSWORD": "ann password 1"}


def _accounts(invdesk):
    for name, role, env in (("boss", "admin", {}), ("ann", "clerk", BOSS)):
        password = (BOSS if name == "boss" else ANN)["INVDESK_PASSWORD"]
        result = invdesk(
            "user", "add", name, "--role", role, env={**env, "INVDESK_NEW_PASSWORD": password}
        )
        assert result.exit_code == 0, result.stderr


def test_token_add_prints_the_token_once_and_keeps_only_its_hash(invdesk):
    invdesk.ok("warehouse", "add", "SHOP", "Shop")
    added = invdesk.ok("token", "add", "Web-Shop", "--scope", "read", "--scope", "orders",
                       "--warehouse", "shop")  # fmt: skip
    secret = added.stdout.strip()
    assert secret.startswith("invd_") and len(secret) > 40
    assert "not shown again" in added.stderr
    with Database.open(invdesk.url) as db:
        grant = tokens.authenticate(db, secret)
        assert (grant.name, sorted(grant.scopes), grant.warehouses) == (
            "web-shop",
            ["orders", "read"],
            frozenset({"SHOP"}),
        )
    listed = json.loads(invdesk.ok("token", "list", "--json").stdout)
    assert [(t["name"], t["active"], t["last_four"]) for t in listed] == [
        ("web-shop", True, secret[-4:])
    ]
    assert secret not in invdesk.ok("token", "list").stdout
    stored = Path(invdesk.url.removeprefix("sqlite:///")).read_bytes()
    assert secret.encode() not in stored


def test_token_revoke_ends_the_token(invdesk):
    secret = invdesk.ok("token", "add", "pos", "--scope", "read").stdout.strip()
    assert invdesk.ok("token", "revoke", "pos").stdout.strip() == "Token pos is revoked."
    with Database.open(invdesk.url) as db, pytest.raises(TokenRefused):
        tokens.authenticate(db, secret)
    assert json.loads(invdesk.ok("token", "list", "--json").stdout)[0]["active"] is False


def test_token_refusals_are_one_line_and_change_nothing(invdesk):
    unknown = invdesk("token", "add", "x", "--scope", "read", "--warehouse", "NOPE")
    assert "NOPE" in assert_one_line_error(unknown, 4)
    assert_one_line_error(invdesk("token", "add", "bad name", "--scope", "read"), 2)
    assert_one_line_error(invdesk("token", "revoke", "nobody"), 4)
    invdesk.ok("token", "add", "pos", "--scope", "read")
    assert_one_line_error(invdesk("token", "add", "pos", "--scope", "stock"), 5)
    assert [t["name"] for t in json.loads(invdesk.ok("token", "list", "--json").stdout)] == ["pos"]


def test_only_admins_manage_tokens_and_each_change_is_audited(invdesk):
    _accounts(invdesk)
    assert_one_line_error(invdesk("token", "add", "pos", "--scope", "read", env=ANN), 6)
    assert_one_line_error(invdesk("token", "list", env=ANN), 6)
    result = invdesk("token", "add", "pos", "--scope", "read", env=BOSS)
    assert result.exit_code == 0, result.stderr
    assert invdesk("token", "revoke", "pos", env=BOSS).exit_code == 0
    with Database.open(invdesk.url) as db:
        trail = audit.list_audit(db, SYSTEM, AuditFilter(user="boss"))
    assert [(r.action, r.entity, r.key) for r in trail if r.entity == "token"] == [
        ("revoke", "token", "pos"),
        ("create", "token", "pos"),
    ]
