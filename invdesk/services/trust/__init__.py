"""A ledger that proves itself: seals, verify, the scheduled integrity check."""
