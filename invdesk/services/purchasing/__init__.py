"""Purchasing: purchase orders, receipts against them, drafts from reorder suggestions, supplier performance."""
