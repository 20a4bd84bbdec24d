"""Explorer for flattened (being written)."""
__all__: list[str] = []
