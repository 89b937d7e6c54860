"""The demo catalogue: word lists per category, the products built from them, and the warehouses."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from invdesk.domain.barcodes import gtin_check_digit


class Site(NamedTuple):
    """A warehouse and how it trades: orders on an average weekday, the week from Monday, hours."""

    code: str
    name: str
    address: str
    orders: int
    week: tuple[float, ...]
    hours: tuple[int, int]
    sale_prefix: str


_DEPOT = (1.0, 1.05, 1.05, 1.1, 1.15, 0.45, 0.2)
_SHOP = (0.9, 0.95, 1.0, 1.1, 1.3, 0.85, 0.3)
# MAIN comes first: it buys from suppliers and replenishes the others.
WAREHOUSES = (
    Site("MAIN", "Main warehouse", "12 Harbour Road, Springfield", 26, _DEPOT, (7, 18), "WEB"),
    Site("EAST", "East distribution centre", "7 Mill Lane, Eastfield", 16, _DEPOT, (7, 18), "ORD"),
    Site("WEST", "West depot", "230 Canal Street, Westbury", 14, _DEPOT, (7, 18), "ORD"),
    Site("SHOP", "City shop", "5 Market Square, Springfield", 32, _SHOP, (9, 19), "POS"),
)
# Lines per sales order, and units per line (by the piece or by weight), with their weights.
ORDER_LINES = ((1, 2, 3, 4), (60, 25, 10, 5))
LINE_QTY = ((1, 2, 3, 4, 6, 10), (60, 20, 8, 5, 4, 3))
LINE_KG = ((1, 2, 3, 5), (40, 30, 20, 10))
CASE_PACKS = (6, 12, 24)
_CENT = Decimal("0.01")


class Family(NamedTuple):
    """A product line: its name with a slot for the variant, variants, unit, price range, season."""

    template: str
    variants: str
    unit: str
    low: float
    high: float
    season: str = ""  # s summer, w winter, g garden/DIY spring, b back to school, x gifts


F = Family
FAMILIES: dict[str, tuple[Family, ...]] = {
    "Electronics": (
        F("USB-C cable {}", "1 m|2 m|3 m", "each", 6, 15, "x"),
        F("HDMI cable {}", "1.5 m|3 m|5 m", "each", 8, 19),
        F("Ethernet cable Cat6 {}", "2 m|5 m|10 m", "each", 5, 14),
        F("Wireless mouse {}", "black|grey|ergonomic", "each", 15, 39, "x"),
        F("Keyboard {}", "wired|wireless|compact", "each", 19, 59, "x"),
        F("Bluetooth speaker {}", "mini|10 W|20 W", "each", 25, 89, "x"),
        F("AA batteries {}", "4-pack|8-pack|24-pack", "pack", 4, 16),
        F("AAA batteries {}", "4-pack|12-pack", "pack", 4, 12),
        F("LED bulb E27 {}", "6 W|9 W|12 W", "each", 3, 7),
        F("Power bank {}", "10,000 mAh|20,000 mAh", "each", 25, 45, "x"),
        F("USB-C charger {}", "20 W|30 W|65 W", "each", 15, 49),
        F("Extension lead {}", "3-way 1.5 m|4-way 3 m|6-way 5 m", "each", 9, 29),
        F("microSD card {}", "32 GB|64 GB|128 GB", "each", 8, 24),
        F("USB flash drive {}", "32 GB|64 GB|128 GB", "each", 7, 22),
        F("Smart plug {}", "Wi-Fi|with energy meter", "each", 12, 19, "x"),
        F("Webcam {}", "720p|1080p", "each", 29, 59),
        F("Wired earphones {}", "in-ear|with microphone", "each", 9, 19),
        F("Headphones {}", "on-ear|noise cancelling", "each", 39, 149, "x"),
        F("Surge protector {}", "4-way|8-way", "each", 19, 35),
        F("Phone case {}", "clear|black|leather-look", "each", 9, 19, "x"),
        F("Screen protector {}", "6.1 in|6.7 in", "pack", 8, 10),
    ),
    "Food": (
        F("Organic coffee beans {}", "250 g|500 g|1 kg", "pack", 6, 21),
        F("Ground coffee {}", "250 g|500 g", "pack", 4, 8),
        F("Green tea {}", "20 bags|50 bags", "box", 2.5, 5),
        F("Black tea {}", "25 bags|100 bags", "box", 2, 6),
        F("Basmati rice {}", "1 kg|5 kg", "pack", 3, 12),
        F("Spaghetti {}", "500 g|1 kg", "pack", 1.3, 2.5),
        F("Extra virgin olive oil {}", "500 ml|1 l", "each", 6, 11),
        F("Dark chocolate 70% {}", "100 g|200 g", "each", 2, 3.8, "x"),
        F("Mixed nuts {}", "200 g|500 g", "pack", 4, 9, "x"),
        F("Sparkling water {}", "6 x 1.5 l|12 x 0.5 l", "pack", 3, 6, "s"),
        F("Oat biscuits {}", "200 g|400 g", "pack", 1.8, 3.2),
        F("Honey {}", "250 g|500 g", "each", 4, 7),
        F("Tomato passata {}", "500 g|700 g", "each", 1.2, 1.9),
        F("Granola {}", "375 g|750 g", "pack", 3.5, 6),
        F("{} apples", "Gala|Braeburn|Granny Smith", "kg", 2.5, 3.5),
        F("Potatoes {}", "waxy|floury", "kg", 1.2, 1.6),
        F("Sea salt {}", "250 g|1 kg", "each", 1.5, 3),
        F("Orange juice {}", "1 l|6 x 1 l", "each", 2.2, 12, "s"),
        F("Peanut butter {}", "smooth|crunchy", "each", 3, 3.5),
        F("Christmas cookies {}", "250 g|500 g", "box", 4, 7, "x"),
        F("Canned tuna {}", "in oil|in brine", "each", 1.8, 1.8),
        F("Red lentils {}", "500 g|1 kg", "pack", 2, 3.5),
        F("Porridge oats {}", "500 g|1 kg", "pack", 1.5, 2.5),
        F("Iced tea {}", "lemon|peach", "each", 1.5, 1.5, "s"),
        F("Bananas {}", "loose|organic", "kg", 1.6, 2.4),
        F("Cocoa powder {}", "250 g|500 g", "each", 3.5, 6, "w"),
    ),
    "Clothing": (
        F("Cotton T-shirt {}", "S|M|L|XL", "each", 9, 12, "s"),
        F("Hoodie {}", "M|L|XL", "each", 35, 39, "w"),
        F("Wool socks {}", "36-38|39-42|43-46", "pair", 9, 11, "w"),
        F("Jeans slim fit {}", "30/32|32/32|34/32|36/34", "each", 49, 55),
        F("Rain jacket {}", "M|L|XL", "each", 59, 69),
        F("Winter gloves {}", "S/M|L/XL", "pair", 15, 17, "w"),
        F("Beanie {}", "black|navy|grey", "each", 12, 12, "w"),
        F("Polo shirt {}", "M|L|XL", "each", 22, 25, "s"),
        F("Fleece jacket {}", "M|L|XL", "each", 39, 45, "w"),
        F("Running shorts {}", "S|M|L", "each", 19, 21, "s"),
        F("Summer dress {}", "S|M|L", "each", 35, 39, "s"),
        F("Wool scarf {}", "grey|red|navy", "each", 19, 19, "w"),
        F("Sneakers {}", "40|42|44|46", "pair", 59, 65),
        F("Flip-flops {}", "38-39|40-41|42-43", "pair", 9, 11, "s"),
        F("Sun hat {}", "S/M|L/XL", "each", 15, 17, "s"),
        F("Thermal leggings {}", "S|M|L", "each", 19, 21, "w"),
        F("Swim shorts {}", "M|L|XL", "each", 22, 24, "s"),
        F("Leather belt {}", "85 cm|95 cm|105 cm", "each", 25, 25),
    ),
    "Tools": (
        F("Cordless drill {}", "12 V|18 V|18 V brushless", "each", 59, 189, "g"),
        F("Drill bit set {}", "10 pcs|25 pcs", "box", 12, 29, "g"),
        F("Claw hammer {}", "450 g|600 g", "each", 14, 19),
        F("Screwdriver set {}", "6 pcs|12 pcs", "box", 12, 25),
        F("Wood screws {}", "4 x 40 mm|5 x 60 mm|6 x 80 mm", "box", 5, 9, "g"),
        F("Tape measure {}", "5 m|8 m", "each", 8, 13),
        F("Adjustable wrench {}", "200 mm|300 mm", "each", 12, 18),
        F("Spirit level {}", "60 cm|120 cm", "each", 15, 29),
        F("Duct tape {}", "48 mm x 25 m|48 mm x 50 m", "roll", 5, 8),
        F("Work gloves {}", "M|L|XL", "pair", 6, 7, "g"),
        F("Garden hose {}", "15 m|25 m", "each", 25, 39, "s"),
        F("Pruning shears {}", "bypass|anvil", "each", 15, 19, "s"),
        F("Safety glasses {}", "clear|tinted", "each", 6, 8),
        F("Utility knife {}", "18 mm|25 mm", "each", 6, 9),
        F("Paint roller {}", "18 cm|25 cm", "each", 6, 9, "g"),
        F("Sandpaper {}", "P80|P120|P240", "pack", 4, 4),
        F("Cable ties {}", "100 x 2.5 mm|200 x 4.8 mm", "pack", 3, 6),
        F("Snow shovel {}", "plastic|aluminium", "each", 19, 35, "w"),
        F("Pliers {}", "combination|long nose|side cutters", "each", 9, 14),
        F("Wall plugs {}", "6 mm|8 mm|10 mm", "box", 3, 5, "g"),
        F("Extension ladder {}", "3 m|5 m", "each", 89, 149, "g"),
        F("Silicone sealant {}", "white|clear", "each", 6, 6),
        F("Hand saw {}", "400 mm|550 mm", "each", 15, 22),
        F("Lawn rake {}", "plastic|steel", "each", 12, 18, "s"),
    ),
    "Office": (
        F("Copy paper A4 {}", "500 sheets|5 x 500 sheets", "box", 5, 24, "b"),
        F("Ballpoint pens {}", "blue 10|black 10|blue 50", "box", 3, 12, "b"),
        F("Sticky notes {}", "76 x 76 mm|38 x 51 mm", "pack", 3, 4),
        F("Ring binder {}", "A4 40 mm|A4 70 mm", "each", 3, 4, "b"),
        F("Stapler {}", "small|heavy duty", "each", 7, 25),
        F("Staples {}", "24/6|26/6", "box", 2, 2.5),
        F("Highlighters {}", "4 colours|6 colours", "pack", 4, 6, "b"),
        F("Notebook {}", "A5 ruled|A4 squared|A5 dotted", "each", 3, 6, "b"),
        F("Envelopes {}", "C5 50|DL 100", "box", 6, 9),
        F("Printer toner {}", "black|cyan|magenta|yellow", "each", 49, 59),
        F("Whiteboard markers {}", "4 colours|black 10", "pack", 6, 12),
        F("Packing tape {}", "clear|brown", "roll", 2.5, 2.5),
        F("Labels {}", "A4 21 per sheet|99 x 38 mm", "box", 14, 19),
        F("Paper clips {}", "28 mm|50 mm", "box", 1.5, 2.5),
        F("Desk calendar {}", "2025|2026", "each", 8, 9, "x"),
        F("School backpack {}", "blue|black|green", "each", 29, 35, "b"),
        F("Pencil case {}", "zip|roll-up", "each", 6, 9, "b"),
        F("Glue stick {}", "20 g|40 g", "each", 1.5, 2.5, "b"),
        F("Scissors {}", "17 cm|21 cm", "each", 4, 6, "b"),
        F("Calculator {}", "desktop|scientific", "each", 12, 25, "b"),
        F("File folders {}", "A4 manila 100|A4 coloured 50", "box", 12, 14),
        F("Correction tape {}", "single|3-pack", "pack", 2.5, 6),
        F("Desk lamp {}", "LED black|LED white", "each", 25, 25),
        F("Archive box {}", "80 mm|100 mm", "each", 3, 4),
    ),
    "Other": (
        F("Scented candle {}", "vanilla|cedar|lavender", "each", 9, 12, "w"),
        F("Gift wrap {}", "Christmas|birthday|kraft", "roll", 3, 4, "x"),
        F("Water bottle {}", "500 ml|750 ml", "each", 12, 16, "s"),
        F("Umbrella {}", "compact|golf", "each", 12, 25),
        F("Dish soap {}", "500 ml|1 l", "each", 1.8, 3),
        F("Kitchen towels {}", "2 rolls|4 rolls", "pack", 2.5, 4.5),
        F("Bin bags {}", "30 l|60 l", "roll", 2.5, 4),
        F("Hand sanitiser {}", "100 ml|500 ml", "each", 2.5, 6),
        F("Sunscreen SPF 30 {}", "100 ml|200 ml", "each", 8, 13, "s"),
        F("Playing cards {}", "standard|jumbo", "each", 3, 5, "x"),
        F("Picture frame {}", "10 x 15 cm|A4", "each", 6, 12, "x"),
        F("Coffee mug {}", "white|black|blue", "each", 7, 7, "x"),
        F("Storage box {}", "20 l|45 l", "each", 8, 14),
        F("Christmas lights {}", "50 LED|100 LED", "each", 15, 25, "x"),
        F("Insect repellent {}", "spray|roll-on", "each", 6, 7, "s"),
        F("Fairy tale book {}", "vol. 1|vol. 2", "each", 12, 12, "x"),
        F("Jigsaw puzzle {}", "500 pcs|1000 pcs", "box", 12, 18, "x"),
        F("Laundry detergent {}", "1.5 l|3 l", "each", 6, 11),
        F("Toilet paper {}", "9 rolls|24 rolls", "pack", 4, 10),
        F("Tealights {}", "30|100", "pack", 3, 8, "w"),
        F("Travel mug {}", "350 ml|450 ml", "each", 12, 15, "x"),
        F("Pet food {}", "cat 2 kg|dog 4 kg", "pack", 9, 14),
        F("Sponges {}", "5-pack|10-pack", "pack", 2, 3.5),
        F("Bird seed {}", "1 kg|3 kg", "pack", 3, 7, "w"),
        F("Beach towel {}", "striped|plain", "each", 15, 15, "s"),
    ),
}


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str
    unit: str
    price: Decimal
    cost: Decimal
    season: str
    barcode: str
    case_barcode: str | None
    case_qty: int

    def row(self, category_id: int, at: datetime) -> dict[str, object]:
        """The product table's columns."""
        return dict(sku=self.sku, name=self.name, category_id=category_id, unit=self.unit,
                    description=self.description, price=self.price, cost=self.cost,
                    created_at=at, updated_at=at)  # fmt: skip

    @property
    def description(self) -> str:
        case = f" Also in cases of {self.case_qty}." if self.case_barcode else ""
        return f"{self.name}, from the {self.category.lower()} range; sold per {self.unit}.{case}"

    def codes(self) -> list[dict[str, object]]:
        """The barcode table's columns but the product id: the unit code and any case code."""
        codes = [dict(code=self.barcode, pack_qty=1)]
        if self.case_barcode is not None:
            codes.append(dict(code=self.case_barcode, pack_qty=self.case_qty))
        return codes


