"""The `invdesk` command: with no sub-command it opens the desktop app; otherwise it scripts."""

from __future__ import annotations

import sys
from typing import Any

import click

from invdesk import __version__
from invdesk.cli.context import CliContext
from invdesk.domain.errors import InvdeskError
from invdesk.services.system import database


class InvdeskGroup(click.Group):
    """Turns known errors into one sentence on stderr and their exit code; bugs still show a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvdeskError as error:
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(error.exit_code)
        except Exception as error:
            # A damaged file, a full disk or a lost server that reached here untranslated.
            known = database.as_known_error(error)
            if known is None:
                raise
            click.echo(f"Error: {known.message}", err=True)
            ctx.exit(known.exit_code)
        finally:
            obj = ctx.obj
            if isinstance(obj, CliContext):
                obj.close()


@click.group(
    cls=InvdeskGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    envvar=None,
    help="Database URL (sqlite:///file.db or postgresql://user@host/db). "
    "Default: INVDESK_DATABASE_URL, the config file, then a local SQLite file.",
)
@click.option(
    "--user",
    "user",
    metavar="NAME",
    envvar="INVDESK_USER",
    help="Log in as this user (password from INVDESK_PASSWORD or a prompt). "
    "Needed once the database has user accounts.",
)
@click.option(
    "--read-db",
    "read_db_url",
    metavar="URL",
    help="A PostgreSQL streaming replica of --db for listings, reports and exports, used while "
    "it is up and within --read-max-lag. Default: INVDESK_READ_DATABASE_URL, then the config "
    "file's [database] read_url; none.",
)
@click.option(
    "--read-max-lag",
    "read_max_lag",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    help="Replay lag beyond which reads go to the primary instead. Default: the config file's "
    "[database] read_max_lag_s, then 2.",
)
@click.option("--demo", is_flag=True, help="Open the app and load the demo data set.")
@click.version_option(__version__, prog_name="invdesk")
@click.pass_context
def cli(
    ctx: click.Context,
    db_url: str | None,
    user: str | None,
    read_db_url: str | None,
    read_max_lag: float | None,
    demo: bool,
) -> None:
    """invdesk: inventory for warehouses and small businesses.

    Run without a command to open the desktop app.
    """
    # app.main hands in the GUI launcher, so this package never imports the GUI itself.
    launch_gui = ctx.obj if callable(ctx.obj) else None
    ctx.obj = CliContext(
        db_url, user, gui=launch_gui, read_db_flag=read_db_url, read_max_lag_flag=read_max_lag
    )
    if ctx.invoked_subcommand is None:
        if launch_gui is None:
            raise click.UsageError("Name a command (see --help).")
        sys.exit(launch_gui(db_url, demo))


@cli.command("screenshots")
@click.argument("directory", type=click.Path(file_okay=False))
@click.pass_obj
def screenshots(obj: CliContext, directory: str) -> None:
    """Render every page of the demo data to PNG files in DIRECTORY (offscreen)."""
    render = getattr(obj.gui, "screenshots", None)
    if render is None:
        raise click.UsageError("Screenshots need the desktop app (run the installed invdesk).")
    for path in render(directory):
        click.echo(str(path))


def register() -> None:
    from invdesk.cli import (
        admin_cmds,
        catalog_cmds,
        category_cmds,
        company_cmds,
        count_cmds,
        document_cmds,
        label_cmds,
        location_cmds,
        po_cmds,
        report_cmds,
        restock_cmds,
        serve_cmds,
        stock_cmds,
        supplier_cmds,
        token_cmds,
        trace_cmds,
        transit_cmds,
        user_cmds,
        webhook_cmds,
    )

    for module in (
        admin_cmds,
        catalog_cmds,
        category_cmds,
        location_cmds,
        label_cmds,
        stock_cmds,
        count_cmds,
        transit_cmds,
        document_cmds,
        restock_cmds,
        supplier_cmds,
        po_cmds,
        trace_cmds,
        report_cmds,
        user_cmds,
        company_cmds,
        serve_cmds,
        token_cmds,
        webhook_cmds,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


register()
