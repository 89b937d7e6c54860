"""Location commands: the bins of a warehouse, where a product is put away, moves between bins."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.negatives import NumberArgsCommand
from invdesk.cli.output import emit_json, emit_table
from invdesk.domain.locations import AddLocation, EditLocation, LocationView
from invdesk.domain.stock import MoveStock
from invdesk.domain.tracking import LocationType
from invdesk.services.catalog import locations
from invdesk.services.stock import moves

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
type_option = click.option(
    "--type",
    "kind",
    type=click.Choice([t.value for t in LocationType], case_sensitive=False),
    help="What the location is for (default: storage).",
)
DEFAULT = "-"
DEFAULT_HELP = f"A location argument of {DEFAULT} means the warehouse's default location."


@click.group("location")
def location_group() -> None:
    """Add, list, edit and deactivate the locations (bins) of a warehouse."""


@location_group.command("add")
@click.argument("warehouse")
@click.argument("code")
@click.option("--name", help="A longer name, e.g. Aisle A, rack 3, shelf 2.")
@type_option
@click.option("--zone", metavar="PARENT", help="The zone (another location) it belongs to.")
@json_option
@pass_cli
def location_add(
    ctx: CliContext,
    warehouse: str,
    code: str,
    name: str | None,
    kind: str | None,
    zone: str | None,
    as_json: bool,
) -> None:
    """Add location CODE (stored in capitals) to WAREHOUSE."""
    view = locations.add_location(
        ctx.database(), AddLocation(warehouse, code, name, kind, zone), ctx.actor()
    )
    _show(view, as_json, f"Added location {view.code} to {view.warehouse}.")


@location_group.command("list")
@click.argument("warehouse")
@click.option("--active", "active_only", is_flag=True, help="Only active locations.")
@json_option
@pass_cli
def location_list(ctx: CliContext, warehouse: str, active_only: bool, as_json: bool) -> None:
    """List WAREHOUSE's locations with the units each holds."""
    rows = locations.list_locations(
        ctx.database(), warehouse, ctx.actor(), include_inactive=not active_only
    )
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["Code", "Name", "Type", "Zone", "On hand", "Active"],
        [[r.code, r.name, r.type, r.zone, r.on_hand, "yes" if r.active else "no"] for r in rows],
        empty=f"No locations in {warehouse.upper()}: stock is held in its default location.",
    )


@location_group.command("edit")
@click.argument("warehouse")
@click.argument("code")
@click.option("--name")
@type_option
@click.option("--zone", metavar="PARENT", help="Move it into this zone.")
@click.option("--no-zone", is_flag=True, help="Take it out of its zone.")
@click.option("--active/--inactive", default=None, help="Reactivate or deactivate.")
@click.option("--expected-version", type=int, help="Refuse if the version is no longer this.")
@json_option
@pass_cli
def location_edit(
    ctx: CliContext,
    warehouse: str,
    code: str,
    name: str | None,
    kind: str | None,
    zone: str | None,
    no_zone: bool,
    active: bool | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a location's name, type, zone or active flag."""
    if zone and no_zone:
        raise click.UsageError("Give --zone or --no-zone, not both.")
    cmd = EditLocation(
        warehouse, code, expected_version, name, kind, "" if no_zone else zone, active
    )
    view = locations.edit_location(ctx.database(), cmd, ctx.actor())
    _show(view, as_json, f"Location {view.code} in {view.warehouse}: {_state(view)}.")


@location_group.command("deactivate")
@click.argument("warehouse")
@click.argument("code")
@click.option("--expected-version", type=int, help="Refuse if the version is no longer this.")
@json_option
@pass_cli
def location_deactivate(
    ctx: CliContext, warehouse: str, code: str, expected_version: int | None, as_json: bool
) -> None:
    """Deactivate a location that holds no stock; products put away there go back to the default
    location."""
    view = locations.deactivate_location(
        ctx.database(), warehouse, code, ctx.actor(), expected_version
    )
    _show(view, as_json, f"Location {view.code} in {view.warehouse} is now inactive.")


def _state(view: LocationView) -> str:
    parts = [view.type.value, "active" if view.active else "inactive", f"version {view.version}"]
    if view.zone:
        parts.insert(1, f"in zone {view.zone}")
    return ", ".join(parts)


def _show(view: LocationView, as_json: bool, sentence: str) -> None:
    if as_json:
        emit_json(view)
    else:
        click.echo(sentence)


@click.command("putaway")
@click.argument("sku")
@click.argument("warehouse")
@click.argument("location", required=False)
@click.option("--clear", is_flag=True, help="Receipts go to the default location again.")
@json_option
@pass_cli
def putaway_cmd(
    ctx: CliContext, sku: str, warehouse: str, location: str | None, clear: bool, as_json: bool
) -> None:
    """Receipts of SKU into WAREHOUSE go to LOCATION unless another is named."""
    if bool(location) == clear:
        raise click.UsageError("Name a LOCATION, or give --clear.")
    view = locations.set_putaway(ctx.database(), sku, warehouse, location, ctx.actor())
    if as_json:
        emit_json(view)
    elif view.location is None:
        click.echo(f"{view.sku} is received into {view.warehouse}'s default location.")
    else:
        click.echo(f"{view.sku} is put away in {view.warehouse} at {view.location}.")


@click.command("move", cls=NumberArgsCommand, epilog=DEFAULT_HELP)
@click.argument("sku")
@click.argument("warehouse")
@click.argument("source", metavar="FROM_LOC")
@click.argument("destination", metavar="TO_LOC")
@click.argument("qty")
@click.option("--lot", help="Move units of this lot (default: first expiry first).")
@click.option("--serial", "serials", multiple=True, help="A serial number moved. Repeatable.")
@click.option("--ref", "reference", help="A reference, e.g. a replenishment list.")
@click.option("--request-id", help="Idempotency key: the same id again applies once.")
@json_option
@pass_cli
def move_cmd(
    ctx: CliContext,
    sku: str,
    warehouse: str,
    source: str,
    destination: str,
    qty: str,
    lot: str | None,
    serials: tuple[str, ...],
    reference: str | None,
    request_id: str | None,
    as_json: bool,
) -> None:
    """Move QTY of SKU from one location of WAREHOUSE to another."""
    cmd = MoveStock(
        sku, warehouse, _location(source), _location(destination), qty, lot, serials,
        reference, request_id,
    )  # fmt: skip
    result = moves.move(ctx.database(), cmd, ctx.actor())
    if as_json:
        emit_json(result)
        return
    if result.replayed:
        click.echo(f"Request {result.request_id} was already applied; nothing changed.")
    for m in result.movements:
        where = m.location or "the default location"
        click.echo(f"{m.kind.value:<9} {m.qty:+,} {m.sku} in {m.warehouse} at {where}")


def _location(argument: str) -> str | None:
    return None if argument.strip() == DEFAULT else argument


COMMANDS = [location_group, putaway_cmd, move_cmd]
