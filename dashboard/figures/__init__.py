"""Figures: the skeleton drawn over pictures, angle charts, 3D views and timelines.
Pure functions, data in, figure or image out."""
