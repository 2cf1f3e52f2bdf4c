"""AsyncApiClient: `ApiClient` for asyncio. The same settings, headers, retries (one
`RetryPolicy`, the call's deadline, pacing), token refresh, logging, errors and decoding:
ApiClient's own rules (an ApiClient holds the settings and is asked); only the sending and
the waiting are awaited here."""

from __future__ import annotations

import asyncio
import time

from .. import _oauth
from .._deadline import Deadline
from .._encode import to_json_text
from ..api_client import (
    NO_RESPONSE,
    ApiClient,
    as_response,
    checked_headers,
    early_renewal_failed,
    log_failure,
    retry_delay,
    transport_for,
)
from ..rest import ApiConnectionError, ApiException
from ..transport import HttpRequestOptions, RESTResponse
from .transport import AsyncHttpClient, DefaultAsyncHttpClient

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Awaitable, Callable

    from .._endpoint import Endpoint
    from .._retry import RetryPolicy
    from ..pacing import Pacer
    from ..region_hosts import PureCloudRegionHosts
    from ..settings import Settings

__all__ = ["AsyncApiClient"]


class _AsyncTokens(_oauth.Tokens):
    """The token state (shared with the ApiClient that holds the settings, and with clients
    made by `with_options`), with an asyncio.Lock: concurrent tasks that need a new token wait
    for one fetch."""

    __slots__ = ("alock",)

    def __init__(self) -> None:
        super().__init__()
        self.alock = asyncio.Lock()


