"""Explorer for common (being written)."""
__all__: list[str] = []
