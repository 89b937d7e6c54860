"""invdesk: desktop inventory with an append-only stock ledger."""

__version__ = "0.1.0"
