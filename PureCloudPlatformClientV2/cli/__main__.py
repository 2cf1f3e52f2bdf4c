"""`python -m PureCloudPlatformClientV2.cli`: the same as the `purecloud-scim` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
