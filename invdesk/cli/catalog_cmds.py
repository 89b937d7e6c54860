"""Catalog commands: products (with barcodes) and warehouses."""

from __future__ import annotations

import dataclasses

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.barcodes import parse_barcode_spec
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse, ProductView
from invdesk.services.catalog import products, warehouses

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


@click.group("product")
def product_group() -> None:
    """Add, list, show and edit products."""


@product_group.command("add")
@click.argument("sku")
@click.argument("name")
@click.option("--category", required=True, help="Category name, e.g. Tools.")
@click.option("--unit", default="each", show_default=True, help="Unit of measure.")
@click.option("--price", default="0", help="Selling price, e.g. 12.50.")
@click.option("--cost", default="0", help="Standard unit cost, e.g. 7.20.")
@click.option("--description", help="What the product is (several lines allowed).")
@click.option(
    "--tracking",
    type=click.Choice(["none", "lot", "serial"]),
    help="Track stock by lot (with expiry) or by serial number.",
)
@click.option(
    "--shelf-life", "shelf_life", type=int, help="Days a new lot keeps (dates its expiry)."
)
@click.option(
    "--barcode",
    "barcodes",
    multiple=True,
    metavar="CODE[:PACK]",
    help="A barcode; CODE:12 marks a case of 12 units. Repeatable.",
)
@json_option
@pass_cli
def product_add(
    ctx: CliContext,
    sku: str,
    name: str,
    category: str,
    unit: str,
    price: str,
    cost: str,
    description: str | None,
    tracking: str | None,
    shelf_life: int | None,
    barcodes: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a product. Its category must exist (`invdesk category list`; a manager adds one with
    `invdesk category add`)."""
    specs = tuple(parse_barcode_spec(spec) for spec in barcodes)
    product = products.create_product(
        ctx.database(),
        CreateProduct(
            sku, name, category, unit=unit, price=price, cost=cost, barcodes=specs,
            description=description, tracking=tracking or "none", shelf_life_days=shelf_life,
        ),
        ctx.actor(),
    )  # fmt: skip
    _show(product, as_json)


@product_group.command("list")
@click.option("--search", help="Part of a SKU or name, or a whole barcode.")
@click.option("--category", help="Only this category.")
@click.option("--inactive", is_flag=True, help="Include inactive products.")
@click.option(
    "--limit",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="At most this many rows; says so when more exist.",
)
@click.option("--all", "show_all", is_flag=True, help="Every matching product (no limit).")
@json_option
@pass_cli
def product_list(
    ctx: CliContext,
    search: str | None,
    category: str | None,
    inactive: bool,
    limit: int,
    show_all: bool,
    as_json: bool,
) -> None:
    """List products, ordered by SKU."""
    # One row past the limit tells whether more exist without counting them all.
    found = products.list_products(
        ctx.database(),
        ctx.actor(),
        search=search,
        category=category,
        include_inactive=inactive,
        limit=None if show_all else limit + 1,
    )
    more = not show_all and len(found) > limit
    found = found[:limit] if more else found
    if as_json:
        emit_json(found)
    else:
        emit_table(
            ["SKU", "Name", "Category", "Unit", "Price", "Cost", "Active"],
            [
                [p.sku, p.name, p.category, p.unit, p.price, p.cost, "yes" if p.active else "no"]
                for p in found
            ],
            empty="No products.",
        )
    if more and not as_json:  # on stderr, so a script reading the table is not disturbed
        click.echo(
            f"Showing the first {limit:,}; more products match. Use --all, --limit N or --search.",
            err=True,
        )


@product_group.command("show")
@click.argument("sku")
@json_option
@pass_cli
def product_show(ctx: CliContext, sku: str, as_json: bool) -> None:
    """Show one product (by SKU or barcode)."""
    _show(products.get_product(ctx.database(), sku, ctx.actor()), as_json)


@product_group.command("edit")
@click.argument("sku")
@click.option("--sku", "new_sku", help="A new SKU.")
@click.option("--name")
@click.option("--category")
@click.option("--unit")
@click.option("--price")
@click.option("--cost")
@click.option("--description", help="A new description (empty text clears it).")
@click.option(
    "--tracking",
    type=click.Choice(["none", "lot", "serial"]),
    help="Track stock by lot (with expiry) or by serial number.",
)
@click.option("--shelf-life", "shelf_life", type=int, help="Days a new lot keeps; 0 clears it.")
@click.option("--active/--inactive", default=None, help="Reactivate or deactivate.")
@click.option("--add-barcode", "add_barcodes", multiple=True, metavar="CODE[:PACK]")
@click.option("--remove-barcode", "remove_barcodes", multiple=True, metavar="CODE")
@click.option(
    "--expected-version",
    type=int,
    help="Refuse the edit if the product's version is no longer this.",
)
@json_option
@pass_cli
def product_edit(
    ctx: CliContext,
    sku: str,
    new_sku: str | None,
    name: str | None,
    category: str | None,
    unit: str | None,
    price: str | None,
    cost: str | None,
    description: str | None,
    tracking: str | None,
    shelf_life: int | None,
    active: bool | None,
    add_barcodes: tuple[str, ...],
    remove_barcodes: tuple[str, ...],
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a product's fields or barcodes."""
    db, actor = ctx.database(), ctx.actor()
    specs = [parse_barcode_spec(spec) for spec in add_barcodes]
    product = products.edit_product(
        db,
        EditProduct(
            sku=sku,
            expected_version=expected_version,
            new_sku=new_sku,
            name=name,
            category=category,
            unit=unit,
            price=price,
            cost=cost,
            active=active,
            description=description,
            tracking=tracking,
            shelf_life_days=shelf_life,
        ),
        actor,
    )
    for code, pack in specs:
        product = products.add_barcode(db, product.sku, code, pack, actor)
    for code in remove_barcodes:
        product = products.remove_barcode(db, code, actor)
    _show(product, as_json)


def _show(product: ProductView, as_json: bool) -> None:
    if as_json:
        data = dataclasses.asdict(product)
        if product.tracking == "none" and product.shelf_life_days is None:
            # A shop without lots sees the JSON it always saw.
            del data["tracking"], data["shelf_life_days"]
        emit_json(data)
        return
    click.echo(f"{product.sku}  {product.name}")
    click.echo(
        f"  category {product.category}, unit {product.unit}, price {product.price}, "
        f"cost {product.cost}, {'active' if product.active else 'inactive'}, "
        f"version {product.version}"
    )
    if product.tracking != "none":
        life = (
            ""
            if product.shelf_life_days is None
            else f", shelf life {product.shelf_life_days} days"
        )
        click.echo(f"  tracked by {product.tracking}{life}")
    for line in (product.description or "").splitlines():
        click.echo(f"  | {line}")
    for barcode in product.barcodes:
        pack = f" (case of {barcode.pack_qty})" if barcode.pack_qty > 1 else ""
        click.echo(f"  barcode {barcode.code}{pack}")


@click.group("warehouse")
def warehouse_group() -> None:
    """Add, list and edit warehouses."""


@warehouse_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--address")
@json_option
@pass_cli
def warehouse_add(
    ctx: CliContext, code: str, name: str, address: str | None, as_json: bool
) -> None:
    """Add a warehouse with a short CODE (stored in capitals)."""
    w = warehouses.create_warehouse(ctx.database(), code, name, ctx.actor(), address=address)
    if as_json:
        emit_json(w)
    else:
        click.echo(f"Added warehouse {w.code} ({w.name}).")


@warehouse_group.command("list")
@json_option
@pass_cli
def warehouse_list(ctx: CliContext, as_json: bool) -> None:
    """List warehouses."""
    rows = warehouses.list_warehouses(ctx.database(), ctx.actor())
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["Code", "Name", "Address", "Active"],
        [[w.code, w.name, w.address, "yes" if w.active else "no"] for w in rows],
        empty="No warehouses.",
    )


@warehouse_group.command("edit")
@click.argument("code")
@click.option("--name")
@click.option("--address")
@click.option("--active/--inactive", default=None)
@click.option(
    "--expiry-warning-days",
    "warning_days",
    metavar="N",
    help="Alert lots expiring within N days (0: only expired ones). Default 30.",
)
@click.option("--expected-version", type=int)
@json_option
@pass_cli
def warehouse_edit(
    ctx: CliContext,
    code: str,
    name: str | None,
    address: str | None,
    active: bool | None,
    warning_days: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a warehouse's name, address, active flag or expiry warning."""
    w = warehouses.edit_warehouse(
        ctx.database(),
        EditWarehouse(
            code=code,
            expected_version=expected_version,
            name=name,
            address=address,
            active=active,
            expiry_warning_days=warning_days,
        ),
        ctx.actor(),
    )
    if as_json:
        emit_json(w)
    else:
        click.echo(f"Warehouse {w.code}: {w.name}, {'active' if w.active else 'inactive'}.")


COMMANDS = [product_group, warehouse_group]
