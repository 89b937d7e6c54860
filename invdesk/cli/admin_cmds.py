"""Administration: schema upgrades, demo data and the integrity check."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.domain.errors import DatabaseDamaged
from invdesk.services.system import backup, database
from invdesk.services.trust import seals, verify


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

    Everything recorded since that backup is lost. A damaged database file is kept beside it.
    """
    try:
        db, actor = ctx.database(), ctx.actor()
    except DatabaseDamaged as damage:
        _replace_damaged(ctx, file, yes, damage)
        return
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


def _replace_damaged(ctx: CliContext, file: str, yes: bool, damage: DatabaseDamaged) -> None:
    target = database.sqlite_file(ctx.url())
    if target is None:
        raise damage
    info = backup.check_backup(file)
    if not yes:
        click.confirm(
            f"{damage.message}\nPut the backup {info.path} in its place (the damaged file is kept "
            "beside it)?",
            abort=True,
            err=True,
        )
    backup.replace_damaged(target, file)
    click.echo(
        f"Restored {info.path}; the damaged file was kept beside it as {target.name}.damaged-*."
    )


@click.command("demo")
@pass_cli
def demo_cmd(ctx: CliContext) -> None:
    """Load the demo data set (warehouses, products, months of history) into an empty database."""
    from invdesk.services.demo import loader

    summary = loader.load_demo(ctx.database(), ctx.actor())
    click.echo(
        f"Loaded {summary.warehouses} warehouses, {summary.products} products and "
        f"{summary.movements:,} ledger rows."
    )


@click.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.option(
    "--against",
    "against",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Also prove that nothing up to the seals in FILE (from --seal-export) has changed.",
)
@click.option(
    "--seal-export",
    "seal_export",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="When all is well, write the newest seals to FILE, to keep away from the server.",
)
@pass_cli
def verify_cmd(
    ctx: CliContext, as_json: bool, against: str | None, seal_export: str | None
) -> None:
    """Check counters, running balances and seals of the ledger and audit trail; exit 1 if any
    problem is found."""
    pinned = seals.load_export(against) if against else []
    db, actor = ctx.database(), ctx.actor()
    report = verify.verify_all(db, actor, pinned)
    exported = seals.export(db, actor, seal_export) if seal_export and report.ok else []
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "differences": report.discrepancies,
                "findings": report.findings,
                "unlisted": report.unlisted,
                "trails": report.trails,
                "exported": exported,
            }
        )
    elif report.ok:
        click.echo("All stock levels agree with the ledger.")
        for line in _trail_lines(report):
            click.echo(line)
        if pinned:
            click.echo(f"Nothing up to the seals in {against} has changed.")
        if exported:
            click.echo(f"Wrote the newest seals to {seal_export}.")
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        if report.discrepancies:
            click.echo(
                f"{len(report.discrepancies)} stock level(s) disagree with the ledger.", err=True
            )
        trail_problems = report.problems - len(report.discrepancies)
        if trail_problems:
            click.echo(f"{trail_problems} problem(s) found in the ledger or audit trail.", err=True)
        if seal_export:
            click.echo(f"No seals were written to {seal_export}: fix the problems first.", err=True)
        raise SystemExit(1)


def _trail_lines(report: verify.VerifyReport) -> list[str]:
    lines = []
    for state in report.trails:
        name = "Ledger" if state.trail == "ledger" else "Audit trail"
        extra = ", running balances agree" if state.trail == "ledger" else ""
        lines.append(
            f"{name}: {state.rows:,} rows{extra}; {state.sealed:,} sealed and unchanged, "
            f"{state.rows - state.sealed:,} not sealed yet."
        )
    return lines


@click.command("seal")
@pass_cli
def seal_cmd(ctx: CliContext) -> None:
    """Seal the ledger and audit trail rows written since the last seal."""
    made = seals.seal(ctx.database(), ctx.actor())
    click.echo(f"Wrote {made} new seal(s).")


COMMANDS = [db_group, demo_cmd, verify_cmd, seal_cmd]
