"""Printing from the desktop app: PDF and printer output, barcodes drawn as vectors, labels."""
