"""Explorer for shuffle (being written)."""
__all__: list[str] = []
