"""The scan detector tells a scanner's key burst from a person typing, from the keys' own
timestamps, wherever the focus is and however late the GUI thread handles the keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from invdesk.ui.scanning import (
    ScanDetector,
    ScannerSettings,
    layout_mismatch,
    with_timing,
)
from tests.ui.keys import key_event


class Clock:
    """When the GUI thread handles a key; a busy thread handles them late, all at once."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def field(qtbot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    return edit


@pytest.fixture
def detector(qtbot, clock):
    scanner = ScanDetector(clock=clock)
    scanner.install()
    yield scanner
    scanner.uninstall()
    scanner.deleteLater()


class Keyboard:
    """Presses keys `gap_ms` apart by their timestamps; `lag_ms` is how late the GUI sees them."""

    def __init__(self, clock: Clock) -> None:
        self.clock, self.at = clock, 50_000.0

    def press(self, widget, text: str, gap_ms: float, *, lump: bool = False) -> None:
        """Each key `gap_ms` after the last; with `lump`, the GUI thread handles them all at one
        late moment (it was busy), so only the timestamps tell how they were typed."""
        if lump:
            self.clock.now += 500
        for ch in text:
            self.at += gap_ms
            if not lump:
                self.clock.now += gap_ms
            QApplication.sendEvent(widget, key_event(ch, self.at))

    def post(self, widget, text: str, gap_ms: float) -> None:
        """Keys pressed but still queued behind the busy GUI thread."""
        for ch in text:
            self.at += gap_ms
            QCoreApplication.postEvent(widget, key_event(ch, self.at))


@pytest.fixture
def keys(clock) -> Keyboard:
    return Keyboard(clock)


def scans_of(detector: ScanDetector) -> list[str]:
    found: list[str] = []
    detector.scanned.connect(found.append)
    return found


def test_a_fast_burst_ending_with_enter_is_a_scan_and_types_nothing(qtbot, detector, field, keys):
    with qtbot.waitSignal(detector.scanned) as signal:
        keys.press(field, "4006381333931\n", gap_ms=8)

    assert signal.args == ["4006381333931"]
    assert field.text() == ""


def test_a_burst_delivered_late_in_one_lump_is_one_scan(qtbot, detector, field, keys):
    scans = scans_of(detector)

    keys.press(field, "4006381333931\n", gap_ms=8, lump=True)

    assert scans == ["4006381333931"]
    assert field.text() == ""


def test_a_burst_split_by_a_busy_gui_thread_stays_whole(qtbot, detector, field, keys, clock):
    """The pause timer fires while the rest of the burst still waits in the event queue: the
    queued keys are read first, and their timestamps continue the burst."""
    scans = scans_of(detector)
    keys.press(field, "4006", gap_ms=8)
    keys.post(field, "381333931\n", gap_ms=8)
    clock.now += 400  # the GUI thread was busy; the timer comes before the queued keys

    detector._settle()

    assert scans == ["4006381333931"]
    assert field.text() == ""


def test_capitals_from_the_scanner_stay_in_one_burst(qtbot, detector, field, keys):
    scans = scans_of(detector)
    keys.press(field, "⇧C⇧A⇧B-1\n", gap_ms=4)
    assert scans == ["CAB-1"]


GS1_KEYS = "]C1" + "0104006381333931" + "21SN1" + "{gs}" + "3001"


@pytest.mark.parametrize("gs", ["\x1d", "⌃"], ids=["gs-character", "ctrl-bracket"])
@pytest.mark.parametrize("lump", [False, True], ids=["as-typed", "one-late-lump"])
def test_a_gs1_scan_keeps_its_prefix_and_its_gs_however_the_scanner_sends_it(
    qtbot, detector, field, keys, gs, lump
):
    """FNC1 comes as the GS character or as Ctrl+]; either way the scan holds "\x1d" there,
    the `]C1` prefix stays, and nothing of it is typed into the field."""
    scans = scans_of(detector)

    keys.press(field, GS1_KEYS.format(gs=gs) + "\n", gap_ms=6, lump=lump)

    assert scans == [GS1_KEYS.format(gs="\x1d")]
    assert field.text() == ""


def test_ctrl_bracket_typed_by_a_person_stays_a_shortcut(qtbot, detector, field, keys):
    scans = scans_of(detector)
    keys.press(field, "⌃", gap_ms=300)
    assert detector.pending == "\x1d"  # held while undecided, like any key
    qtbot.waitUntil(lambda: detector.pending == "", timeout=2000)  # then given back
    assert scans == [] and field.text() == ""


