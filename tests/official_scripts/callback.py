"""The SDK's callback= style: a call given a callback runs in a thread and hands its result to
the callback; the script starts a few and joins the threads.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os
import threading

import PureCloudPlatformClientV2

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

results = {}
lock = threading.Lock()


def keep(name):
    def callback(response):
        with lock:
            results[name] = response
    return callback


threads = [
    scim_api.get_scim_v2_serviceproviderconfig(callback=keep("config")),
    scim_api.get_scim_v2_resourcetypes(callback=keep("types")),
    scim_api.get_scim_v2_groups(filter='displayName eq "Sales"', callback=keep("groups")),
    scim_api.get_scim_v2_schema("urn:ietf:params:scim:schemas:core:2.0:User", callback=keep("schema")),
]
print("Returned threads:", all(isinstance(t, threading.Thread) for t in threads))
for thread in threads:
    thread.join()

print("Results:", sorted(results))
print("PATCH supported:", results["config"].patch.supported)
print("Resource types:", sorted(t.name for t in results["types"].resources))
print("Group:", results["groups"].resources[0].display_name)
print("Schema:", results["schema"].name)
