"""Master data: products, barcodes, categories, warehouses, restock policies, accounts, audit."""
