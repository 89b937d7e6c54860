"""Entry point: `invdesk` opens the desktop app; `invdesk COMMAND` runs the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invdesk.reports.documents.model import Document
    from invdesk.reports.labels.jobs import LabelJob


class Gui:
    """What the command line may ask of the desktop app, handed in so `cli` never imports Qt."""

    def __call__(self, db_url: str | None, demo: bool) -> int:
        from invdesk.ui.launch import launch

        return launch(db_url, demo=demo)

    @staticmethod
    def screenshots(directory: str) -> list[Path]:
        from invdesk.ui.screenshots import render

        return render(directory)

    @staticmethod
    def print_labels(job: LabelJob, *, pdf: str | None = None, printer: str | None = None) -> int:
        """A label job as a PDF file or on a system printer; returns the pages made."""
        from invdesk.ui.printing.label_output import print_labels

        return print_labels(job, pdf=pdf, printer=printer)

    @staticmethod
    def print_document(
        document: Document, *, pdf: str | None = None, printer: str | None = None, paper: str
    ) -> int:
        """A printed document (pick list, packing slip, transfer note) as a PDF file or on a
        system printer; returns the pages made."""
        from invdesk.ui.printing.documents import print_document

        return print_document(document, pdf=pdf, printer=printer, paper=paper)


def launch_gui(db_url: str | None, demo: bool) -> int:
    return Gui()(db_url, demo)


def main() -> None:
    import sys

    if sys.argv[1:] == ["--gui-check"]:  # packaging smoke test: does Qt load in this build?
        from invdesk.ui.selfcheck import gui_check

        sys.exit(gui_check())
    from invdesk.cli.main import cli

    cli(prog_name="invdesk", obj=Gui())


if __name__ == "__main__":
    main()
