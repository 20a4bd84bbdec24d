"""Explorer for pointwise (being written)."""
__all__: list[str] = []
