"""Administration: schema upgrades, demo data and the integrity check."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.services import backup, database, verify


@click.group("db")
def db_group() -> None:
    """Database administration."""


@db_group.command("upgrade")
@click.option(
    "--login-roles",
    is_flag=True,
    help="PostgreSQL: from now on every account is the person's own database login "
    "(run as the bootstrap superuser or owner; see README).",
)
@pass_cli
def db_upgrade(ctx: CliContext, login_roles: bool) -> None:
    """Create or upgrade the database schema to this version of invdesk.

    On PostgreSQL this also makes invdesk_owner own everything and grants the group roles their
    rights, so it runs with the bootstrap (superuser or owner) URL.
    """
    db = ctx.database(check_schema=False)
    revision = database.upgrade_database(db, ctx.actor(), login_roles=login_roles)
    click.echo(f"{database.describe(db)} is at schema revision {revision}.")
    if login_roles:
        click.echo("Accounts on this database are now PostgreSQL login roles.")


@db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@pass_cli
def db_backup(ctx: CliContext, file: str, overwrite: bool) -> None:
    """Copy the local SQLite database to FILE (safe while invdesk is in use).

    For a PostgreSQL server use pg_dump on the server.
    """
    info = backup.backup(ctx.database(), file, ctx.actor(), overwrite=overwrite)
    click.echo(f"Backed up to {info.path} ({info.size_bytes:,} bytes).")


@db_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def db_restore(ctx: CliContext, file: str, yes: bool) -> None:
    """Replace the local SQLite database with the backup FILE (asks first).

    Everything recorded since that backup is lost.
    """
    db, actor = ctx.database(), ctx.actor()
    info = backup.check_backup(file)
    if not yes:
        click.confirm(
            f"Replace {database.describe(db)} with {info.path}? "
            "Everything recorded since that backup is lost",
            abort=True,
            err=True,
        )
    backup.restore(db, file, actor)
    click.echo(f"Restored {info.path}.")


@click.command("demo")
@pass_cli
def demo_cmd(ctx: CliContext) -> None:
    """Load the demo data set (warehouses, products, months of history) into an empty database."""
    from invdesk.services import demo

    summary = demo.load_demo(ctx.database(), ctx.actor())
    click.echo(
        f"Loaded {summary.warehouses} warehouses, {summary.products} products and "
        f"{summary.movements:,} ledger rows."
    )


@click.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@pass_cli
def verify_cmd(ctx: CliContext, as_json: bool) -> None:
    """Recompute every stock level from the ledger; exit 1 if any counter disagrees."""
    problems = verify.verify(ctx.database(), ctx.actor())
    if as_json:
        emit_json({"ok": not problems, "differences": problems})
    elif not problems:
        click.echo("All stock levels agree with the ledger.")
    else:
        for problem in problems:
            click.echo(problem.describe())
        click.echo(f"{len(problems)} stock level(s) disagree with the ledger.", err=True)
    if problems:
        raise SystemExit(1)


COMMANDS = [db_group, demo_cmd, verify_cmd]
