"""The company's details, printed at the head of purchase orders and other documents."""

from __future__ import annotations

import click

from invdesk.cli.context import CliContext, pass_cli
from invdesk.cli.output import emit_json
from invdesk.domain.company import CompanyDetails, CompanyView
from invdesk.services.catalog import company

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


@click.group("company")
def company_group() -> None:
    """The company's name, address, phone, e-mail and tax id (documents are headed with them)."""


def _show(view: CompanyView, as_json: bool) -> None:
    if as_json:
        emit_json(view)
        return
    if view.name is None:
        click.echo("Not set: documents are headed with their warehouse's name and address.")
        return
    for label, value in (("Name", view.name), ("Address", view.address), ("Phone", view.phone),
                         ("E-mail", view.email), ("Tax id", view.tax_id)):  # fmt: skip
        if value:
            click.echo(f"{label + ':':<9}{value}")


@company_group.command("show")
@json_option
@pass_cli
def company_show(ctx: CliContext, as_json: bool) -> None:
    """Show the company's details."""
    _show(company.get_company(ctx.database(), ctx.actor()), as_json)


@company_group.command("set")
@click.option("--name")
@click.option("--address", help="Its lines separated by commas: 1 Quay St, Harbourtown.")
@click.option("--phone")
@click.option("--email")
@click.option("--tax-id")
@click.option("--expected-version", type=int, help="Refuse if the version is no longer this.")
@json_option
@pass_cli
def company_set(
    ctx: CliContext,
    name: str | None,
    address: str | None,
    phone: str | None,
    email: str | None,
    tax_id: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Set the company's details (admins); a field given as "" is cleared."""
    details = CompanyDetails(name, address, phone, email, tax_id, expected_version)
    _show(company.set_company(ctx.database(), details, ctx.actor()), as_json)


COMMANDS = [company_group]
