"""Stock changes: the operation frame, operations, ledger, holds, orders, alert rules, events."""
