"""Figures for multichannel (being written)."""
__all__: list[str] = []
