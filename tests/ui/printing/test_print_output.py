"""The one print output: pages, progress, cancel (no half-written file), printers by name."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import Cancelled, ValidationError
from invdesk.reports.labels.designs import ProductLabel
from invdesk.reports.labels.jobs import job
from invdesk.reports.labels.sizes import STOCKS
from invdesk.ui.printing import label_output, label_painter

LABELS = job([ProductLabel("A-1", "Anything")], STOCKS["62x29"], copies=5)


def test_progress_counts_the_pages_painted(qapp, tmp_path):
    seen: list[int] = []
    assert label_painter.to_pdf(tmp_path / "l.pdf", LABELS, progress=seen.append) == 5
    assert seen == [1, 2, 3, 4, 5]


def test_a_cancelled_job_leaves_no_file(qapp, tmp_path):
    seen: list[int] = []
    with pytest.raises(Cancelled):
        label_painter.to_pdf(
            tmp_path / "l.pdf", LABELS, progress=seen.append, cancelled=lambda: len(seen) == 2
        )
    assert seen == [1, 2]
    assert not (tmp_path / "l.pdf").exists()


def test_an_unknown_system_printer_is_named_in_the_refusal(qapp):
    with pytest.raises(ValidationError, match="no printer “Nowhere-42” on this PC"):
        label_output.print_labels(LABELS, printer="Nowhere-42")


def test_a_print_needs_a_printer_or_a_file(qapp):
    with pytest.raises(ValidationError, match="Choose a printer or a PDF file"):
        label_output.print_labels(LABELS)
