"""Figures for shufflenet (being written)."""
__all__: list[str] = []
