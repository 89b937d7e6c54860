"""What an import file's columns can feed: the fields, the channel presets (Shopify, WooCommerce)
and matching a file's headers to fields (case, spaces and punctuation ignored)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from invdesk.domain.errors import ValidationError
from invdesk.services.importing.files import ImportKind


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.PRODUCTS: (
        Field("sku", "SKU", True, ("sku", "item", "itemcode", "productcode", "code", "article")),
        Field("name", "Name", True, ("name", "product", "productname", "title")),
        Field("category", "Category", True, ("category", "group", "department", "productgroup")),
        Field("type", "Product type (category when none)", False, ("producttype",)),
        Field("description", "Description", False, ("description", "longdescription", "notes")),
        Field("unit", "Unit", False, ("unit", "uom", "unitofmeasure")),
        Field("price", "Price", False, ("price", "saleprice", "sellingprice", "retailprice")),
        Field("cost", "Cost", False, ("cost", "unitcost", "costprice", "purchaseprice")),
        Field(
            "barcodes", "Barcodes", False, ("barcode", "barcodes", "ean", "gtin", "upc", "ean13")
        ),
        Field("active", "Status (active / draft)", False, ("status", "active", "enabled")),
        Field("qty", "Stock on hand", False, ("qty", "quantity", "stock", "onhand")),
        Field("variant_of", "Product group (variants share it)", False, ("handle", "parentsku")),
        Field("option1", "Option 1 value", False, ("option1", "option1value", "variant1")),
        Field("option2", "Option 2 value", False, ("option2", "option2value", "variant2")),
        Field("option3", "Option 3 value", False, ("option3", "option3value", "variant3")),
        Field("row_type", "Row type (variable rows skipped)", False, ()),
    ),
    ImportKind.STOCK: (
        Field("sku", "SKU or barcode", True, ("sku", "item", "itemcode", "productcode", "barcode")),
        Field("warehouse", "Warehouse", True, ("warehouse", "location", "store", "site", "wh")),
        Field("qty", "Quantity", True, ("qty", "quantity", "counted", "count", "onhand", "stock")),
        Field("unit_cost", "Unit cost", False, ("unitcost", "cost", "costprice")),
        Field(
            "bin", "Bin (location in the warehouse)", False, ("bin", "binlocation", "storagebin")
        ),
        Field("lot", "Lot or batch", False, ("lot", "lotnumber", "batch", "batchnumber")),
        Field("expiry", "Expiry date", False, ("expiry", "expirydate", "bestbefore", "useby")),
        Field("variant_of", "Product group (rows without a SKU skipped)", False, ("handle",)),
    ),
    ImportKind.SUPPLIERS: (
        Field("code", "Supplier code", True, ("code", "supplier", "suppliercode", "vendorcode")),
        Field("name", "Name", True, ("name", "suppliername", "vendor", "vendorname", "company")),
        Field("contact", "Contact", False, ("contact", "contactperson", "contactname")),
        Field("email", "E-mail", False, ("email", "emailaddress", "mail")),
        Field("phone", "Phone", False, ("phone", "telephone", "tel", "phonenumber")),
        Field("address", "Address", False, ("address", "postaladdress")),
        Field(
            "lead_days", "Lead time (days)", False, ("leadtime", "leaddays", "leadtimedays", "lead")
        ),
        Field("notes", "Notes", False, ("notes", "note", "comments", "remarks")),
        Field("active", "Status (active / inactive)", False, ("status", "active", "enabled")),
    ),
}


@dataclass(frozen=True)
class Preset:
    """A channel's documented export columns: which feed a field, which are known and unused."""

    name: str
    label: str
    columns: dict[str, str]
    ignored: tuple[str, ...]
    anchors: tuple[str, ...]
    """Headers that together identify the channel's export."""


# fmt: off
# Shopify: its help centre's "Using CSV files to import and export products" (product columns).
SHOPIFY = Preset(
    "shopify",
    "Shopify product export",
    {
        "Handle": "variant_of", "Title": "name", "Body (HTML)": "description",
        "Product Category": "category", "Type": "type", "Status": "active",
        "Option1 Value": "option1", "Option2 Value": "option2", "Option3 Value": "option3",
        "Variant SKU": "sku", "Variant Inventory Qty": "qty", "Variant Price": "price",
        "Variant Barcode": "barcodes", "Cost per item": "cost",
    },
    (
        "Vendor", "Tags", "Published", "Option1 Name", "Option2 Name", "Option3 Name",
        "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Policy",
        "Variant Fulfillment Service", "Variant Compare At Price", "Variant Requires Shipping",
        "Variant Taxable", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
        "SEO Title", "SEO Description", "Variant Image", "Variant Weight Unit",
        "Variant Tax Code", "Included / United States", "Price / International",
        "Compare At Price / International", "Google Shopping / Google Product Category",
    ),
    ("Handle", "Variant SKU"),
)

