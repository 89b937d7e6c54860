"""Purchasing: purchase orders, receiving against them, drafts from reorder suggestions."""
