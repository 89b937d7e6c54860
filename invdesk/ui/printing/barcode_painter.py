"""Draws a barcode symbol as vector rectangles, each module a whole number of device dots.

A scanner reads bars by their width ratios; a bar of 2.4 dots printed as 2 on one edge and 3 on
the next breaks those ratios on a 203 dpi label printer. So the module is snapped down to whole
dots of the device being painted (the printer's resolution, or the PDF's), and the symbol is
centred in its box with at least its quiet zone of white around it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from invdesk.reports.labels.symbols import Symbol

BLACK = QColor(0, 0, 0)


def module_size(symbol: Symbol, box: QRectF) -> float:
    """The module (narrowest bar, or matrix cell) in device dots for `symbol` to fit `box` with
    its quiet zones: whole dots when there is room for at least one, else a fraction of one."""
    across = symbol.columns + 2 * symbol.quiet_zone
    size = box.width() / across
    if not symbol.linear:
        size = min(size, box.height() / (symbol.rows + 2 * symbol.quiet_zone))
    return math.floor(size) if size >= 1 else size


def symbol_rects(symbol: Symbol, box: QRectF) -> list[QRectF]:
    """The dark modules of `symbol` centred in `box` (device coordinates), bars full height."""
    module = module_size(symbol, box)
    width = symbol.columns * module
    left = box.left() + round((box.width() - width) / 2)
    if symbol.linear:
        top, height = box.top(), box.height()
        return [
            QRectF(left + start * module, top, length * module, height)
            for _row, start, length in symbol.runs
        ]
    tall = symbol.rows * module
    top = box.top() + round((box.height() - tall) / 2)
    return [
        QRectF(left + start * module, top + row * module, length * module, module)
        for row, start, length in symbol.runs
    ]


def paint_symbol(painter: QPainter, symbol: Symbol, box: QRectF) -> QRectF:
    """Paint `symbol` into `box` (device coordinates); returns the rectangle the bars cover, so
    the caller can put the human-readable text right under them."""
    rects = symbol_rects(symbol, box)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BLACK)
    painter.drawRects(rects)
    painter.restore()
    if not rects:
        return QRectF(box)
    covered = QRectF(rects[0])
    for rect in rects[1:]:
        covered = covered.united(rect)
    return covered