def _price(value: float) -> Decimal:
    """A shelf price: x.49/x.99 under ten, whole units minus a cent above."""
    steps = round(value * 2) / 2 if value < 10 else round(value)
    return max(Decimal("0.99"), Decimal(str(steps)) - _CENT)


def _ean13(rng: random.Random, used: set[str]) -> str:
    """An in-store EAN-13 (prefix 20-29), unique within the demo."""
    while True:
        body = f"2{rng.randrange(10)}{rng.randrange(10**10):010d}"
        code = body + str(gtin_check_digit(body))
        if code not in used:
            used.add(code)
            return code


def build_catalogue(rng: random.Random, per_category: int = 50) -> list[ProductSpec]:
    """About per_category products in each category, with prices, costs and barcodes."""
    products: list[ProductSpec] = []
    used: set[str] = set()
    for category, families in FAMILIES.items():
        candidates = []
        for family in families:
            variants = family.variants.split("|")
            for i, variant in enumerate(variants):
                share = i / (len(variants) - 1) if len(variants) > 1 else 0.0
                base = family.low + (family.high - family.low) * share
                candidates.append((family, family.template.format(variant), base))
        chosen = sorted(rng.sample(range(len(candidates)), min(per_category, len(candidates))))
        for n, index in enumerate(chosen, start=1):
            family, name, base = candidates[index]
            price = _price(base * rng.uniform(0.95, 1.05))
            cost = min(price - _CENT, (price * Decimal(rng.uniform(0.45, 0.7))).quantize(_CENT))
            barcode = _ean13(rng, used)
            case_barcode, case_qty = None, 1
            if family.unit != "kg" and rng.random() < 0.35:
                case_qty = rng.choice(CASE_PACKS)
                body = "1" + barcode[:12]  # GTIN-14: packaging indicator + the unit's number
                case_barcode = body + str(gtin_check_digit(body))
            sku = f"{category[:3].upper()}-{n:04d}"
            products.append(
                ProductSpec(
                    sku, name, category, family.unit, price, max(cost, _CENT), family.season,
                    barcode, case_barcode, case_qty,
                )
            )  # fmt: skip
    return products


_PEAKS = {"s": (190, 0.7), "w": (15, 0.7), "g": (130, 0.4)}


def season_factor(category: str, season: str, day: date) -> float:
    """How much of a product sells on `day` relative to its yearly average."""
    doy = day.timetuple().tm_yday
    factor = 1.0
    if season in _PEAKS:
        peak, amplitude = _PEAKS[season]
        factor += amplitude * math.cos(2 * math.pi * (doy - peak) / 365)
    elif season == "b":  # back to school: a sharp peak in early September
        factor += 1.2 * math.exp(-(((doy - 245) / 12) ** 2))
    elif category == "Clothing":  # the spring and autumn collections
        factor += 0.3 * math.cos(4 * math.pi * (doy - 110) / 365)
    if day.month == 12:
        if day.day <= 23:  # the run-up to Christmas, gifts most of all
            bump = 1.2 if season == "x" else 0.15 if category == "Food" else 0.4
            factor *= 1 + bump * day.day / 23
        elif day.day <= 26:
            factor *= 0.3
    elif season == "x" and day.month == 11 and day.day >= 20:
        factor *= 1.4  # Black Friday week
    return factor
