"""humasgen: a static newsroom and feed generator for government press releases."""

__version__ = "0.1.0"
