"""Figures for grouped (being written)."""
__all__: list[str] = []
