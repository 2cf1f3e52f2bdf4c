"""The package version, defined once (setup.py reads this file as text)."""

__version__ = "269.0.0.post1"
