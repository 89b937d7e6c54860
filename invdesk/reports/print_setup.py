"""How a report sheet prints: fit to the page width, landscape when wide, the header row on every
page, and a footer naming the report, its date and the page.

Without this a spreadsheet program prints at 100% in portrait, so a wide sheet (the valuation
detail is about 150 characters wide) spills its value columns onto a second page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# Column widths are in characters of the default font (about 2 mm each at 100%). A4 portrait
# with the default margins holds about 85 of them; Letter a little more.
PORTRAIT_MAX_WIDTH = 85
FOOTER_SIZE = 8


def footer_text(text: str) -> str:
    """Text for a header/footer section: "&" starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def prepare(ws: Any, width: float, title: str, generated_at: datetime, header_row: int) -> None:
    """Print settings that must be in place before the first row is streamed (the sheet's
    properties are written with the first row): landscape when wide, fit to one page wide."""
    landscape = width > PORTRAIT_MAX_WIDTH
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    # Fit to 1 page wide and as many pages tall as the rows need (0 = automatic).
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False
    ws.print_title_rows = f"{header_row}:{header_row}"
    when = generated_at.strftime("%Y-%m-%d %H:%M UTC")
    footer = ws.oddFooter
    footer.left.text = footer_text(title)
    footer.center.text = footer_text(when)
    footer.right.text = "Page &P of &N"
    for part in (footer.left, footer.center, footer.right):
        part.size = FOOTER_SIZE


def finish(ws: Any, column_count: int, last_row: int) -> None:
    """The print area is the table (title block to totals), known once the rows are written.

    Charts placed right of the table stay on screen: counting them in would shrink the figures
    to fit both on one page width."""
    ws.print_area = f"A1:{get_column_letter(max(column_count, 1))}{last_row}"
