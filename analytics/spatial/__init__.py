"""Black spots: grids (H3, metric squares), Getis-Ord Gi* hot spots with FDR, the two-period comparison,
forecasts and their evaluation. Pure NumPy/SciPy/h3, no Django: see README.md beside this file."""