@pytest.mark.parametrize("gap_ms", [20, 60, 120, 300])
def test_a_person_typing_reaches_the_field_in_order_and_enter_works(
    qtbot, detector, field, keys, gap_ms
):
    """From a 20 ms/key typist to a slow one; delivered late in one lump or as typed."""
    scans = scans_of(detector)
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))

    keys.press(field, "/home/ana/deliveries.csv\n", gap_ms=gap_ms, lump=gap_ms == 60)

    assert scans == []
    assert field.text() == "/home/ana/deliveries.csv"
    assert entered == ["/home/ana/deliveries.csv"]


def test_the_last_keys_a_person_types_appear_after_the_pause(qtbot, detector, field, keys):
    scans = scans_of(detector)

    keys.press(field, "ab", gap_ms=5)  # two keys rolled over by a quick typist
    assert field.text() == ""  # held while undecided
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=2000)  # the pause timer replays them
    assert scans == []


def test_too_short_a_burst_with_enter_is_not_a_scan(qtbot, detector, field, keys):
    scans = scans_of(detector)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))

    keys.press(field, "12\n", gap_ms=5)

    assert scans == [] and entered == ["12"]


def test_a_scan_right_after_typing_is_taken_out_of_the_text(qtbot, detector, field, keys):
    scans = scans_of(detector)

    keys.press(field, "qty ", gap_ms=200)
    keys.at += 150  # the scan trigger is pulled a moment after the last key typed
    keys.press(field, "036000291452\n", gap_ms=4)

    assert scans == ["036000291452"]
    assert field.text() == "qty "


def test_shortcuts_pass_through_untouched(qtbot, detector, field, keys):
    field.setText("abc")
    field.selectAll()
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(field, event)
    assert field.text() == ""


def test_with_a_prefix_only_prefixed_bursts_are_scans_and_typing_is_not_held(
    qtbot, detector, field, keys
):
    detector.configure(ScannerSettings(prefix="F12"))
    scans = scans_of(detector)

    keys.press(field, "1234", gap_ms=3)  # fast, but no prefix: typing, shown at once
    assert field.text() == "1234"
    prefix = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier)
    prefix.setTimestamp(int(keys.at + 300))
    QApplication.sendEvent(field, prefix)
    keys.at += 300
    keys.press(field, "98765\n", gap_ms=90)  # a slow scanner: the prefix says what it is

    assert scans == ["98765"]
    assert field.text() == "1234"


def test_a_us_scanner_on_a_french_pc_is_detected_and_can_be_translated(
    qtbot, detector, field, keys
):
    assert layout_mismatch("àçé\"'(-è_çà") is not None
    assert layout_mismatch("4006381333931") is None
    detector.configure(ScannerSettings(translate_layout=True))
    scans = scans_of(detector)
    keys.press(field, "&é\"'(-è_çà\n", gap_ms=5)
    assert scans == ["1234567890"]


def test_timing_is_tuned_to_the_scanners_slowest_gap():
    tuned = with_timing(ScannerSettings(), [7.0, 8.0, 22.0])
    assert tuned.gap_ms == 35.0
    assert with_timing(ScannerSettings(), [1.0]).gap_ms == 6.0


def test_settings_are_kept_per_workstation(tmp_path):
    from PySide6.QtCore import QSettings

    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ScannerSettings(gap_ms=22, min_length=6, prefix="F12", translate_layout=True).save(store)
    loaded = ScannerSettings.load(store)
    assert loaded == ScannerSettings(gap_ms=22, min_length=6, prefix="F12", translate_layout=True)


def test_the_scanner_test_measures_the_scanner_and_spots_a_french_layout(qtbot, detector, tmp_path):
    from PySide6.QtCore import QSettings

    from invdesk.ui.scanner_settings import ScannerSettingsDialog

    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = ScannerSettingsDialog(detector, store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.test.setFocus()
    qtbot.waitUntil(dialog.test.hasFocus)
    assert not detector.enabled  # the test field reads raw keys
    at = 5000.0
    for ch in "&é\"'(-è_çà\n":
        at += 6 if ch != "(" else 18  # one slow gap of 18 ms
        QApplication.sendEvent(dialog.test, key_event(ch, at))
    assert "slowest gap 18 ms" in dialog.result.text()
    assert "French or Belgian" in dialog.result.text()
    assert dialog.translate.isChecked() and dialog.gap.value() == 29.0
    dialog.save()
    assert detector.settings.gap_ms == 29.0 and detector.settings.translate_layout
    assert ScannerSettings.load(store).gap_ms == 29.0
    assert detector.enabled
