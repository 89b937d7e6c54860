"""Icons and the stylesheet, loaded from the `resources/` folder beside the package."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

import invdesk


def resources_dir() -> Path:
    package = Path(invdesk.__file__).resolve().parent
    for candidate in (package.parent / "resources", package / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    return package.parent / "resources"


@cache
def icon(name: str, *, on_dark: bool = False) -> QIcon:
    """An icon from resources/icons; a missing file is a packaging bug, so it fails loudly.

    `on_dark` icons (the side bar) are drawn light, and white when selected.
    """
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.exists():
        raise FileNotFoundError(f"icon {name!r} is missing from {path.parent}")
    if not on_dark:
        return QIcon(str(path))
    svg = path.read_text(encoding="utf-8")
    result = QIcon()
    for colour, mode in (("#c9d3de", QIcon.Mode.Normal), ("#ffffff", QIcon.Mode.Selected)):
        recoloured = re.sub(r'stroke="#[0-9a-fA-F]{6}"', f'stroke="{colour}"', svg, count=1)
        pixmap = QPixmap()
        pixmap.loadFromData(recoloured.encode(), "SVG")
        result.addPixmap(pixmap.scaled(48, 48), mode)
    return result


def stylesheet() -> str:
    path = resources_dir() / "style.qss"
    if not path.exists():
        return ""
    icons = (resources_dir() / "icons").as_posix()
    return path.read_text(encoding="utf-8").replace("@ICONS@", icons)
