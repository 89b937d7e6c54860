"""`invdesk screenshots DIR` asks the desktop app (handed in by invdesk.app) to render the pages."""

from __future__ import annotations

from click.testing import CliRunner

from invdesk.cli.main import cli


class FakeGui:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, db_url, demo):  # the launcher
        return 0

    def screenshots(self, directory: str) -> list[str]:
        self.asked.append(directory)
        return [f"{directory}/dashboard.png"]


def test_screenshots_go_through_the_gui_hook(tmp_path):
    gui = FakeGui()
    result = CliRunner().invoke(cli, ["screenshots", str(tmp_path)], obj=gui)
    assert result.exit_code == 0, result.output
    assert gui.asked == [str(tmp_path)]
    assert result.output == f"{tmp_path}/dashboard.png\n"


def test_without_the_desktop_app_screenshots_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["screenshots", str(tmp_path)])
    assert result.exit_code == 2
    assert "desktop app" in result.output
