"""What sales channels (web shops, POS) may do through `invdesk serve`: tokens, idempotency, API use cases."""
