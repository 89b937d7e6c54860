"""pyqtgraph charts: time plots with hover tooltips and PNG export, and the product chart."""
