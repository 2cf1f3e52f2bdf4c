"""Export users to CSV, a common admin script: page through all users and write one row per
user from to_dict(), here to standard output.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import csv
import os
import sys

import PureCloudPlatformClientV2

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

for user_name, title, department in [("kim@example.com", "Agent", "Sales"), ("lee@example.com", "Lead", "Support"),
                                     ("max@example.com", None, None)]:
    body = PureCloudPlatformClientV2.ScimV2CreateUser()
    body.user_name = user_name
    body.display_name = user_name.split("@")[0].title()
    body.title = title
    if department:
        enterprise = PureCloudPlatformClientV2.ScimV2EnterpriseUser()
        enterprise.department = department
        body.urnietfparamsscimschemasextensionenterprise2_0_user = enterprise
    scim_api.post_scim_v2_users(body)

writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["userName", "displayName", "title", "active", "department", "email"])
start_index = 1
while True:
    page = scim_api.get_scim_v2_users(start_index=start_index, count=2)
    for user in page.resources:
        row = user.to_dict()
        enterprise = row["urnietfparamsscimschemasextensionenterprise2_0_user"] or {}
        emails = row["emails"] or []
        writer.writerow([row["user_name"], row["display_name"], row["title"] or "", row["active"],
                         enterprise.get("department") or "", emails[0]["value"] if emails else ""])
    start_index += page.items_per_page
    if start_index > page.total_results:
        break
