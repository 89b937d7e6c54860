"""The stock dialogs (receive, issue, transfer, return, count) and the product and warehouse editors.

Stock dialogs: ``Dialog(db, actor, parent=None, *, warehouse=None, lines=())`` where ``lines`` are
(SKU or barcode, quantity) pairs to start with (TransferDialog also takes ``source`` and
``destination``; ``warehouse`` means the source; MoveDialog moves one product between two
locations of ``warehouse``). Each makes its request id when it opens, emits
``posted(StockResult)`` after a successful post and then accepts; ``handle_scan(code) -> bool``
takes a scan routed by the app-wide detector (True: consumed, including an unknown code, which the
dialog reports itself).

Editors: ``ProductEditor(db, actor, parent=None, *, sku=None, barcode=None)``,
``WarehouseEditor(db, actor, parent=None, *, code=None)``,
``LocationEditor(db, actor, parent=None, *, warehouse, code=None)`` and
``AttachBarcodeDialog(db, actor, parent=None, *, code)`` emit ``saved(view)`` with the saved DTO.
Opening an editor on a SKU or code that does not exist raises NotFound.
"""

from invdesk.ui.dialogs.adjust import AdjustDialog
from invdesk.ui.dialogs.attach_barcode import AttachBarcodeDialog
from invdesk.ui.dialogs.location_editor import LocationEditor
from invdesk.ui.dialogs.move import MoveDialog
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
    "LocationEditor",
    "MoveDialog",
    "ProductEditor",
    "ReceiveDialog",
    "ReturnDialog",
    "TransferDialog",
    "WarehouseEditor",
]
