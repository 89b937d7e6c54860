"""Reads for pages and dialogs: browse, queries, look-ups, dashboard, reorder, alerts."""
