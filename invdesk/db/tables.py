"""Every table's Core handle, for the Core statements of services and adapters (one home)."""

from __future__ import annotations

from invdesk.db.company_models import Company
from invdesk.db.grain_models import (
    CountLine,
    CountSheet,
    Location,
    Lot,
    Putaway,
    Quant,
    Shipment,
    ShipmentLine,
)
from invdesk.db.models import (
    Alert,
    AlertSubscription,
    ApiIdempotency,
    ApiToken,
    AuditEntry,
    Barcode,
    Category,
    IntegrityCheck,
    JobRun,
    Movement,
    OutboundDelivery,
    OutboxEvent,
    Product,
    Reservation,
    RestockPolicy,
    SalesOrder,
    SalesOrderLine,
    Seal,
    SealMark,
    StockLevel,
    StockRequest,
    User,
    Warehouse,
    WatchedWarehouse,
    Webhook,
    table_of,
)
from invdesk.db.purchasing_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    Supplier,
    SupplierProduct,
)

category_t = table_of(Category)
product_t = table_of(Product)
barcode_t = table_of(Barcode)
warehouse_t = table_of(Warehouse)
level_t = table_of(StockLevel)
request_t = table_of(StockRequest)
movement_t = table_of(Movement)
reservation_t = table_of(Reservation)
user_t = table_of(User)
audit_t = table_of(AuditEntry)
policy_t = table_of(RestockPolicy)
alert_t = table_of(Alert)
order_t = table_of(SalesOrder)
order_line_t = table_of(SalesOrderLine)
watched_t = table_of(WatchedWarehouse)
seal_t = table_of(Seal)
seal_mark_t = table_of(SealMark)
check_t = table_of(IntegrityCheck)
token_t = table_of(ApiToken)
idempotency_t = table_of(ApiIdempotency)
outbox_t = table_of(OutboxEvent)
webhook_t = table_of(Webhook)
delivery_t = table_of(OutboundDelivery)
subscription_t = table_of(AlertSubscription)
job_run_t = table_of(JobRun)
location_t = table_of(Location)
putaway_t = table_of(Putaway)
lot_t = table_of(Lot)
quant_t = table_of(Quant)
shipment_t = table_of(Shipment)
shipment_line_t = table_of(ShipmentLine)
count_sheet_t = table_of(CountSheet)
count_line_t = table_of(CountLine)
supplier_t = table_of(Supplier)
supplier_product_t = table_of(SupplierProduct)
po_t = table_of(PurchaseOrder)
po_line_t = table_of(PurchaseOrderLine)
po_receipt_t = table_of(PurchaseReceipt)
company_t = table_of(Company)
