"""`purecloud-scim`, the command line for the Genesys Cloud SCIM API (see docs/cli.md).

Its libraries (click, rich) come with the optional extra: pip install 'purecloud-scim[cli]'.
`import PureCloudPlatformClientV2` never imports this package.
"""

from __future__ import annotations

import sys
from typing import Sequence

EXTRA_HINT = "purecloud-scim needs its optional dependencies ({missing}): pip install 'purecloud-scim[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 API error, 2 usage error, 130 interrupted)."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as error:
        print(EXTRA_HINT.format(missing=error.name or "click, rich"), file=sys.stderr)
        return 2
    from .app import run

    return run(list(sys.argv[1:] if argv is None else argv))


__all__ = ["main"]
