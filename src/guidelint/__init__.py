"""guidelint: keep a library of crisis-support guides correct, consistent and reachable."""

__version__ = "0.1.0"


def read_data(name: str) -> str:
    """The text of `guidelint/data/<name>`, read through the package's own loader.

    This is what `pkgutil.get_data` does, so it works from a zip as well as from files;
    `importlib.resources` does the same but its imports (zipfile, tempfile, threading …)
    cost `guidelint lint` a tenth of its start-up.
    """
    from pathlib import Path

    loader = __spec__.loader
    if loader is None or not hasattr(loader, "get_data"):
        raise OSError(f"cannot read guidelint's bundled {name}: the package has no loader")
    data: bytes = loader.get_data(str(Path(__file__).parent / "data" / name))
    return data.decode("utf-8")
