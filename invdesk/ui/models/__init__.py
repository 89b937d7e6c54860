"""Qt table models, one per table."""