class AsyncApiClient:
    """Sends calls for `AsyncSCIMApi`; share one between the tasks of an event loop.

    Takes what `ApiClient` takes (host, header_name/header_value, cookie, settings=) with the
    same meaning: without `settings` each call follows `configuration.snapshot()`. Close it with
    `await client.aclose()`, or use `async with AsyncApiClient(...) as client`.
    """

    def __init__(self, host: str | PureCloudRegionHosts | None = None, header_name: str | None = None,
                 header_value: str | None = None, cookie: str | None = None, *,
                 settings: Settings | None = None) -> None:
        # Host, default headers, cookie, settings and with_options are ApiClient's own code:
        # this ApiClient holds them and never sends anything.
        self._holder = ApiClient(host, header_name, header_value, cookie, settings=settings)
        self._tokens = _AsyncTokens()
        self._holder._tokens = self._tokens  # one token state: the holder's rules read it
        self.http_client: AsyncHttpClient = DefaultAsyncHttpClient()
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # replaceable, e.g. to record waits

    # -- settings (ApiClient's) ---------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The settings the next call uses (see `ApiClient.settings`)."""
        return self._holder.settings

    def with_options(self, **options: Any) -> AsyncApiClient:
        """A client like this one with some settings replaced (see `ApiClient.with_options`);
        it shares this one's connections and token state."""
        other = object.__new__(AsyncApiClient)
        other.__dict__.update(self.__dict__)
        other._holder = self._holder.with_options(**options)
        return other

    @property
    def host(self) -> str:
        return self._holder.host

    @host.setter
    def host(self, value: str | PureCloudRegionHosts | None) -> None:
        self._holder.host = value

    @property
    def default_headers(self) -> dict[str, str]:
        return self._holder.default_headers

    @property
    def cookie(self) -> str | None:
        return self._holder.cookie

    @cookie.setter
    def cookie(self, value: str | None) -> None:
        self._holder.cookie = value

    @property
    def user_agent(self) -> str:
        return self._holder.user_agent

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self._holder.user_agent = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        self._holder.set_default_header(header_name, header_value)

    def login_host(self) -> str:
        return self._holder.login_host()

    def set_http_client(self, http_client: AsyncHttpClient) -> None:
        if not isinstance(http_client, AsyncHttpClient):
            raise TypeError("http_client must be an AsyncHttpClient")
        self.http_client = http_client

    async def aclose(self) -> None:
        await self.http_client.aclose()

    close = aclose  # `await client.close()`, as `client.close()` in the sync client

    async def __aenter__(self) -> AsyncApiClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        token = "set" if self.access_token else "none"
        return f"AsyncApiClient(host={self.host!r}, access_token=<{token}>)"

    # -- OAuth --------------------------------------------------------------------------
    @property
    def access_token(self) -> str | None:
        """The bearer token this client sends (shared with clients made by `with_options`)."""
        return self._tokens.access_token

    @access_token.setter
    def access_token(self, token: str | None) -> None:
        self._tokens.access_token = token

    @property
    def pacer(self) -> Pacer:
        """The rate-limit pacer (used when the settings say pace_requests), as `ApiClient.pacer`."""
        return self._holder.pacer

    async def get_client_credentials_token(self, client_id: str, client_secret: str) -> AsyncApiClient:
        """Fetch a token with the client-credentials grant; it is renewed automatically
        shortly before it expires, and once after a 401. (The other grants are ApiClient's only.)"""
        grant = _oauth.client_credentials_grant(client_id, client_secret)
        async with self._tokens.alock:
            await self._run_grant(grant, self.settings)
        return self

    async def _run_grant(self, grant: _oauth.Grant, settings: Settings) -> None:
        """POST the grant and store the answer, by ApiClient's token rules (the caller holds the lock)."""
        holder = self._holder
        options = _oauth.token_request(holder, grant, settings)
        # a token request has a deadline of its own (the configured length), not a share of the call's
        response = await self._send_with_retries(options, "POST", _oauth.TOKEN_PATH, settings.retry,
                                                 Deadline(settings.deadline), holder._pacing(settings))
        _oauth.keep(self._tokens, grant, _oauth.read_token(holder, response))

    def _refreshes(self, settings: Settings) -> bool:
        return self._holder._refreshes(settings)

    async def _refresh_token(self, rejected: str | None, settings: Settings) -> None:
        """Renew the token unless another task replaced `rejected` meanwhile."""
        tokens = self._tokens
        async with tokens.alock:
            grant = tokens.renewal()
            if tokens.access_token == rejected and grant is not None:
                await self._run_grant(grant, settings)

    async def _token_for_call(self, settings: Settings) -> str | None:
        tokens = self._tokens
        token, expires = tokens.access_token, tokens.expires_at
        if self._holder._renewal_due(expires, settings):
            assert expires is not None
            try:
                await self._refresh_token(token, settings)
            except ApiException as failure:
                early_renewal_failed(failure, expires)  # the old token may still serve
        return tokens.access_token or settings.access_token

    # -- the one request routine ------------------------------------------------------
    async def execute(self, endpoint: Endpoint, arguments: dict[str, Any]) -> Any:
        """Send one API call described by `endpoint` and return its decoded result."""
        request = endpoint.build(arguments)
        payload = None if request.body is None else to_json_text(request.body, "body").encode()
        settings = self.settings  # one value for the whole call, retries and token renewal included
        deadline = Deadline(settings.deadline)  # one budget for every attempt and wait of this call
        call = self._call(settings, deadline, request.method, request.path, request.query, request.headers, payload)
        left = deadline.left()
        if left is None:
            result = await call
        else:  # the hard stop: an attempt under way when the budget ends is cancelled
            try:
                result = await asyncio.wait_for(call, left)
            except asyncio.TimeoutError:
                error = deadline.expired(None, True)
                error.method, error.path = request.method, request.path
                raise error from None
        return self._holder._decode(result, endpoint.return_type, request.method, request.path)

    async def _call(self, settings: Settings, deadline: Deadline, method: str, path: str, query: str,
                    call_headers: dict[str, str], payload: bytes | None) -> RESTResponse:
        holder = self._holder
        headers = holder._request_headers(call_headers, payload is not None)
        url = holder._url(settings, path, query)
        started, refreshed = time.perf_counter(), False
        while True:
            token = await self._token_for_call(settings)
            if token:
                headers.update(checked_headers({"Authorization": "Bearer " + token}))
            options = HttpRequestOptions(url, method, headers, body=payload, timeout=settings.timeout,
                                         transport=transport_for(settings, url))
            try:
                response = await self._send_with_retries(options, method, path, settings.retry, deadline,
                                                         holder._pacing(settings))
            except ApiConnectionError as failure:
                log_failure(method, path, query, url, headers, payload, settings, failure)
                raise
            refresh = response.status == 401 and not refreshed and self._refreshes(settings)
            holder._log(method, url, response, started, headers, payload, settings, final=not refresh)
            if refresh:
                refreshed = True  # at most one refresh per call: a persistent 401 ends here
                await self._refresh_token(token, settings)
                continue
            if 200 <= response.status < 300:
                return response
            raise ApiException.from_response(response, method, path)

    async def _send_with_retries(self, options: HttpRequestOptions, method: str, path: str, policy: RetryPolicy,
                                 deadline: Deadline, pacer: Pacer | None = None) -> RESTResponse:
        attempt = 0
        while True:
            if pacer is not None:
                await pacer.wait_async(self.sleep)
            options.total_timeout = deadline.left()
            response, error = await self._send_once(options)
            delay = retry_delay(policy, method, path, attempt, response, error, deadline, pacer)
            if delay is None:
                return response
            await self.sleep(delay)
            attempt += 1

    async def _send_once(self, options: HttpRequestOptions) -> tuple[RESTResponse, ApiConnectionError | None]:
        """One attempt: the response, or the connection error it ended in (never another kind).
        Cancellation is not an error: it ends the call at once."""
        try:
            return as_response(await self.http_client.request(options)), None
        except ApiConnectionError as failure:
            return NO_RESPONSE, failure
        except ApiException:
            raise
        except Exception as failure:  # a custom http client's own error
            return NO_RESPONSE, ApiConnectionError(f"{type(failure).__name__}: {failure}")

    # -- pure helpers (ApiClient's) ---------------------------------------------------
    def deserialize(self, response: Any, response_type: str) -> Any:
        """Decode a response object (`.data`, `.status`, `.getheader()`) into `response_type`."""
        return self._holder.deserialize(response, response_type)

    def sanitize_for_serialization(self, obj: Any) -> Any:
        return self._holder.sanitize_for_serialization(obj)

    def serialize(self, obj: Any) -> str:
        return self._holder.serialize(obj)
