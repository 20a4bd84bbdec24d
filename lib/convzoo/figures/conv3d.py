"""Figures for conv3d (being written)."""
__all__: list[str] = []
