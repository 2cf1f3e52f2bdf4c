"""PureCloudPlatformClientV2 (SCIM edition): a small, fast, typed drop-in client for the
Genesys Cloud SCIM API. Public names load on first use, so importing the package is cheap."""

from __future__ import annotations

from ._version import __version__ as __version__
from .configuration import Configuration as Configuration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api_client import ApiClient as ApiClient
    from .apis.scim_api import SCIMApi as SCIMApi
    from .models import *  # noqa: F403
    from .region_hosts import PureCloudRegionHosts as PureCloudRegionHosts
    from .api_null_value import ApiNullValue as ApiNullValue
    from .year_month import YearMonth as YearMonth
    from .gateway_configuration import GatewayConfiguration as GatewayConfiguration
    from . import (abstract_http_client as abstract_http_client, api_client as api_client,
                   api_null_value as api_null_value, apis as apis, default_http_client as default_http_client,
                   gateway_configuration as gateway_configuration, http_request_options as http_request_options,
                   logger as logger, models as models, purecloud_region_hosts as purecloud_region_hosts,
                   region_hosts as region_hosts, rest as rest, year_month as year_month)
    from .rest import ApiException as ApiException
    from .transport import AbstractHttpClient as AbstractHttpClient
    from .transport import DefaultHttpClient as DefaultHttpClient
    from .transport import HttpRequestOptions as HttpRequestOptions
    from .paging import iterate as iterate
    from .filters import F as F
    from .patch import Patch as Patch, etag_of as etag_of, get_if_changed as get_if_changed
    from .environment import client_from_environment as client_from_environment

configuration = Configuration()

# name -> module that defines it; models are looked up in `models`
_LAZY = {
    "ApiClient": "api_client",
    "SCIMApi": "apis.scim_api",
    "PureCloudRegionHosts": "region_hosts",
    "ApiNullValue": "api_null_value",
    "YearMonth": "year_month",
    "GatewayConfiguration": "gateway_configuration",
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
}


# Submodules reachable as attributes after a bare `import PureCloudPlatformClientV2`, as in the
# official SDK (whose __init__ imports them all); loaded on first use. `configuration` is not
# here: that name is the Configuration instance.
_MODULES = ("abstract_http_client", "api_client", "api_null_value", "apis", "default_http_client",
            "gateway_configuration", "http_request_options", "logger", "models", "purecloud_region_hosts",
            "region_hosts", "rest", "year_month")


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    elif name in _MODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name == "__all__":  # computed for `import *` only: it names every model
        from .models import __all__ as model_names

        value = [*_EAGER, *_LAZY, *_MODULES, *model_names]
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

    return sorted(set(globals()) | set(_LAZY) | set(_MODULES) | set(model_names))


# What `from PureCloudPlatformClientV2 import *` gives: these, the names above, the official
# submodules and every model, as the official package's star import does for SCIM. `__all__`
# is built on first access (by `import *`), so a bare import loads no model.
_EAGER = ("Configuration", "configuration", "__version__")
