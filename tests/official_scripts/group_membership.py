"""Group membership: find a group by name, add users to it with a PATCH, read its members,
see the group on each user, and remove one member again.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

users = {}
for name in ("Alan Turing", "Joan Clarke"):
    body = PureCloudPlatformClientV2.ScimV2CreateUser()
    body.user_name = name.lower().replace(" ", ".") + "@example.com"
    body.display_name = name
    users[name] = scim_api.post_scim_v2_users(body)

groups = scim_api.get_scim_v2_groups(filter='displayName eq "Engineering"')
group = groups.resources[0]
print("Group:", group.display_name, "members before:", len(group.members or []))

add = PureCloudPlatformClientV2.ScimV2PatchOperation()
add.op = "add"
add.path = "members"
add.value = [{"value": user.id} for user in users.values()]
request = PureCloudPlatformClientV2.ScimV2PatchRequest()
request.schemas = [PATCH_OP]
request.operations = [add]
try:
    scim_api.patch_scim_v2_group(group.id, request)
except ApiException as e:
    print("Exception when calling SCIMApi->patch_scim_v2_group: %s\n" % e)
    raise

group = scim_api.get_scim_v2_group(group.id)
names = {user.id: name for name, user in users.items()}
print("Members:", sorted(names[member.value] for member in group.members))
turing = scim_api.get_scim_v2_user(users["Alan Turing"].id)
print("Turing is in the group:", [g.value for g in turing.groups] == [group.id])

remove = {"schemas": [PATCH_OP],
          "Operations": [{"op": "remove", "path": 'members[value eq "%s"]' % users["Joan Clarke"].id}]}
scim_api.patch_scim_v2_group(group.id, remove)
group = scim_api.get_scim_v2_group(group.id)
print("Members after removal:", sorted(names[member.value] for member in group.members))
