"""The `invdesk` command: with no sub-command it opens the desktop app; otherwise it scripts."""

from __future__ import annotations

import sys
from typing import Any

import click

from invdesk import __version__
from invdesk.cli.context import CliContext
from invdesk.domain.errors import InvdeskError


class InvdeskGroup(click.Group):
    """Turns known errors into one sentence on stderr and their exit code; bugs still show a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvdeskError as error:
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(error.exit_code)
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
@click.option("--demo", is_flag=True, help="Open the app and load the demo data set.")
@click.version_option(__version__, prog_name="invdesk")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, demo: bool) -> None:
    """invdesk: inventory for warehouses and small businesses.

    Run without a command to open the desktop app.
    """
    # app.main hands in the GUI launcher, so this package never imports the GUI itself.
    launch_gui = ctx.obj if callable(ctx.obj) else None
    ctx.obj = CliContext(db_url)
    if ctx.invoked_subcommand is None:
        if launch_gui is None:
            raise click.UsageError("Name a command (see --help).")
        sys.exit(launch_gui(db_url, demo))


def register() -> None:
    from invdesk.cli import admin_cmds, catalog_cmds, report_cmds, stock_cmds

    for module in (admin_cmds, catalog_cmds, stock_cmds, report_cmds):
        for command in module.COMMANDS:
            cli.add_command(command)


register()
