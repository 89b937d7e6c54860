"""Draw the invdesk icon set (PNG sizes for Linux, .ico for Windows) into resources/icons/.

Run once after changing the design: `uv run python packaging/make_icons.py`. The PNGs are committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5f8b"))
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
    # A parcel: top face, left and right faces.
    top = QPolygonF([QPointF(32 * s, 12 * s), QPointF(52 * s, 22 * s),
                     QPointF(32 * s, 32 * s), QPointF(12 * s, 22 * s)])  # fmt: skip
    left = QPolygonF([QPointF(12 * s, 22 * s), QPointF(32 * s, 32 * s),
                      QPointF(32 * s, 54 * s), QPointF(12 * s, 44 * s)])  # fmt: skip
    right = QPolygonF([QPointF(52 * s, 22 * s), QPointF(32 * s, 32 * s),
                       QPointF(32 * s, 54 * s), QPointF(52 * s, 44 * s)])  # fmt: skip
    for poly, colour in ((top, "#f4d19b"), (left, "#d9a45b"), (right, "#c08840")):
        p.setBrush(QColor(colour))
        p.drawPolygon(poly)
    if size >= 32:
        p.setPen(QPen(QColor("#8a5a1f"), max(1.0, 1.5 * s)))
        p.drawLine(QPointF(22 * s, 17 * s), QPointF(42 * s, 27 * s))
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(str(OUT / f"invdesk-{size}.png"))
    draw(256).save(str(OUT / "invdesk.ico"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
