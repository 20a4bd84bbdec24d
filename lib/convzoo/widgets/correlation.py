"""Explorer for correlation (being written)."""
__all__: list[str] = []
