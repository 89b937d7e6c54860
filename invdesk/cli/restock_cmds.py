"""Alerts, reorder suggestions, restock policies and sales orders on the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.errors import ValidationError
from invdesk.domain.orders import (
    DEFAULT_ORDER_TTL,
    Channel,
    OrderLine,
    OrderStatus,
    OrderView,
    PlaceOrder,
)
from invdesk.domain.restock import AlertStatus, PolicyKind, PolicyRule, SetPolicy
from invdesk.services.reads import alerts, reorder
from invdesk.services.stock import orders, policies

CHANNELS = [c.value for c in Channel]


@click.group("alerts", invoke_without_command=True)
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved alerts.")
@click.option("--warehouse", "-w", multiple=True, help="Only these warehouses (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def alerts_group(
    click_ctx: click.Context, include_resolved: bool, warehouse: tuple[str, ...], as_json: bool
) -> None:
    """List open and acknowledged low-stock and out-of-stock alerts (newest first)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: CliContext = click_ctx.obj
    statuses = (
        list(AlertStatus) if include_resolved else [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]
    )
    found = alerts.list_alerts(ctx.database(), ctx.actor(), statuses=statuses, warehouses=warehouse)
    if as_json:
        emit_json(found)
        return
    emit_table(
        [
            "ID",
            "Raised",
            "Warehouse",
            "SKU",
            "Product",
            "Alert",
            "Status",
            "Available",
            "Threshold",
        ],
        [
            (
                a.id,
                a.raised_at,
                a.warehouse,
                a.sku,
                a.product_name,
                a.kind,
                a.status,
                a.available,
                a.threshold,
            )
            for a in found
        ],
        empty="No open alerts.",
    )


@alerts_group.command("ack")
@click.argument("alert_id", type=int)
@pass_cli
def alerts_ack_cmd(ctx: CliContext, alert_id: int) -> None:
    """Acknowledge alert ALERT_ID (it stays until stock recovers)."""
    alerts.acknowledge(ctx.database(), alert_id, ctx.actor())
    click.echo(f"Alert {alert_id} acknowledged.")


