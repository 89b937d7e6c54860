"""Printed documents as plain data: pick lists, packing slips, transfer notes."""
