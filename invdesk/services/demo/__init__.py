"""Demo data for an empty database."""
