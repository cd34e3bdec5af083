"""Analytics: indicators, black spots (hot spots and forecasts), annual review, open data."""
