"""API tokens for channels calling `invdesk serve`: `invdesk token add|list|revoke` (admins)."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.tokens import Scope
from invdesk.services.channels import tokens

SCOPES = click.Choice([s.value for s in Scope], case_sensitive=False)


@click.group("token")
def token_group() -> None:
    """API tokens for web shops, POS and marketplaces (admins only)."""


@token_group.command("add")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    type=SCOPES,
    multiple=True,
    required=True,
    help="read (inventory, alerts), orders (place, fulfil, cancel, look up), stock (replenish). "
    "Repeat for several.",
)
@click.option(
    "--warehouse",
    "warehouses",
    metavar="CODE",
    multiple=True,
    help="Limit the token to this warehouse (repeat for several); default: every warehouse.",
)
@pass_cli
def token_add(
    ctx: CliContext, name: str, scopes: tuple[str, ...], warehouses: tuple[str, ...]
) -> None:
    """Create a token and print it once (only its hash is kept)."""
    view, secret = tokens.add_token(ctx.database(), ctx.actor(), name, scopes, warehouses)
    click.echo(secret)
    limits = ", ".join(view.warehouses) or "every warehouse"
    click.echo(
        f"Token {view.name}: scopes {', '.join(view.scopes)}; {limits}. Store it now: it is "
        "not shown again.",
        err=True,
    )


@token_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def token_list(ctx: CliContext, as_json: bool) -> None:
    """List tokens (never the tokens themselves: their last four characters)."""
    rows = tokens.list_tokens(ctx.database(), ctx.actor())
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["NAME", "SCOPES", "WAREHOUSES", "ACTIVE", "ENDS", "CREATED", "BY", "REVOKED"],
        [
            (
                t.name,
                " ".join(t.scopes),
                " ".join(t.warehouses) or "all",
                "yes" if t.active else "no",
                "…" + t.last_four,
                t.created_at,
                t.created_by,
                t.revoked_at,
            )
            for t in rows
        ],
        empty="No API tokens yet (invdesk token add NAME --scope read).",
    )


@token_group.command("revoke")
@click.argument("name")
@pass_cli
def token_revoke(ctx: CliContext, name: str) -> None:
    """Revoke a token: requests carrying it are refused from then on."""
    view = tokens.revoke_token(ctx.database(), ctx.actor(), name)
    click.echo(f"Token {view.name} is revoked.")


COMMANDS = [token_group]
