"""The official ApiClient's small public helpers (parameter formatting, header selection,
auth settings, form parameters) that scripts written for it may call. ApiClient inherits
them; nothing in the SDK's own request path uses them."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["OfficialHelpers"]


class OfficialHelpers:
    """Mixed into ApiClient: `to_path_value`, `sanitize_params_for_serialization`,
    `select_header_accept`, `select_header_content_type`, `update_params_for_auth`,
    `prepare_post_parameters`, with the official results."""

    _configuration: Any  # ApiClient's Configuration (not imported: this module sits below it)
    access_token: str | None

    def to_path_value(self, obj: Any) -> str:
        """A parameter value as text: a list comma-joined, a bool as `true`/`false`."""
        if isinstance(obj, list):
            return ",".join(str(item) for item in obj)
        if isinstance(obj, bool):
            return "true" if obj else "false"
        return str(obj)

    def sanitize_params_for_serialization(self, obj: Any) -> Any:
        """Like `sanitize_for_serialization`, but None values of a dict are left out."""
        from ._encode import to_json_data

        if isinstance(obj, dict):
            obj = {key: value for key, value in obj.items() if value is not None}
        return to_json_data(obj, "params")

    def select_header_accept(self, accepts: list[str] | None) -> str | None:
        """`application/json` when offered, else all of `accepts` joined; None for none."""
        if not accepts:
            return None
        lowered = [kind.lower() for kind in accepts]
        return "application/json" if "application/json" in lowered else ", ".join(lowered)

    def select_header_content_type(self, content_types: list[str] | None) -> str:
        """`application/json` when offered (or nothing is), else the first one."""
        if not content_types:
            return "application/json"
        lowered = [kind.lower() for kind in content_types]
        return "application/json" if "application/json" in lowered else lowered[0]

    def update_params_for_auth(self, headers: dict[str, Any], querys: Any, auth_settings: list[str] | None) -> None:
        """Put the credentials of the named auth settings (`PureCloud OAuth`, `Guest Chat JWT`,
        see `configuration.auth_settings()`) into `headers` or `querys`; unknown names are skipped."""
        if not auth_settings:
            return
        known = self._configuration.auth_settings(self.access_token)
        for name in auth_settings:
            setting = known.get(name)
            if not setting or not setting["value"]:
                continue
            if setting["in"] == "header":
                headers[setting["key"]] = setting["value"]
            elif setting["in"] == "query":
                querys[setting["key"]] = setting["value"]
            else:
                raise ValueError("Authentication token must be in `query` or `header`")

    def prepare_post_parameters(self, post_params: Any = None, files: dict[str, Any] | None = None) -> list[Any]:
        """Form parameters as pairs, with each file (a path, or a list of paths) as
        `(name, (filename, bytes, mimetype))`."""
        import mimetypes
        import os

        params = list(post_params.items() if isinstance(post_params, dict) else post_params or [])
        for name, paths in (files or {}).items():
            if not paths:
                continue
            for path in paths if isinstance(paths, list) else [paths]:
                with open(path, "rb") as file:
                    filename = os.path.basename(file.name)
                    data = file.read()
                mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                params.append((name, (filename, data, mimetype)))
        return params