@click.command("reorder")
@click.option("--warehouse", "-w", help="Only this warehouse (its code).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def reorder_cmd(ctx: CliContext, warehouse: str | None, as_json: bool) -> None:
    """What to order per warehouse and policy; transfers from a surplus come before purchases."""
    found = reorder.suggestions(ctx.database(), ctx.actor(), warehouse)
    if as_json:
        emit_json(found)
        return
    emit_table(
        ["Warehouse", "SKU", "Product", "Available", "On order", "Threshold", "Qty", "Action",
         "From", "Policy"],
        [
            (s.warehouse, s.sku, s.product_name, s.available, s.on_order, s.threshold,
             s.suggested_qty, s.action, s.source, f"{s.policy.value} ({s.scope.value})")
            for s in found
        ],
        empty="Nothing to reorder.",
    )  # fmt: skip


@click.group("policy")
def policy_group() -> None:
    """Restock policies per warehouse, with overrides per category and product."""


@policy_group.command("set")
@click.argument("warehouse")
@click.option("--product", help="Override for this SKU.")
@click.option("--category", help="Override for this category.")
@click.option("--kind", type=click.Choice([k.value for k in PolicyKind]), required=True)
@click.option("--point", type=int, default=0, help="Reorder point (reorder_point).")
@click.option("--qty", type=int, default=0, help="Reorder quantity (reorder_point).")
@click.option("--min", "minimum", type=int, default=0, help="Minimum (min_max).")
@click.option("--max", "maximum", type=int, default=0, help="Maximum (min_max).")
@click.option("--cover-days", type=int, default=0, help="Days of cover (days_of_cover).")
@click.option("--lookback-days", type=int, default=30, show_default=True)
@click.option("--target-days", type=int, default=0, help="Days to order for (days_of_cover).")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def policy_set_cmd(
    ctx: CliContext,
    warehouse: str,
    product: str | None,
    category: str | None,
    kind: str,
    point: int,
    qty: int,
    minimum: int,
    maximum: int,
    cover_days: int,
    lookback_days: int,
    target_days: int,
    as_json: bool,
) -> None:
    """Set the policy of WAREHOUSE (or of one product or category in it)."""
    policy_kind = PolicyKind(kind)
    if policy_kind is PolicyKind.MIN_MAX:
        rule = PolicyRule(policy_kind, point=minimum, level=maximum)
    elif policy_kind is PolicyKind.REORDER_POINT:
        rule = PolicyRule(policy_kind, point=point, qty=qty)
    else:
        rule = PolicyRule(
            policy_kind,
            cover_days=cover_days,
            lookback_days=lookback_days,
            target_days=target_days or cover_days,
        )
    view = policies.set_policy(
        ctx.database(), SetPolicy(warehouse, rule, product, category), ctx.actor()
    )
    if as_json:
        emit_json(view)
    else:
        click.echo(f"Policy {view.id} set for {view.warehouse} {view.target or '(all)'}.")


@policy_group.command("list")
@click.option("--warehouse", "-w", help="Only this warehouse (its code).")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def policy_list_cmd(ctx: CliContext, warehouse: str | None, as_json: bool) -> None:
    """List restock policies."""
    found = policies.list_policies(ctx.database(), ctx.actor(), warehouse)
    if as_json:
        emit_json(found)
        return
    emit_table(
        ["ID", "Warehouse", "Scope", "For", "Kind", "Point/min", "Qty", "Max", "Cover", "Lookback", "Target"],
        [
            (p.id, p.warehouse, p.scope, p.target, p.rule.kind, p.rule.point, p.rule.qty,
             p.rule.level, p.rule.cover_days, p.rule.lookback_days, p.rule.target_days)
            for p in found
        ],
        empty="No policies.",
    )  # fmt: skip


@policy_group.command("remove")
@click.argument("policy_id", type=int)
@pass_cli
def policy_remove_cmd(ctx: CliContext, policy_id: int) -> None:
    """Remove policy POLICY_ID; the next most specific policy applies."""
    policies.remove_policy(ctx.database(), policy_id, ctx.actor())
    click.echo(f"Policy {policy_id} removed.")


@click.group("order")
def order_group() -> None:
    """Sales orders: place (reserves every line), fulfil, cancel, list."""


def _line(text: str) -> OrderLine:
    sku, sep, qty = text.rpartition(":")
    if not sep or not sku:
        raise ValidationError(f"Write each line as SKU:QTY (got “{text}”).", field="lines")
    return OrderLine(sku, qty)


def _from_file(path: Path, warehouse: str | None, channel: str, ttl: int) -> list[PlaceOrder]:
    """Orders in a shop's export: JSON (one order or a list) or CSV (reference, sku, qty, ...)."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValidationError(f"Cannot read {path}: {error.strerror}.", field="file") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(content)
        except ValueError as error:
            raise ValidationError(
                f"{path.name} is not valid JSON: {error}.", field="file"
            ) from None
        items = data if isinstance(data, list) else [data]
        placed = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("lines"), list):
                raise ValidationError("Each JSON order needs a reference and lines.", field="file")
            placed.append(
                PlaceOrder(
                    str(item.get("reference", "")),
                    str(item.get("warehouse") or warehouse or ""),
                    tuple(
                        OrderLine(str(line.get("sku", "")), line.get("qty"), line.get("warehouse"))
                        for line in item["lines"]
                    ),
                    str(item.get("channel") or channel),
                    item.get("ttl", ttl),
                )
            )
        return placed
    grouped: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(content)):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        ref = row.get("reference", "")
        order = grouped.setdefault(
            ref,
            {
                "warehouse": row.get("warehouse") or warehouse or "",
                "channel": row.get("channel") or channel,
                "lines": [],
            },
        )
        order["lines"].append(
            OrderLine(row.get("sku", ""), row.get("qty"), row.get("warehouse") or None)
        )
    if not grouped:
        raise ValidationError(f"{path.name} holds no order lines.", field="file")
    return [
        PlaceOrder(ref, o["warehouse"], tuple(o["lines"]), o["channel"], ttl)
        for ref, o in grouped.items()
    ]  # fmt: skip


def _show(order: OrderView) -> None:
    state = "already placed" if order.replayed else order.status.value
    click.echo(
        f"Order {order.reference} ({order.channel.value}): {state}, "
        f"{len(order.lines)} line(s), held until {order.expires_at:%Y-%m-%d %H:%M} UTC"
    )


@order_group.command("place")
@click.argument("reference", required=False)
@click.argument("lines", nargs=-1)
@click.option("--warehouse", "-w", help="Warehouse the lines are taken from.")
@click.option("--channel", type=click.Choice(CHANNELS), default="manual", show_default=True)
@click.option(
    "--ttl", type=int, default=DEFAULT_ORDER_TTL, show_default=True, help="Seconds the holds last."
)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Orders from a CSV or JSON file.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def order_place_cmd(
    ctx: CliContext,
    reference: str | None,
    lines: tuple[str, ...],
    warehouse: str | None,
    channel: str,
    ttl: int,
    file: Path | None,
    as_json: bool,
) -> None:
    """Place order REFERENCE with lines SKU:QTY, or the orders in --file.

    Every line is reserved or none is. The same reference again changes nothing.
    """
    if file is not None:
        if reference or lines:
            raise ValidationError(
                "Give either --file or a reference with lines, not both.", field="file"
            )
        commands = _from_file(file, warehouse, channel, ttl)
    else:
        if not reference or not lines:
            raise ValidationError("Give a reference and at least one SKU:QTY line.", field="lines")
        commands = [
            PlaceOrder(reference, warehouse or "", tuple(_line(t) for t in lines), channel, ttl)
        ]
    placed = [orders.place_order(ctx.database(), cmd, ctx.actor()) for cmd in commands]
    if as_json:
        emit_json(placed if file is not None else placed[0])
        return
    for order in placed:
        _show(order)


def _close_command(name: str, doc: str, fulfil: bool) -> click.Command:
    @order_group.command(name, help=doc)
    @click.argument("reference")
    @click.option("--json", "as_json", is_flag=True)
    @pass_cli
    def command(ctx: CliContext, reference: str, as_json: bool) -> None:
        action = orders.fulfil_order if fulfil else orders.cancel_order
        order = action(ctx.database(), reference, ctx.actor())
        if as_json:
            emit_json(order)
        else:
            _show(order)

    return command


_close_command("fulfil", "Fulfil order REFERENCE: its holds become issues.", True)
_close_command("cancel", "Cancel order REFERENCE: its holds are released.", False)


@order_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in OrderStatus]))
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def order_list_cmd(ctx: CliContext, status: str | None, as_json: bool) -> None:
    """List orders, newest first."""
    db = ctx.database()
    found = orders.list_orders(db, ctx.actor(), OrderStatus(status) if status else None)
    if as_json:
        emit_json(found)
        return
    now = db.now()
    emit_table(
        ["Reference", "Channel", "Status", "Lines", "Units", "Placed", "Time left (min)"],
        [
            (o.reference, o.channel, o.status, len(o.lines), sum(line.qty for line in o.lines),
             o.created_at, o.seconds_left(now) // 60)
            for o in found
        ],
        empty="No orders.",
    )  # fmt: skip


COMMANDS = [alerts_group, reorder_cmd, policy_group, order_group]