# WooCommerce: its "Product CSV Importer & Exporter" schema (the exporter's column names).
WOOCOMMERCE = Preset(
    "woocommerce",
    "WooCommerce product export",
    {
        "SKU": "sku", "Name": "name", "Description": "description", "Categories": "category",
        "Regular price": "price", "Stock": "qty", "Published": "active", "Type": "row_type",
        "GTIN, UPC, EAN, or ISBN": "barcodes",
    },
    (
        "ID", "Is featured?", "Visibility in catalog", "Short description", "Sale price",
        "Date sale price starts", "Date sale price ends", "Tax status", "Tax class", "In stock?",
        "Low stock amount", "Backorders allowed?", "Sold individually?", "Weight (kg)",
        "Length (cm)", "Width (cm)", "Height (cm)", "Allow customer reviews?", "Purchase note",
        "Tags", "Shipping class", "Images", "Download limit", "Download expiry days", "Parent",
        "Grouped products", "Upsells", "Cross-sells", "External URL", "Button text", "Position",
        "Attribute 1 name", "Attribute 1 value(s)", "Attribute 1 visible", "Attribute 1 global",
        "Attribute 2 name", "Attribute 2 value(s)", "Attribute 2 visible", "Attribute 2 global",
    ),
    ("SKU", "Regular price"),
)
# fmt: on

PRESETS = {p.name: p for p in (SHOPIFY, WOOCOMMERCE)}
PRESET_CHOICES = ("auto", "none", *PRESETS)


def normalize_header(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


def detect_preset(headers: tuple[str, ...]) -> Preset | None:
    """The channel whose export these headers are, by its identifying columns; else None."""
    have = {normalize_header(h) for h in headers}
    for preset in PRESETS.values():
        if all(normalize_header(a) in have for a in preset.anchors):
            return preset
    return None


def choose_preset(name: str | None, headers: tuple[str, ...]) -> Preset | None:
    """`name` "auto" (or None) detects; "none" uses plain header names; else that preset."""
    if name in (None, "", "auto"):
        return detect_preset(headers)
    if name == "none":
        return None
    if name not in PRESETS:
        raise ValidationError(
            f"“{name}” is not an import preset; use one of {', '.join(PRESET_CHOICES)}.",
            field="preset",
        )
    return PRESETS[name]


@dataclass(frozen=True)
class Matched:
    """Which column feeds each field; headers left over; required fields with no column."""

    columns: dict[str, int]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    preset: str | None = None
    suggestions: dict[str, str] = field(default_factory=dict)


def field_key(kind: ImportKind, name: str) -> str:
    """A field by its key or label, case and spacing ignored ("Unit cost" = "unit_cost").
    ValidationError listing the valid names otherwise."""
    wanted = normalize_header(name)
    for f in FIELDS[kind]:
        if wanted in (normalize_header(f.key), normalize_header(f.label)):
            return f.key
    names = ", ".join(f.key for f in FIELDS[kind])
    raise ValidationError(
        f"“{name}” is not a field of a {kind} import; the fields are: {names}.", field="mapping"
    )


def match_headers(
    kind: ImportKind,
    headers: tuple[str, ...],
    mapping: dict[str, str | None] | None = None,
    preset: Preset | None = None,
) -> Matched:
    """Columns by `mapping` (a header to a field key or label, None ignoring the column), then by
    the preset's columns, then by the built-in names; headers compared ignoring case, spaces and
    punctuation. Headers matching nothing are reported so the person can map them."""
    fields = FIELDS[kind]
    by_alias = {alias: f.key for f in fields for alias in (f.key, *f.aliases)}
    by_alias.update({normalize_header(f.label): f.key for f in fields})
    kinds_keys = {f.key for f in fields}
    known: dict[str, str | None] = {}
    if preset is not None:
        known.update({normalize_header(h): None for h in preset.ignored})
        known.update({normalize_header(h): k for h, k in preset.columns.items() if k in kinds_keys})
        known.update(
            {normalize_header(h): None for h, k in preset.columns.items() if k not in kinds_keys}
        )
    explicit = {
        normalize_header(k): (None if v in (None, "") else field_key(kind, v))
        for k, v in (mapping or {}).items()
    }
    columns: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        norm = normalize_header(header)
        if not norm:
            continue
        if norm in explicit:
            key = explicit[norm]
        elif norm in known:
            key = known[norm]
        else:
            key = by_alias.get(norm)
            if key is None:
                unknown.append(header)
        if key is None:
            continue
        if key in columns:
            unknown.append(header)
            continue
        columns[key] = index
    if (
        "name" not in columns
        and "description" in columns
        and "description" not in explicit.values()
    ):
        # "Item code, Description" files (many ERPs) name the product in their description column.
        columns["name"] = columns.pop("description")
    missing = tuple(f.key for f in fields if f.required and f.key not in columns)
    return Matched(columns, tuple(unknown), missing, preset.name if preset else None)
