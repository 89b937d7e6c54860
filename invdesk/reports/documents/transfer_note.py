"""The transfer note that travels with goods in transit: from, to, and what was shipped."""

from __future__ import annotations

from datetime import datetime

from invdesk.db.engine import Database
from invdesk.domain.catalog import WarehouseView
from invdesk.domain.security import Actor
from invdesk.domain.transit import ShipmentStatus, ShipmentView
from invdesk.reports.documents.model import (
    LOT_HEADER,
    Align,
    DocColumn,
    DocRow,
    Document,
    Party,
    address_lines,
    code128,
    count,
    issuer_of,
    lot_and_expiry,
    when,
)
from invdesk.services.catalog import company, warehouses
from invdesk.services.stock import shipments


def transfer_note(db: Database, actor: Actor, shipment_id: str) -> Document:
    """The note of one shipment (raises NotFound for an unknown transfer id)."""
    shipment = shipments.get_shipment(db, actor, shipment_id)
    source = warehouses.get_warehouse(db, shipment.source, actor)
    destination = warehouses.get_warehouse(db, shipment.destination, actor)
    issuer = issuer_of(company.get_company(db, actor), source)
    return transfer_note_document(shipment, source, destination, db.now(), actor.username, issuer)


def _party(heading: str, site: WarehouseView) -> Party:
    return Party(heading, f"{site.name} ({site.code})", address_lines(site.address))


def transfer_note_document(
    shipment: ShipmentView,
    source: WarehouseView,
    destination: WarehouseView,
    at: datetime,
    by: str,
    issuer: Party | None = None,
) -> Document:
    """Every line shipped; once some arrived, what arrived and what is still expected too."""
    lots = any(line.lot for line in shipment.lines)
    started = shipment.status is not ShipmentStatus.IN_TRANSIT
    columns = [DocColumn("SKU", 1.4), DocColumn("Product", 3.0 if lots else 3.6, wrap=True)]
    if lots:
        columns += [DocColumn(LOT_HEADER)]
    columns.append(DocColumn("Shipped", 0.8, Align.RIGHT))
    if started:
        columns += [
            DocColumn("Received", 0.8, Align.RIGHT),
            DocColumn("Expected", 0.8, Align.RIGHT),
        ]
    columns.append(DocColumn("Checked", 0.9, Align.CENTER, tick=True))
    rows = []
    for line in shipment.lines:
        cells = [line.sku, line.product_name]
        if lots:
            cells.append(lot_and_expiry(line.lot, line.expiry))
        cells.append(count(line.shipped))
        if started:
            cells += [count(line.received), count(line.expected)]
        cells.append("")
        rows.append(DocRow(tuple(cells)))
    fields = [
        ("Transfer", shipment.id),
        ("Shipped", f"{when(shipment.shipped_at)} by {shipment.shipped_by}"),
        ("Status", shipment.status.value.replace("_", " ")),
        ("Units", count(sum(line.shipped for line in shipment.lines))),
    ]
    if shipment.reference:
        fields.insert(1, ("Reference", shipment.reference))
    return Document(
        kind="Transfer note",
        number=shipment.reference or shipment.id[:8],
        barcode=code128(shipment.id),
        issuer=issuer or Party("", source.name, address_lines(source.address)),
        fields=tuple(fields),
        parties=(_party("From", source), _party("To", destination)),
        columns=tuple(columns),
        rows=tuple(rows),
        notes=("The barcode carries the transfer id: `invdesk transfer receive` takes it.",),
        signatures=("Dispatched by", "Carrier", "Received by"),
        generated_at=at,
        generated_by=by,
    )
