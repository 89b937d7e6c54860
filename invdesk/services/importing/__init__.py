"""Importing products and stock from .xlsx/.csv files: read, map, check, preview, apply."""
