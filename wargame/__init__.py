"""Allied space crisis wargame server."""

__version__ = "0.1.0"
