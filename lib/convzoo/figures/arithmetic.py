"""Figures for arithmetic (being written)."""
__all__: list[str] = []
