"""Explorer for transposed (being written)."""
__all__: list[str] = []
