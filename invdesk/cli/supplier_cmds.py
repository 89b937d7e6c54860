"""Supplier commands: add, edit, list suppliers and link them to the products they sell."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.purchasing import LinkSupplier, SupplierDetails, SupplierView
from invdesk.services.catalog import suppliers

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


def details_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        (
            click.option("--contact", help="The person to talk to."),
            click.option("--email", help="Where purchase orders go."),
            click.option("--phone"),
            click.option("--address"),
            click.option("--lead-days", help="Default lead time in days (order to delivery)."),
            click.option("--notes"),
        )
    ):
        func = option(func)
    return func


@click.group("supplier")
def supplier_group() -> None:
    """Suppliers: who sells us what, at what price, pack, minimum and lead time."""


def _show(view: SupplierView, as_json: bool, text: str) -> None:
    if as_json:
        emit_json(view)
    else:
        click.echo(text)


@supplier_group.command("add")
@click.argument("code")
@click.argument("name")
@details_options
@json_option
@pass_cli
def supplier_add(
    ctx: CliContext,
    code: str,
    name: str,
    contact: str | None,
    email: str | None,
    phone: str | None,
    address: str | None,
    lead_days: str | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Add supplier CODE (stored in capitals) called NAME."""
    details = SupplierDetails(code, name, contact, email, phone, address, lead_days, notes)
    view = suppliers.create_supplier(ctx.database(), details, ctx.actor())
    _show(view, as_json, f"Added supplier {view.code} ({view.name}).")


@supplier_group.command("edit")
@click.argument("code")
@click.option("--name")
@details_options
@click.option("--active/--inactive", default=None, help="Reactivate or deactivate.")
@click.option("--expected-version", type=int, help="Refuse if the version is no longer this.")
@json_option
@pass_cli
def supplier_edit(
    ctx: CliContext,
    code: str,
    name: str | None,
    contact: str | None,
    email: str | None,
    phone: str | None,
    address: str | None,
    lead_days: str | None,
    notes: str | None,
    active: bool | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a supplier's details; --inactive deactivates it (its orders stay)."""
    details = SupplierDetails(
        code, name, contact, email, phone, address, lead_days, notes, active, expected_version
    )
    view = suppliers.edit_supplier(ctx.database(), details, ctx.actor())
    _show(view, as_json, f"Supplier {view.code}: {'active' if view.active else 'inactive'}.")


@supplier_group.command("list")
@click.option("--active", "active_only", is_flag=True, help="Only active suppliers.")
@json_option
@pass_cli
def supplier_list(ctx: CliContext, active_only: bool, as_json: bool) -> None:
    """List suppliers."""
    rows = suppliers.list_suppliers(ctx.database(), ctx.actor(), include_inactive=not active_only)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["Code", "Name", "E-mail", "Phone", "Lead days", "Active"],
        [
            [r.code, r.name, r.email, r.phone, r.lead_days, "yes" if r.active else "no"]
            for r in rows
        ],
        empty="No suppliers yet: add one with `invdesk supplier add CODE NAME`.",
    )


@supplier_group.command("link")
@click.argument("sku")
@click.argument("supplier")
@click.option("--supplier-sku", help="The supplier's own code for the product.")
@click.option("--price", help="The supplier's price per pack.")
@click.option("--pack", help="Units per pack the supplier sells (default 1).")
@click.option("--min", "minimum", help="Minimum order quantity in units.")
@click.option("--lead-days", help="Lead time for this product (default: the supplier's).")
@click.option("--preferred/--not-preferred", default=None, help="The product's preferred supplier.")
@json_option
@pass_cli
def supplier_link(
    ctx: CliContext,
    sku: str,
    supplier: str,
    supplier_sku: str | None,
    price: str | None,
    pack: str | None,
    minimum: str | None,
    lead_days: str | None,
    preferred: bool | None,
    as_json: bool,
) -> None:
    """Say that SUPPLIER sells SKU, and on what terms (fields not given keep their value)."""
    cmd = LinkSupplier(supplier, sku, supplier_sku, price, pack, minimum, lead_days, preferred)
    link = suppliers.link_supplier(ctx.database(), cmd, ctx.actor())
    if as_json:
        emit_json(link)
        return
    star = " (preferred)" if link.preferred else ""
    click.echo(
        f"{link.supplier} sells {link.sku}{star}: pack {link.pack_size}, minimum {link.min_qty}, "
        f"price {link.price if link.price is not None else '-'} per pack, "
        f"lead {link.effective_lead_days if link.effective_lead_days is not None else '-'} days."
    )


@supplier_group.command("products")
@click.argument("supplier", required=False)
@click.option("--sku", help="Only this product's suppliers.")
@json_option
@pass_cli
def supplier_products(
    ctx: CliContext, supplier: str | None, sku: str | None, as_json: bool
) -> None:
    """What SUPPLIER sells (or every supplier, or one product's suppliers with --sku)."""
    rows = suppliers.supplier_links(ctx.database(), ctx.actor(), supplier=supplier, product=sku)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["SKU", "Supplier", "Supplier SKU", "Price/pack", "Pack", "Min", "Lead", "Preferred"],
        [
            [
                r.sku,
                r.supplier,
                r.supplier_sku,
                r.price,
                r.pack_size,
                r.min_qty,
                r.effective_lead_days,
                "yes" if r.preferred else "",
            ]
            for r in rows
        ],
        empty="No supplier terms yet: add them with `invdesk supplier link SKU SUPPLIER`.",
    )


COMMANDS = [supplier_group]
