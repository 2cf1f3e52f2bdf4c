"""API classes."""

from .scim_api import SCIMApi

__all__ = ["SCIMApi"]
