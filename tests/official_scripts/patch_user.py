"""PATCH a user twice: with a body built from ScimV2PatchRequest/ScimV2PatchOperation models,
and with a plain dict in the SCIM wire form (what scripts copied from the API explorer send).

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os

import PureCloudPlatformClientV2

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

new_user = PureCloudPlatformClientV2.ScimV2CreateUser()
new_user.user_name = "ada.lovelace@example.com"
new_user.display_name = "Ada Lovelace"
user = scim_api.post_scim_v2_users(new_user)

operation = PureCloudPlatformClientV2.ScimV2PatchOperation()
operation.op = "replace"
operation.path = "title"
operation.value = "Analyst"
department = PureCloudPlatformClientV2.ScimV2PatchOperation()
department.op = "replace"
department.path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"
department.value = "Engines"
body = PureCloudPlatformClientV2.ScimV2PatchRequest()
body.schemas = [PATCH_OP]
body.operations = [operation, department]
patched = scim_api.patch_scim_v2_user(user.id, body)
print("After model PATCH:", patched.title, "/", patched.urnietfparamsscimschemasextensionenterprise2_0_user.department)

patched = scim_api.patch_scim_v2_user(user.id, {
    "schemas": [PATCH_OP],
    "Operations": [
        {"op": "replace", "path": "displayName", "value": "Countess Lovelace"},
        {"op": "add", "path": "phoneNumbers", "value": [{"value": "+441632960001", "type": "mobile"}]},
    ],
})
print("After dict PATCH:", patched.display_name, [(p.value, p.type) for p in patched.phone_numbers])

patched = scim_api.patch_scim_v2_user(user.id, {"schemas": [PATCH_OP],
                                                "Operations": [{"op": "replace", "value": {"active": False}}]})
print("Active after PATCH without a path:", patched.active)
