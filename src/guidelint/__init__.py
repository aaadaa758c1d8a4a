"""guidelint: keep a library of crisis-support guides correct, consistent and reachable."""

__version__ = "0.1.0"
