"""`invdesk serve`: the HTTP API for web shops, POS and marketplaces."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.server.settings import (
    DEFAULT_BURST,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_RATE,
    ServerSettings,
)
from invdesk.services.system.database import DEFAULT_MAX_LAG_S, open_database


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
@click.option(
    "--rate-limit",
    "rate",
    default=DEFAULT_RATE,
    show_default=True,
    type=click.FloatRange(0.1, 100_000),
    help="Requests a second each API token may send, on average (per server process).",
)
@click.option(
    "--burst",
    default=DEFAULT_BURST,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Requests a token may send at once before the rate applies.",
)
@pass_cli
def serve_cmd(ctx: CliContext, host: str, port: int, workers: int, rate: float, burst: int) -> None:
    """Serve the HTTP API (see README, “Connecting a web shop or POS”) until stopped."""
    from invdesk.server.run import serve

    # Opened once here so a bad URL or an old schema is reported before any worker starts.
    url = ctx.database_url()
    replica = ctx.read_replica()  # --read-db, the environment or the config file
    open_database(url, read_url=None if replica is None else replica.url).dispose()
    settings = ServerSettings(
        url,
        read_db_url=None if replica is None else replica.url,
        read_max_lag_s=DEFAULT_MAX_LAG_S if replica is None else replica.max_lag_s,
        host=host,
        port=port,
        workers=workers,
        rate_per_second=rate,
        rate_burst=burst,
    )
    click.echo(f"invdesk serving on http://{host}:{port} (Ctrl+C stops)", err=True)
    serve(settings)


COMMANDS = [serve_cmd]
