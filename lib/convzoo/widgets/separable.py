"""Explorer for separable (being written)."""
__all__: list[str] = []
