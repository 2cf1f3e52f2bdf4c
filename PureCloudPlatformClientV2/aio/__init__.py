"""The asyncio client (`pip install 'purecloud-scim[async]'`, which brings httpx):

    from PureCloudPlatformClientV2.aio import AsyncApiClient, AsyncSCIMApi

    async with AsyncApiClient(host="https://api.mypurecloud.ie") as client:
        await client.get_client_credentials_token(client_id, client_secret)
        user = await AsyncSCIMApi(client).get_scim_v2_user(user_id)

The same methods, parameters, models, errors, retries, token refresh and logging as `SCIMApi`
and `ApiClient`, each call awaited; see docs/async.md. Importing the package
`PureCloudPlatformClientV2` never loads this module, asyncio or httpx.
"""

from __future__ import annotations

from .api_client import AsyncApiClient
from .paging import aiterate, apages
from .scim_api import AsyncSCIMApi
from .transport import AsyncHttpClient, DefaultAsyncHttpClient

__all__ = ["AsyncApiClient", "AsyncSCIMApi", "AsyncHttpClient", "DefaultAsyncHttpClient", "aiterate", "apages",
           "sandbox_transport"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .in_process import sandbox_transport as sandbox_transport


def __getattr__(name: str) -> object:
    if name == "sandbox_transport":  # imports httpx; the others load it on first use
        from .in_process import sandbox_transport

        return sandbox_transport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
