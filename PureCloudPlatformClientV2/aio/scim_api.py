"""AsyncSCIMApi: SCIMApi's 30 methods as coroutines, made from SCIMApi's own endpoint
declarations when this module loads, so no endpoint is declared twice. Type checkers read
scim_api.pyi beside this file, written from the same declarations by tools/genaio.py (a test
checks it is fresh)."""

from __future__ import annotations

from ..apis.scim_api import SCIMApi
from .api_client import AsyncApiClient

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Coroutine

    from .._endpoint import Endpoint

__all__ = ["AsyncSCIMApi"]


class AsyncSCIMApi:
    """The Genesys Cloud SCIM API for asyncio: each method of `SCIMApi`, with the same
    parameters and result, as `await api.get_scim_v2_user(user_id)`."""

    def __init__(self, api_client: AsyncApiClient | None = None) -> None:
        # No process-wide default: an asyncio client belongs to its event loop. A new one
        # follows the configuration, as `ApiClient()` does.
        self.api_client = AsyncApiClient() if api_client is None else api_client


def _coroutine_method(method: Any) -> Callable[..., Coroutine[Any, Any, Any]]:
    """`method`'s endpoint as an `async def` with its name, doc and signature."""
    endpoint: Endpoint = method.endpoint

    async def call(self: AsyncSCIMApi, *args: Any, **kwargs: Any) -> Any:
        return await self.api_client.execute(endpoint, endpoint.bind(args, kwargs))

    call.__name__ = endpoint.name
    call.__qualname__ = f"AsyncSCIMApi.{endpoint.name}"
    call.__module__ = __name__
    call.__doc__ = method.__doc__
    call.__annotations__ = method.__annotations__
    call.__wrapped__ = method.__wrapped__  # type: ignore[attr-defined]  # inspect.signature: the declared one
    call.endpoint = endpoint  # type: ignore[attr-defined]
    return call


for _name, _member in vars(SCIMApi).items():
    if hasattr(_member, "endpoint"):
        setattr(AsyncSCIMApi, _name, _coroutine_method(_member))
del _name, _member
