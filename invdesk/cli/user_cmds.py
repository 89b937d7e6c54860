"""User accounts and the audit trail: `invdesk user ...` and `invdesk audit`."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.audit import AuditFilter, describe_details, details_object
from invdesk.domain.outbound import ALERT_MODES
from invdesk.domain.security import Role
from invdesk.domain.validation import parse_since, parse_until
from invdesk.services.catalog import users
from invdesk.services.outbound import alert_mail
from invdesk.services.reads import audit

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
ROLES = click.Choice([r.value for r in Role], case_sensitive=False)


@click.group("user")
def user_group() -> None:
    """User accounts (admins). The first admin is created without logging in."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, required=True, help="clerk, manager or admin.")
@pass_cli
def user_add(ctx: CliContext, name: str, role: str) -> None:
    """Add an account; the password comes from INVDESK_NEW_PASSWORD or is asked twice.

    While the database has no account, this needs no login and the account must be an admin.
    """
    db, actor = ctx.database(), ctx.actor()
    password = ctx.new_password(f"Password for {name}")
    view = users.add_user(db, name, password, role, actor)
    click.echo(f"Added {view.username} ({view.role}).")


@user_group.command("list")
@json_option
@pass_cli
def user_list(ctx: CliContext, as_json: bool) -> None:
    """List accounts with their roles."""
    rows = users.list_users(ctx.database(), ctx.actor())
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["USER", "ROLE", "ACTIVE", "LAST LOGIN"],
        [(u.username, u.role, "yes" if u.active else "no", u.last_login_at) for u in rows],
        empty="No user accounts: the command line acts as an admin until one is added.",
    )


@user_group.command("passwd")
@click.argument("name")
@pass_cli
def user_passwd(ctx: CliContext, name: str) -> None:
    """Set a password (INVDESK_NEW_PASSWORD or asked twice). Anyone may set their own."""
    db, actor = ctx.database(), ctx.actor()
    password = ctx.new_password(f"New password for {name}")
    view = users.change_password(db, name, password, actor, old_password=ctx.login_password)
    click.echo(f"Password of {view.username} changed.")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=ROLES)
@pass_cli
def user_role(ctx: CliContext, name: str, role: str) -> None:
    """Give an account another role."""
    view = users.set_role(ctx.database(), name, role, ctx.actor())
    click.echo(f"{view.username} is now {view.role}.")


@user_group.command("deactivate")
@click.argument("name")
@pass_cli
def user_deactivate(ctx: CliContext, name: str) -> None:
    """Stop an account from logging in (its history stays)."""
    view = users.set_user_active(ctx.database(), name, False, ctx.actor())
    click.echo(f"{view.username} is deactivated.")


@user_group.command("activate")
@click.argument("name")
@pass_cli
def user_activate(ctx: CliContext, name: str) -> None:
    """Let a deactivated account log in again."""
    view = users.set_user_active(ctx.database(), name, True, ctx.actor())
    click.echo(f"{view.username} is active.")


@user_group.command("email")
@click.argument("name")
@click.argument("address", required=False)
@click.option(
    "--alerts",
    type=click.Choice(ALERT_MODES, case_sensitive=False),
    help="immediate: each new alert of a watched warehouse at once; digest: one mail a day; "
    "off: none. Default: immediate when an address is given.",
)
@pass_cli
def user_email(ctx: CliContext, name: str, address: str | None, alerts: str | None) -> None:
    """Show or set NAME's alert e-mail ADDRESS and choice (sent by `invdesk serve`).

    Anyone may set their own; admins anyone's. Alerts cover the warehouses NAME watches.
    """
    db, actor = ctx.database(), ctx.actor()
    if address is None and alerts is None:
        view = alert_mail.alert_mail(db, actor, name)
        if view is None:
            click.echo(f"{name} gets no alert e-mail.")
        else:
            click.echo(f"{view.username}: {view.email}, alerts {view.mode}.")
        return
    view = alert_mail.set_alert_mail(db, actor, name, address, alerts or "immediate")
    if view is None:
        click.echo(f"{name} gets no alert e-mail.")
    else:
        click.echo(f"{view.username}: {view.email}, alerts {view.mode}.")


@click.command("audit")
@click.option("--user", "user", help="Only what this user did.")
@click.option("--since", help="From this date (YYYY-MM-DD, local time) or date-time.")
@click.option("--until", help="Up to and including this day (YYYY-MM-DD), or up to a date-time.")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100_000))
@json_option
@pass_cli
def audit_cmd(
    ctx: CliContext,
    user: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Who did what: stock movements and edits of products, warehouses, policies and users."""
    flt = AuditFilter(
        user=user.strip().lower() if user else None,
        since=parse_since(since) if since else None,
        until=parse_until(until) if until else None,
        limit=limit,
    )
    rows = audit.list_audit(ctx.database(), ctx.actor(), flt)
    if as_json:
        emit_json([{**vars(r), "details": details_object(r)} for r in rows])
        return
    emit_table(
        ["WHEN", "USER", "ACTION", "WHAT", "DETAILS"],
        [
            (r.at, r.user, r.action, f"{r.entity} {r.key}", describe_details(r.details))
            for r in rows
        ],
        empty="Nothing recorded for this selection.",
    )


COMMANDS = [user_group, audit_cmd]
