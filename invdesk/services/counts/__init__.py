"""Count sheets: open, count line by line, preview the variance, post the differences as one stock transaction."""
