"""Figures for flattened (being written)."""
__all__: list[str] = []
