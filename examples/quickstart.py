"""Quickstart: the everyday SCIM tasks, written exactly as against a real Genesys Cloud org.

Run it with `make demo` (an embedded sandbox, no credentials needed), or against your org:

    GENESYSCLOUD_OAUTHCLIENT_ID=... GENESYSCLOUD_OAUTHCLIENT_SECRET=... \
    GENESYSCLOUD_REGION=eu-west-1 python examples/quickstart.py

It creates one user (demo.user.<random>@example.com), changes it, and deactivates it again.
"""

from __future__ import annotations

import os
import secrets

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.environment import client_from_environment
from PureCloudPlatformClientV2.filters import F
from PureCloudPlatformClientV2.models import (
    ScimEmail,
    ScimGenesysUserExternalId,
    ScimUserExtensions,
    ScimV2CreateUser,
    ScimV2EnterpriseUser,
)
from PureCloudPlatformClientV2.paging import iterate
from PureCloudPlatformClientV2.patch import Patch
from PureCloudPlatformClientV2.rest import ApiException

GROUP_NAME = os.environ.get("DEMO_GROUP", "Sales")


def counted(count: int, noun: str) -> str:
    """`1 user`, `2 users`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def step(number: int, text: str) -> None:
    print(f"{number}. {text}")


def main() -> None:
    api = PureCloudPlatformClientV2.SCIMApi(client_from_environment())
    print(f"Connected to {api.api_client.host}\n")

    # 1. Create a user with the enterprise and Genesys extensions.
    user = ScimV2CreateUser()
    user.user_name = f"demo.user.{secrets.token_hex(3)}@example.com"
    user.display_name = "Demo User"
    user.title = "Agent"
    user.emails = [ScimEmail(value=user.user_name, type="work", primary=True)]
    user.urnietfparamsscimschemasextensionenterprise2_0_user = ScimV2EnterpriseUser(
        department="Support", division="Home", employee_number="E-1001"
    )
    user.urnietfparamsscimschemasextensiongenesyspurecloud2_0_user = ScimUserExtensions(
        external_ids=[ScimGenesysUserExternalId(authority="demo-hr", value="E-1001")]
    )
    created = api.post_scim_v2_users(user)
    step(1, f"Created {created.user_name} (id {created.id}, version {created.meta.version})")

    # 2. Read it back.
    fetched = api.get_scim_v2_user(created.id)
    enterprise = fetched.urnietfparamsscimschemasextensionenterprise2_0_user
    step(2, f"Read it: {fetched.display_name!r}, title {fetched.title!r}, department {enterprise.department!r}")

    # 3. Patch its title, guarded by its version (ETag).
    patched = api.patch_scim_v2_user(created.id, Patch().replace("title", "Team Lead").build(),
                                     if_match=f'"{fetched.meta.version}"')
    step(3, f"Patched the title to {patched.title!r} (version {fetched.meta.version} -> {patched.meta.version})")

    # 4. Add it to a group (groups are made in Genesys; SCIM manages their members).
    groups = api.get_scim_v2_groups(F("displayName").eq(GROUP_NAME))
    if groups.resources:
        group = groups.resources[0]
        api.patch_scim_v2_group(group.id, Patch().add_members(created.id).build())
        member_of = [g.value for g in api.get_scim_v2_user(created.id).groups or []]
        step(4, f"Added to group {group.display_name!r}; the user now lists {counted(len(member_of), 'group')}")
    else:
        step(4, f"No group named {GROUP_NAME!r} in this org; skipped")

    # 5. Find it by filter.
    found = api.get_scim_v2_users(F("userName").eq(created.user_name))
    step(5, f"Filter userName eq ... found {counted(found.total_results, 'user')}: {[u.id for u in found.resources]}")

    # 6. Page through users, 10 at a time.
    names = [u.user_name for u in iterate(api.get_scim_v2_users, page_size=10, limit=25)]
    step(6, f"Paged through {len(names)} active users, 10 per page (first: {names[:3]})")

    # 7. Deactivate it (Genesys keeps inactive users; they no longer appear in unfiltered lists).
    api.patch_scim_v2_user(created.id, Patch().deactivate().build())
    inactive = api.get_scim_v2_users(F("userName").eq(created.user_name) & F("active").eq(False))
    step(7, f"Deactivated; active={api.get_scim_v2_user(created.id).active}, "
            f"found among inactive users: {inactive.total_results == 1}")


if __name__ == "__main__":
    try:
        main()
    except ApiException as error:
        raise SystemExit(f"The demo stopped on an API error:\n{error}") from None
