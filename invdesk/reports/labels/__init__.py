"""Barcode labels: symbols, label stock, designs laid out in mm, jobs, ZPL, where labels come from."""
