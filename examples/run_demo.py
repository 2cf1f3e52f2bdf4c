"""`make demo`: start an embedded sandbox, point the GENESYSCLOUD_* variables at it, and run
examples/quickstart.py in a separate process, exactly as a user would run it."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from PureCloudPlatformClientV2.sandbox import Sandbox

HERE = pathlib.Path(__file__).parent


def main() -> int:
    with Sandbox(seed=40) as sandbox:
        print(f"Sandbox running at {sandbox.url} (seeded with 40 users)\n")
        environment = {
            **os.environ,
            "GENESYSCLOUD_OAUTHCLIENT_ID": sandbox.client_id,
            "GENESYSCLOUD_OAUTHCLIENT_SECRET": sandbox.client_secret,
            "GENESYSCLOUD_API_HOST": sandbox.url,
        }
        return subprocess.call([sys.executable, str(HERE / "quickstart.py")], env=environment)


if __name__ == "__main__":
    sys.exit(main())
