"""The stock dialogs (receive, issue, transfer, return, count) and the product and warehouse editors."""

from invdesk.ui.dialogs.adjust import AdjustDialog
from invdesk.ui.dialogs.attach_barcode import AttachBarcodeDialog
from invdesk.ui.dialogs.product_editor import ProductEditor
from invdesk.ui.dialogs.stock_dialogs import (
    IssueDialog,
    ReceiveDialog,
    ReturnDialog,
    TransferDialog,
)
from invdesk.ui.dialogs.warehouse_editor import WarehouseEditor

__all__ = [
    "AdjustDialog",
    "AttachBarcodeDialog",
    "IssueDialog",
    "ProductEditor",
    "ReceiveDialog",
    "ReturnDialog",
    "TransferDialog",
    "WarehouseEditor",
]
