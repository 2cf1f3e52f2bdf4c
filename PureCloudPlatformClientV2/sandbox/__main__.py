"""`python -m PureCloudPlatformClientV2.sandbox`: run the SCIM sandbox until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any, Sequence

from . import Sandbox
from .options import PROFILES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m PureCloudPlatformClientV2.sandbox",
                                     description="A local sandbox that behaves like Genesys Cloud's SCIM API.")
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    add("--port", type=int, default=8999, help="port (default 8999; 0 = any free port)")
    add("--token", help="fixed bearer token that never expires (default: random, printed)")
    add("--client-id", help="OAuth client id for POST /oauth/token (default sandbox-client)")
    add("--client-secret", help="OAuth client secret (default: random, printed)")
    add("--token-lifetime", type=int, help="lifetime in seconds of issued tokens (default 86400)")
    oauth = parser.add_argument_group("OAuth code, refresh and SAML2 bearer grants")
    oauth.add_argument("--code-lifetime", type=float,
                       help="seconds an authorization code from /oauth/authorize can be redeemed (default 60)")
    oauth.add_argument("--redirect-uri", dest="redirect_uris", action="append", metavar="URL",
                       help="a redirect URI the client may use (repeatable; default: any http(s) URL)")
    oauth.add_argument("--rotate-refresh-tokens", action=argparse.BooleanOptionalAction,
                       help="a refresh grant returns a new refresh token and ends the old one (default: on)")
    oauth.add_argument("--org-name", help="the orgName the SAML2 bearer grant expects (default sandbox)")
    oauth.add_argument("--saml-issuer", help="the Issuer of trusted SAML assertions (default sandbox-idp)")
    add("--db", help="SQLite file to keep data across restarts (default: in memory)")
    add("--seed", type=int, default=0, help="number of generated users to add at start")
    add("--profile", choices=PROFILES, default="rfc",
        help="rfc = full filter grammar; genesys-strict = only the filter forms Genesys documents")
    add("--lenient-usernames", action="store_true", help="accept userNames that are not e-mail addresses")
    add("--max-count", type=int, help="largest page size; larger counts are clamped (default 100)")
    add("--page-limit-429", action="store_true",
        help="answer 429 to count > 25 without attributes/excludedAttributes, as Genesys may")
    add("--max-body-bytes", type=int, help="request bodies over this size get 413 (default 1 MiB)")
    faults = parser.add_argument_group("fault injection")
    faults.add_argument("--latency", type=float, help="seconds of delay added to every request")
    faults.add_argument("--error-429-rate", type=float, help="share (0-1) of SCIM requests answered 429")
    faults.add_argument("--error-503-rate", type=float, help="share (0-1) of SCIM requests answered 503")
    faults.add_argument("--rate-limit", type=int, help="requests per minute per token (Genesys: 300); 0 = off")
    faults.add_argument("--rate-limit-window", type=float, metavar="SECONDS",
                        help="the window --rate-limit counts over (default 60, as Genesys; shorter for tests)")
    faults.add_argument("--retry-after", type=int, help="Retry-After seconds on injected 429s (default 1)")
    faults.add_argument("--fault-seed", type=int, help="seed for the fault draws (reproducible runs)")
    add("--log-requests", action="store_true", help="print one line per request on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings: dict[str, Any] = {k: v for k, v in vars(args).items() if v is not None}
    try:
        sandbox = Sandbox(**settings).start()
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    # set explicitly: a process started in the background may inherit SIGINT as ignored
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"SCIM sandbox listening on {sandbox.url}", flush=True)
    print(f"  SCIM base:     {sandbox.scim_url}")
    print(f"  token:         {sandbox.token}")
    print(f"  client id:     {sandbox.client_id}")
    print(f"  client secret: {sandbox.client_secret}")
    print(f"  profile:       {sandbox.options.profile}; data: {sandbox.options.db or 'in memory'}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
