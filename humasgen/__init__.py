"""humasgen: a static newsroom and feed generator for government press releases."""

__version__ = "0.1.0"

from .hookspecs import hookimpl  # noqa: E402  (plugins write `@humasgen.hookimpl`)

__all__ = ["__version__", "hookimpl"]
