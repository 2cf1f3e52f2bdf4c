"""The package version, defined once (pyproject.toml reads it from this file)."""

__version__ = "0.9.0"

# The official SDK release whose SCIM surface (methods, models, wire names) this package matches.
OFFICIAL_SDK_VERSION = "269.0.0"
