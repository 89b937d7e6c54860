"""Webhooks (admins): `invdesk webhook add|list|remove|test|deliveries|retry`."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.outbound import SUBSCRIBABLE
from invdesk.services.outbound import webhooks

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


@click.group("webhook")
def webhook_group() -> None:
    """Endpoints that get stock, alert and order events as signed POSTs (sent by `invdesk serve`)."""


@webhook_group.command("add")
@click.argument("url")
@click.option(
    "--event",
    "event_types",
    multiple=True,
    required=True,
    type=click.Choice(SUBSCRIBABLE, case_sensitive=False),
    help="An event to send (repeat for several); alert.changed is every alert change.",
)
@click.option("--secret", help="Signing secret (16+ characters); default: a new random one.")
@pass_cli
def webhook_add(
    ctx: CliContext, url: str, event_types: tuple[str, ...], secret: str | None
) -> None:
    """Send EVENTs to URL, each POST signed with X-Invdesk-Signature: sha256=HMAC(secret, body)."""
    view, key = webhooks.add_webhook(ctx.database(), ctx.actor(), url, event_types, secret)
    click.echo(f"Added webhook {view.id}: {view.url} ({', '.join(view.events)}).")
    if secret is None:
        click.echo(f"Signing secret (shown once; keep it with the receiver): {key}")


@webhook_group.command("list")
@json_option
@pass_cli
def webhook_list(ctx: CliContext, as_json: bool) -> None:
    """List the active webhooks."""
    rows = webhooks.list_webhooks(ctx.database(), ctx.actor())
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["ID", "URL", "EVENTS", "ADDED", "BY"],
        [(w.id, w.url, " ".join(w.events), w.created_at, w.created_by) for w in rows],
        empty="No webhooks: add one with `invdesk webhook add URL --event stock.changed`.",
    )


@webhook_group.command("remove")
@click.argument("webhook_id", type=int)
@pass_cli
def webhook_remove(ctx: CliContext, webhook_id: int) -> None:
    """Stop sending to a webhook (its pending deliveries are cancelled; history stays)."""
    webhooks.remove_webhook(ctx.database(), ctx.actor(), webhook_id)
    click.echo(f"Removed webhook {webhook_id}.")


@webhook_group.command("test")
@click.argument("webhook_id", type=int)
@pass_cli
def webhook_test(ctx: CliContext, webhook_id: int) -> None:
    """Queue a webhook.test event for one webhook; the server sends it within a second."""
    event_id = webhooks.test_webhook(ctx.database(), ctx.actor(), webhook_id)
    click.echo(
        f"Queued test event {event_id}; see its answer with "
        f"`invdesk webhook deliveries --event-id {event_id}`."
    )


@webhook_group.command("deliveries")
@click.option("--webhook", "webhook_id", type=int, help="Only this webhook's deliveries.")
@click.option(
    "--status", type=click.Choice(webhooks.DELIVERY_STATUSES), help="Only deliveries in this state."
)
@click.option("--event-id", help="Only the deliveries of this event.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@json_option
@pass_cli
def webhook_deliveries(
    ctx: CliContext,
    webhook_id: int | None,
    status: str | None,
    event_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """What was sent, when, the answer, and when the next try is (newest first)."""
    rows = webhooks.list_deliveries(
        ctx.database(),
        ctx.actor(),
        webhook_id=webhook_id,
        status=status,
        event_id=event_id,
        limit=limit,
    )
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["ID", "EVENT", "TYPE", "TO", "STATUS", "TRIES", "LAST TRY", "ANSWER", "NEXT TRY"],
        [
            (
                d.id,
                d.event_id,
                d.event_type,
                d.recipient,
                d.status,
                d.attempts,
                d.last_attempt_at,
                " ".join(str(p) for p in (d.response_code, d.response_text) if p)[:60],
                d.next_attempt_at,
            )
            for d in rows
        ],
        empty="No deliveries yet.",
    )


@webhook_group.command("retry")
@click.argument("delivery_id", type=int)
@pass_cli
def webhook_retry(ctx: CliContext, delivery_id: int) -> None:
    """Send a failed delivery again now (same body, same event id)."""
    view = webhooks.retry_delivery(ctx.database(), ctx.actor(), delivery_id)
    click.echo(f"Delivery {view.id} ({view.event_id}) will be sent again now.")


COMMANDS = [webhook_group]
