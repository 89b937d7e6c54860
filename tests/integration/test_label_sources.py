"""What labels are read from, on SQLite and PostgreSQL: products, locations, lots, receipts."""

from __future__ import annotations

from datetime import date

import pytest

from invdesk.domain.errors import NotFound, ValidationError
from invdesk.reports.labels import sources
from invdesk.reports.labels.designs import LotLabel, ProductLabel
from invdesk.services.catalog import products
from tests import support
from tests.lots import receive_lot, tracked_product

ACTOR = support.ACTOR


def test_product_labels_come_in_the_order_asked_with_unit_barcodes_only(db):
    support.product(db, "CAB-1", barcodes=(("4006381333931", 1), ("14006381333938", 12)))
    support.product(db, "W-1")
    labels = sources.product_labels(db, ACTOR, ["W-1", "4006381333931"])
    assert labels == [
        ProductLabel("W-1", "Product W-1", labels[0].price, ()),
        ProductLabel("CAB-1", "Product CAB-1", labels[1].price, ("4006381333931",)),
    ]
    with pytest.raises(NotFound):
        products.get_products(db, ["CAB-1", "NOPE"], ACTOR)


def test_a_receipt_counts_labels_per_unit_and_per_case(db):
    support.product(db, "CAB-1", barcodes=(("4006381333931", 1), ("14006381333938", 12)))
    support.product(db, "W-1")
    counted = sources.receipt_labels(db, ACTOR, [("CAB-1", 30), ("W-1", 4), ("W-1", 0)])
    assert [(c.label.sku, c.units, c.packs) for c in counted] == [("CAB-1", 30, 3), ("W-1", 4, 4)]
    assert len(sources.expand(counted, per_pack=True)) == 7


def test_location_labels_name_every_active_bin_or_the_ones_asked(db):
    support.warehouse(db, "MAIN")
    for code in ("A-01", "A-02"):
        support.location(db, "MAIN", code)
    assert [x.code for x in sources.location_labels(db, ACTOR, "main")] == ["A-01", "A-02"]
    assert [x.code for x in sources.location_labels(db, ACTOR, "MAIN", ["a-02"])] == ["A-02"]
    with pytest.raises(NotFound, match="no active location Z-9"):
        sources.location_labels(db, ACTOR, "MAIN", ["Z-9"])


def test_a_lot_label_carries_the_gtin_lot_and_expiry_and_needs_a_gtin(db):
    support.warehouse(db, "MAIN")
    tracked_product(db, "MILK")
    receive_lot(db, "MILK", "MAIN", 6, "L7", date(2030, 6, 1))
    with pytest.raises(ValidationError, match="needs one \\(a GTIN\\)"):
        sources.lot_label(db, ACTOR, "MILK", "L7")
    products.add_barcode(db, "MILK", "4006381333931", 1, ACTOR)
    label = sources.lot_label(db, ACTOR, "MILK", "L7")
    assert label == LotLabel("MILK", "Product MILK", "4006381333931", "L7", date(2030, 6, 1))
    with pytest.raises(NotFound):
        sources.lot_label(db, ACTOR, "MILK", "L8")
