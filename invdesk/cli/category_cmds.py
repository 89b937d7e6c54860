"""Category commands: `invdesk category add|rename|move|deactivate|activate|merge|list`."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.catalog import CategoryView
from invdesk.services.catalog import categories

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
version_option = click.option(
    "--expected-version", type=int, help="Refuse if the category's version is no longer this."
)


@click.group("category")
def category_group() -> None:
    """Add, rename, nest, retire, merge and list product categories (managers)."""


def _said(view: CategoryView, as_json: bool, what: str) -> None:
    if as_json:
        emit_json(view)
    else:
        click.echo(f"{what} {view.path}.")


@category_group.command("add")
@click.argument("name")
@click.option("--parent", help="File it under this top-level category (one level only).")
@json_option
@pass_cli
def category_add(ctx: CliContext, name: str, parent: str | None, as_json: bool) -> None:
    """Add a category NAME, e.g. `category add Shirts --parent Clothing`."""
    view = categories.create_category(ctx.database(), name, ctx.actor(), parent=parent)
    _said(view, as_json, "Added category")


@category_group.command("rename")
@click.argument("name")
@click.argument("new_name")
@version_option
@json_option
@pass_cli
def category_rename(
    ctx: CliContext, name: str, new_name: str, expected_version: int | None, as_json: bool
) -> None:
    """Rename category NAME to NEW_NAME; its products follow."""
    view = categories.rename_category(ctx.database(), name, new_name, ctx.actor(), expected_version)
    _said(view, as_json, "Renamed to")


@category_group.command("move")
@click.argument("name")
@click.option("--parent", help="The new top-level parent; leave out to make NAME top-level.")
@version_option
@json_option
@pass_cli
def category_move(
    ctx: CliContext, name: str, parent: str | None, expected_version: int | None, as_json: bool
) -> None:
    """File category NAME under another one, or make it top-level."""
    view = categories.move_category(ctx.database(), name, parent, ctx.actor(), expected_version)
    _said(view, as_json, "Moved to")


@category_group.command("deactivate")
@click.argument("name")
@version_option
@json_option
@pass_cli
def category_deactivate(
    ctx: CliContext, name: str, expected_version: int | None, as_json: bool
) -> None:
    """Retire category NAME: no new products in it; its products keep it."""
    view = categories.set_category_active(
        ctx.database(), name, False, ctx.actor(), expected_version
    )
    _said(view, as_json, "Retired")


@category_group.command("activate")
@click.argument("name")
@version_option
@json_option
@pass_cli
def category_activate(
    ctx: CliContext, name: str, expected_version: int | None, as_json: bool
) -> None:
    """Bring a retired category NAME back."""
    view = categories.set_category_active(ctx.database(), name, True, ctx.actor(), expected_version)
    _said(view, as_json, "Reactivated")


@category_group.command("merge")
@click.argument("source")
@click.argument("into")
@version_option
@json_option
@pass_cli
def category_merge(
    ctx: CliContext, source: str, into: str, expected_version: int | None, as_json: bool
) -> None:
    """Move SOURCE's products, restock policies and sub-categories into INTO; SOURCE goes."""
    view = categories.merge_category(ctx.database(), source, into, ctx.actor(), expected_version)
    if as_json:
        emit_json(view)
    else:
        click.echo(f"Merged {source} into {view.path}: it now holds {view.products:,} products.")


@category_group.command("list")
@click.option("--inactive", is_flag=True, help="Include retired categories.")
@json_option
@pass_cli
def category_list(ctx: CliContext, inactive: bool, as_json: bool) -> None:
    """List categories, each parent followed by its sub-categories."""
    rows = categories.list_categories(ctx.database(), ctx.actor(), include_inactive=inactive)
    if as_json:
        emit_json([{**_plain(c), "path": c.path} for c in rows])
        return
    emit_table(
        ["Category", "Products", "Active", "Version"],
        [[c.path, c.products, "yes" if c.active else "no", c.version] for c in rows],
        empty="No categories.",
    )


def _plain(view: CategoryView) -> dict[str, object]:
    return {
        "id": view.id, "name": view.name, "parent": view.parent, "active": view.active,
        "products": view.products, "version": view.version,
    }  # fmt: skip


COMMANDS = [category_group]
