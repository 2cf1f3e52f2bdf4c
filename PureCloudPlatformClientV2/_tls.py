"""SSL contexts for `configuration.ssl_context`: from certificate files, from PEM text, or from
the configuration's own TLS settings. Errors name the file or the argument that was wrong."""

from __future__ import annotations

import ssl

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


def server_auth_context(ca_file: str | None = None, ca_data: str | None = None) -> ssl.SSLContext:
    """A client-side context that verifies servers against `ca_file`, `ca_data` (PEM text) or,
    with neither, certifi's bundle."""
    context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH)
    if ca_data is not None:
        _load(lambda: context.load_verify_locations(cadata=ca_data), "the CA certificates (caContent)")
    else:
        if ca_file is None:
            import certifi

            ca_file = certifi.where()
        path = ca_file
        _load(lambda: context.load_verify_locations(cafile=path), f"the CA bundle {path!r}")
    return context


def load_client_certificate(context: ssl.SSLContext, cert_file: str, key_file: str | None, what: str = "") -> None:
    _load(lambda: context.load_cert_chain(certfile=cert_file, keyfile=key_file),
          what or f"the client certificate {cert_file!r} with the key {key_file!r}")


def from_files(cert_path: str, key_path: str, ca_path: str | None) -> ssl.SSLContext:
    """`set_mtls_certificates`: a client certificate and key from files, servers verified
    against `ca_path` (certifi's bundle when None)."""
    if not cert_path or not key_path:
        raise ValueError("set_mtls_certificates needs certPath and keyPath (caPath is optional)")
    context = server_auth_context(ca_file=ca_path or None)
    load_client_certificate(context, cert_path, key_path)
    return context


def from_contents(cert: str | bytes, key: str | bytes, ca: str | bytes) -> ssl.SSLContext:
    """`set_mtls_contents`: the client certificate, its key and the CA certificates as PEM text.

    Python's ssl module loads a certificate chain only from files, so the certificate and key
    are written to a private temporary folder (mode 0700, files 0600), loaded, and deleted
    before this returns."""
    given = {"certContent": cert, "keyContent": key, "caContent": ca}
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ValueError(f"set_mtls_contents needs certContent, keyContent and caContent; missing {', '.join(missing)}")
    texts = {name: _pem_text(value, name) for name, value in given.items()}
    context = server_auth_context(ca_data=texts["caContent"])
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="purecloud-mtls-") as folder:  # created with mode 0700
        paths = {}
        for name in ("certContent", "keyContent"):
            paths[name] = os.path.join(folder, name + ".pem")
            descriptor = os.open(paths[name], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(texts[name])
        load_client_certificate(context, paths["certContent"], paths["keyContent"],
                                "the client certificate (certContent) with its key (keyContent)")
    return context


def _pem_text(value: str | bytes, name: str) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be PEM text (str or bytes), got {type(value).__name__}")
    if "-----BEGIN " not in value:
        raise ValueError(f"{name} is not PEM text (no '-----BEGIN ' line); pass the file's contents, "
                         "or use set_mtls_certificates for paths")
    return value


def _load(action: Callable[[], None], what: str) -> None:
    try:
        action()
    except (OSError, ssl.SSLError, ValueError) as error:  # FileNotFoundError is an OSError
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ValueError(f"cannot load {what}: {detail}") from error
