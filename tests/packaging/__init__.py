"""Tests of the built bundle (opt-in)."""
