"""`GatewayConfiguration`: where a gateway (a proxy that rewrites paths) serves the API and the
login service. This module holds the official attributes; how calls use them is
`ApiClient.set_gateway` and `configuration.gateway_configuration`."""

from __future__ import annotations

__all__ = ["GatewayConfiguration"]


class GatewayConfiguration:
    """host, protocol, port, path_params_login, path_params_api, username, password:
    the official attributes, keyword-only as in the official constructor."""

    def __init__(self, *, host: str | None = None, protocol: str | None = None, port: int | None = -1,
                 path_params_login: str | None = None, path_params_api: str | None = None,
                 username: str | None = None, password: str | None = None) -> None:
        self.host = host
        self.protocol = protocol
        self.port = port
        self.path_params_login = path_params_login
        self.path_params_api = path_params_api
        self.username = username
        self.password = password
