"""PureCloudPlatformClientV2 (SCIM edition): a small, fast, typed drop-in client for the
Genesys Cloud SCIM API. Public names load on first use, so importing the package is cheap."""

from __future__ import annotations

from ._version import __version__
from .configuration import Configuration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api_client import ApiClient as ApiClient
    from .apis.scim_api import SCIMApi as SCIMApi
    from .models import *  # noqa: F403
    from .region_hosts import PureCloudRegionHosts as PureCloudRegionHosts
    from .rest import ApiException as ApiException
    from .transport import AbstractHttpClient as AbstractHttpClient
    from .transport import DefaultHttpClient as DefaultHttpClient
    from .transport import HttpRequestOptions as HttpRequestOptions
    from .paging import iterate as iterate
    from .filters import F as F
    from .patch import Patch as Patch, etag_of as etag_of, get_if_changed as get_if_changed
    from .environment import client_from_environment as client_from_environment
    from .gateway_configuration import GatewayConfiguration as GatewayConfiguration

configuration = Configuration()

# name -> module that defines it; models are looked up in `models`
_LAZY = {
    "ApiClient": "api_client",
    "SCIMApi": "apis.scim_api",
    "PureCloudRegionHosts": "region_hosts",
    "ApiException": "rest",
    "AbstractHttpClient": "transport",
    "DefaultHttpClient": "transport",
    "HttpRequestOptions": "transport",
    "iterate": "paging",
    "F": "filters",
    "Patch": "patch",
    "etag_of": "patch",
    "get_if_changed": "patch",
    "client_from_environment": "environment",
    "GatewayConfiguration": "gateway_configuration",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    elif name[:1].isupper():
        models = importlib.import_module(f"{__name__}.models")
        if name not in models.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(models, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    from .models import __all__ as model_names

    return sorted(set(globals()) | set(_LAZY) | set(model_names))


__all__ = ["Configuration", "configuration", "__version__", *_LAZY]
