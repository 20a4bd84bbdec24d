"""Explorer for dilated (being written)."""
__all__: list[str] = []
