"""`invdesk serve`: the HTTP API for web shops, POS and marketplaces."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.server.settings import DEFAULT_HOST, DEFAULT_PORT, ServerSettings


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port (about one per CPU core).",
)
@pass_cli
def serve_cmd(ctx: CliContext, host: str, port: int, workers: int) -> None:
    """Serve the HTTP API (see README, “Connecting a web shop or POS”) until stopped."""
    from invdesk.server.run import serve

    # Opened once here so a bad URL or an old schema is reported before any worker starts.
    db = ctx.database()
    settings = ServerSettings(ctx.database_url(), host=host, port=port, workers=workers)
    db.dispose()
    click.echo(f"invdesk serving on http://{host}:{port} (Ctrl+C stops)", err=True)
    serve(settings)


COMMANDS = [serve_cmd]
