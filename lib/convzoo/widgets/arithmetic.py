"""Explorer for arithmetic (being written)."""
__all__: list[str] = []
