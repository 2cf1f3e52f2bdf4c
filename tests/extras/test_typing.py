"""The helpers are typed precisely: `mypy --strict` sees `iterate(api.get_scim_v2_users)` as an
iterator of `ScimV2User`, refuses a number for `co`, and finds nothing to report in the modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["paging.py", "filters.py", "patch.py", "environment.py", "configuration.py"]
USAGE = '''
from typing import Iterator, assert_type

import PureCloudPlatformClientV2 as P
from PureCloudPlatformClientV2.environment import client_from_environment
from PureCloudPlatformClientV2.filters import F, Filter, enterprise
from PureCloudPlatformClientV2.models import (
    PatchRequest, ScimGroupListResponse, ScimUserListResponse, ScimV2Group, ScimV2PatchRequest, ScimV2User,
)
from PureCloudPlatformClientV2.paging import iterate, pages
from PureCloudPlatformClientV2.patch import Patch, etag_of, get_if_changed

api = P.SCIMApi()
assert_type(iterate(api.get_scim_v2_users), Iterator[ScimV2User])
assert_type(iterate(api.get_scim_users, limit=3), Iterator[ScimV2User])
assert_type(iterate(api.get_scim_v2_groups, F("displayName").eq("Sales")), Iterator[ScimV2Group])
assert_type(iterate(api.get_scim_groups), Iterator[ScimV2Group])
assert_type(pages(api.get_scim_v2_users), Iterator[ScimUserListResponse])
assert_type(pages(api.get_scim_v2_groups), Iterator[ScimGroupListResponse])
assert_type(F("x").eq(1) & ~enterprise("division").pr(), Filter)
assert_type(Patch().replace("title", "Lead").build(), ScimV2PatchRequest)
assert_type(Patch().add_members("u1").build_patch_request(), PatchRequest)
assert_type(get_if_changed(api.get_scim_v2_user, "id", '"1"'), ScimV2User | None)
assert_type(etag_of(api.get_scim_v2_group("g")), str)
assert_type(client_from_environment(), P.ApiClient)
assert_type(P.configuration.load_environment(), P.Configuration)
P.configuration.host = P.PureCloudRegionHosts.eu_west_1
F("userName").co(1)  # type: ignore[arg-type]
'''


def test_mypy_strict_on_the_helpers_and_their_use(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)
    modules = [str(ROOT / "PureCloudPlatformClientV2" / name) for name in MODULES]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / "cache"), str(usage), *modules],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
