"""Create a user the way the SDK's model docs show it: construct each model, then assign its
attributes (models take no constructor arguments in the official SDK), post it, read it back,
and look at it with to_dict() and to_json().

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import json
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
api_instance = PureCloudPlatformClientV2.SCIMApi(apiclient)

body = PureCloudPlatformClientV2.ScimV2CreateUser()
body.schemas = ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
body.user_name = "grace.hopper@example.com"
body.display_name = "Grace Hopper"
body.title = "Rear Admiral"
body.password = "c0bol-Rules-1959"
body.active = True

email = PureCloudPlatformClientV2.ScimEmail()
email.value = "grace.hopper@example.com"
email.type = "work"
email.primary = True
body.emails = [email]

phone = PureCloudPlatformClientV2.ScimPhoneNumber()
phone.value = "+13175550123"
phone.type = "work"
body.phone_numbers = [phone]

enterprise = PureCloudPlatformClientV2.ScimV2EnterpriseUser()
enterprise.department = "Navy"
enterprise.employee_number = "1906"
body.urnietfparamsscimschemasextensionenterprise2_0_user = enterprise

try:
    created = api_instance.post_scim_v2_users(body)
except ApiException as e:
    print("Exception when calling SCIMApi->post_scim_v2_users: %s\n" % e)
    raise

user = api_instance.get_scim_v2_user(created.id)
print("Same user read back:", user.id == created.id)
print("userName:", user.user_name)
print("title:", user.title)
print("emails:", [(e.value, e.type, e.primary) for e in user.emails])
print("phones:", [(p.value, p.type) for p in user.phone_numbers])
print("department:", user.urnietfparamsscimschemasextensionenterprise2_0_user.department)
print("employee number:", user.urnietfparamsscimschemasextensionenterprise2_0_user.employee_number)
print("password returned:", user.password is not None)

as_dict = user.to_dict()
print("to_dict keys:", sorted(as_dict))
print("to_dict emails:", as_dict["emails"])
print("to_dict enterprise:", as_dict["urnietfparamsscimschemasextensionenterprise2_0_user"])
as_json = json.loads(created.to_json())
print("to_json userName:", as_json["user_name"], "active:", as_json["active"])
print("resource type:", user.meta.resource_type)
