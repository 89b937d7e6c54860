"""`invdesk screenshots` renders every page and dialog of the demo: none is skipped or blank."""

import pytest
from PySide6.QtGui import QImage

from invdesk.ui import screenshots


@pytest.mark.slow
def test_every_shot_is_rendered_and_shows_something(qapp, tmp_path):
    written = screenshots.render(tmp_path)
    names = {p.stem for p in written}
    assert set(screenshots.SHOTS) <= names  # every page and view, the Admin page too
    assert {"dialog-receive", "dialog-product"} <= names  # and the dialogs
    for path in written:
        image = QImage(str(path))
        assert image.width() > 200 and image.height() > 100, path.name
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 17)
            for y in range(0, image.height(), 13)
        }
        assert len(colours) > 5, f"{path.name} looks blank"
