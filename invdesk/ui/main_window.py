"""The main window: side bar of pages, stock toolbar with the scan field, status bar, settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from invdesk.domain.security import Actor, Permission
from invdesk.services.importing.files import ImportKind
from invdesk.services.system import database
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.backup_actions import backup_actions
from invdesk.ui.help_menu import about_box, page_shortcut, shortcuts_dialog
from invdesk.ui.live import LiveUpdates
from invdesk.ui.pages import PAGES, Page
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.suppliers import SuppliersPage
from invdesk.ui.pages.trace import TracePage
from invdesk.ui.resources import icon
from invdesk.ui.roles import restrict
from invdesk.ui.scanning import ScanDetector, ScannerSettings, route_scan
from invdesk.ui.session_guard import SessionGuard
from invdesk.ui.stock_actions import StockActions
from invdesk.ui.window_host import WindowHost
from invdesk.ui.window_wiring import (
    LiveWiring,
    file_actions,
    import_file,
    open_alert_mail,
    open_reorder_document,
    open_watched_warehouses,
    product_menu,
)

FLASH_MS = 900


class MainWindow(WindowHost):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        *,
        settings: QSettings | None = None,
        scanner: ScanDetector | None = None,
        live: LiveUpdates | None = None,
    ) -> None:
        super().__init__()
        self.db, self.actor = db, actor
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("invdesk")
        self.setWindowIcon(icon("invdesk"))
        self.resize(1280, 800)
        self.page_classes: list[type[Page]] = [page for page in PAGES if actor.can(page.PERMISSION)]
        self._pages: dict[int, Page] = {}
        self._stale: set[int] = set()
        self._build_pages()
        self.actions_ = StockActions(self)
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.scanner = scanner or ScanDetector(self, settings=ScannerSettings.load(self.settings))
        self.scanner.scanned.connect(self.handle_scan)
        self.scanner.install()
        self.data_changed.connect(self._on_data_changed)
        self.live = live if live is not None else LiveUpdates(db, self)
        self.live_wiring = LiveWiring(self, self.live)
        self.ended_message: str | None = None
        self.logged_out = False
        self.session = SessionGuard(db, actor, self)
        self.session.ended.connect(self.end_session)
        self._restore()
        QTimer.singleShot(0, self, self.actions_.offer_drafts)

    # Layout -------------------------------------------------------------------------------------

    def _build_pages(self) -> None:
        """The side bar and a stack of empty slots; a page is built when first shown."""
        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(190)
        self.stack = QStackedWidget(self)
        for number, page_class in enumerate(self.page_classes):
            self.stack.addWidget(QWidget(self.stack))
            item = QListWidgetItem(icon(page_class.ICON, on_dark=True), page_class.TITLE)
            item.setToolTip(f"{page_class.TITLE} ({page_shortcut(number)})")
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self.show_page)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _page_at(self, number: int) -> Page:
        page = self._pages.get(number)
        if page is None:
            page = self.page_classes[number](self.db, self.actor, self.stack)
            page.open_product.connect(lambda sku: self.actions_.edit_product(sku=sku))
            page.open_warehouse.connect(lambda code: self.actions_.edit_warehouse(code=code))
            page.watch_requested.connect(lambda: open_watched_warehouses(self))
            page.open_document.connect(
                lambda name, kwargs: self.actions_.open_stock_dialog(name, **kwargs)
            )
            page.alert_mail_requested.connect(lambda: open_alert_mail(self))
            page.open_trace.connect(self.open_trace)
            if isinstance(page, ReorderPage):
                open_reorder_document(self, page)
                page.orders_created.connect(lambda _n: self.data_changed.emit("purchasing"))
            if isinstance(page, SuppliersPage):
                page.import_requested.connect(lambda: import_file(self, ImportKind.SUPPLIERS))
            products = page.product_table()
            if products is not None:
                product_menu(self, products, page.selected_sku)
            for name, table in page.tables().items():
                state = self.settings.value(f"tables/{name}")
                if isinstance(state, QByteArray):
                    table.horizontalHeader().restoreState(state)
            placeholder = self.stack.widget(number)
            current = self.stack.currentIndex()
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(number, page.framed(self.stack))
            self.stack.setCurrentIndex(current)
            self._pages[number] = page
            self._stale.add(number)
        return page

    def _action(
        self, text: str, name: str, shortcut: str, slot: Callable[[], Any], tip: str = ""
    ) -> QAction:
        action = QAction(icon(name), text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_toolbar(self) -> None:
        bar = QToolBar("Stock", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(22, 22))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        a = self.actions_
        self.stock_actions = {
            "receive": self._action("Receive", "receive", "Ctrl+R", a.receive, "Receive stock"),
            "issue": self._action("Issue", "issue", "Ctrl+I", a.issue, "Issue stock"),
            "transfer": self._action("Transfer", "transfer", "Ctrl+T", a.transfer),
            "return": self._action(
                "Return", "return", "Ctrl+Shift+R", a.return_, "Customer return"
            ),
            "adjust": self._action(
                "Count", "adjust", "Ctrl+J", a.adjust, "Adjust to a stock count"
            ),
        }
        for action in self.stock_actions.values():
            bar.addAction(action)
        bar.addSeparator()
        self.new_product = self._action(
            "New product", "new-product", "Ctrl+N", lambda: a.edit_product()
        )
        self.new_warehouse = self._action(
            "New warehouse", "new-warehouse", "Ctrl+Shift+N", lambda: a.edit_warehouse()
        )
        bar.addAction(self.new_product)
        # The services refuse a clerk's catalogue edits; the window does not offer them.
        restrict([self.new_product, self.new_warehouse], self.actor, Permission.CATALOG)
        self.refresh_action = self._action("Refresh", "refresh", "F5", self.refresh)
        bar.addAction(self.refresh_action)
        spacer = QWidget(bar)
        spacer.setSizePolicy(
            spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred
        )
        bar.addWidget(spacer)
        self.scan_field = QLineEdit(bar)
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText("Scan or type a SKU / barcode  (F2)")
        self.scan_field.addAction(icon("scan"), QLineEdit.ActionPosition.LeadingPosition)
        self.scan_field.setClearButtonEnabled(True)
        self.scan_field.setFixedWidth(300)
        self.scan_field.returnPressed.connect(self._scan_field_entered)
        bar.addWidget(self.scan_field)
        self._action("Scan field", "scan", "F2", self.focus_scan_field)
        self._action("Find", "search", "Ctrl+F", self.focus_search)
        for number, page_class in enumerate(self.page_classes):
            self._action(
                page_class.TITLE,
                page_class.ICON,
                page_shortcut(number),
                partial(self.sidebar.setCurrentRow, number),
            )
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_menus(self) -> None:
        self.file_actions = file_actions(self)
        file_menu = self.menuBar().addMenu("&File")
        for action in self.file_actions:
            file_menu.addAction(action)
        menu = self.menuBar().addMenu("&Database")
        self.backup_actions = backup_actions(self, self.db, self.actor, on_restored=self.refresh)
        for action in self.backup_actions:
            menu.addAction(action)
        self.database_menu = menu
        file_menu.addSeparator()
        self.scanner_action = file_menu.addAction("S&canner…", self.scanner_settings)
        file_menu.addSeparator()
        file_menu.addAction("&Log out", QKeySequence("Ctrl+Shift+L"), self.log_out)
        file_menu.addAction("&Quit", QKeySequence("Ctrl+Q"), self.close)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(
            "&Keyboard shortcuts", QKeySequence("F1"), lambda: shortcuts_dialog(self).open()
        )
        help_menu.addAction("&About invdesk", lambda: about_box(self).open())

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        background.default().busy_changed.connect(self._busy_changed)
        self.database_label = QLabel(database.describe(self.db), self)
        self.database_label.setObjectName("databaseLabel")
        self.user_label = QLabel(f"{self.actor.username} ({self.actor.role})", self)
        status.addPermanentWidget(self.busy)
        status.addPermanentWidget(self.database_label)
        status.addPermanentWidget(self.user_label)

    def _busy_changed(self, running: int) -> None:
        self.busy.setVisible(running > 0)

    # Pages --------------------------------------------------------------------------------------

    @property
    def pages(self) -> list[Page]:
        """The pages built so far (a page is built when first shown or asked for)."""
        return [self._pages[n] for n in sorted(self._pages)]

    def current_page(self) -> Page:
        return self._page_at(self.stack.currentIndex())

    def page(self, page_class: type[Page]) -> Page:
        return self._page_at(self.page_classes.index(page_class))

    def open_trace(self, sku: str, lot: str) -> None:
        """The Traceability page on one lot or serial (a lot cell was opened)."""
        page = self.open_page(TracePage)
        assert isinstance(page, TracePage)
        page.show_lot(sku, lot)

    def open_page(self, page_class: type[Page]) -> Page:
        number = self.page_classes.index(page_class)
        self.show_page(number)
        return self._page_at(number)

    def show_page(self, number: int) -> None:
        if not 0 <= number < len(self.page_classes):
            return
        if self.sidebar.currentRow() != number:
            self.sidebar.setCurrentRow(number)  # comes back here through the signal
            return
        page = self._page_at(number)
        self.stack.setCurrentIndex(number)
        if number in self._stale:
            self._stale.discard(number)
            page.refresh()

    def built_pages(self) -> dict[int, Page]:
        return dict(self._pages)

    def mark_stale(self, number: int) -> None:
        """Read page `number` again when it is next shown."""
        self._stale.add(number)

    def set_badge(self, title: str, count: int) -> None:
        """A count after a side-bar entry, e.g. "Alerts  3"; none at zero."""
        titles = [page.TITLE for page in self.page_classes]
        if title in titles:
            item = self.sidebar.item(titles.index(title))
            item.setText(f"{title}  ({count:,})" if count else title)

    def refresh(self) -> None:
        """F5: read the current page again; the others when next shown."""
        self._stale = set(self._pages)
        self.show_page(self.stack.currentIndex())

    def _on_data_changed(self, _what: str) -> None:
        self.refresh()

    # Scanning -----------------------------------------------------------------------------------

    def focus_scan_field(self) -> None:
        self.scan_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan_field.selectAll()

    def focus_search(self) -> None:
        """Ctrl+F: the current page's search box, if it has one."""
        search = self.current_page().search_box()
        if search is not None:
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            search.selectAll()

    def _scan_field_entered(self) -> None:
        code = self.scan_field.text().strip()
        if code:
            self.actions_.look_up(code)

    def handle_scan(self, code: str) -> None:
        """A scan from anywhere: to the dialog in front (its barcode field, or refused with a
        sound when it has none or is a message box), else an open stock dialog, else a look-up."""
        taken = route_scan(code, self)
        if taken is not None:
            self.flash(taken, code)
            return
        target = self.actions_.scan_target()
        if target is not None:
            self.flash(bool(target.handle_scan(code)), code)
            return
        self.scan_field.setText(code)
        self.actions_.look_up(code)

    def flash(self, good: bool, message: str) -> None:
        """Confirm a scan: the scan field flashes green or red; a bad scan also beeps."""
        self.scan_field.setProperty("scan", "good" if good else "bad")
        self._repolish()
        self.statusBar().showMessage(message, 4000)
        if not good:
            QApplication.beep()
        QTimer.singleShot(FLASH_MS, self._unflash)

    def _unflash(self) -> None:
        self.scan_field.setProperty("scan", "")
        self._repolish()

    def _repolish(self) -> None:
        style = self.scan_field.style()
        style.unpolish(self.scan_field)
        style.polish(self.scan_field)

    # Settings -----------------------------------------------------------------------------------

    def _restore(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        # By title: which pages a user sees depends on the role, so positions differ.
        last = str(s.value("window/page", ""))
        titles = [page.TITLE for page in self.page_classes]
        self.show_page(titles.index(last) if last in titles else 0)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/page", self.page_classes[self.stack.currentIndex()].TITLE)
        for page in self.pages:
            for name, table in page.tables().items():
                s.setValue(f"tables/{name}", table.horizontalHeader().saveState())
        s.sync()

    def log_out(self) -> None:
        """Back to the login (open documents ask first, as when quitting)."""
        self.logged_out = True
        if not self.close():
            self.logged_out = False

    def scanner_settings(self) -> None:
        from invdesk.ui.scanner_settings import ScannerSettingsDialog

        dialog = ScannerSettingsDialog(self.scanner, self.settings, self)
        dialog.open()

    def end_session(self, message: str) -> None:
        """The account changed under this window (deactivated, new role): close it; the launcher
        asks for a login again and shows why. Open documents stay as drafts for next time."""
        self.ended_message = message
        self.actions_.close_dialogs(ask=False)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.actions_.close_dialogs():
            event.ignore()  # a document with lines: the clerk chose to keep it
            return
        self.save_settings()
        self.live.close()
        self.scanner.uninstall()
        background.default().wait()
        super().closeEvent(event)
