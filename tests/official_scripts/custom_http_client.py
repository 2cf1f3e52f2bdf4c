"""The README's "Inject Custom HTTP Client" and "Pre Commit and Post Commit Hooks": a client
that extends the SDK's default HTTP client to count requests, set with set_http_client, and a
pre-request hook installed on the client returned by get_http_client().

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os
import urllib.parse

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.abstract_http_client import AbstractHttpClient
from PureCloudPlatformClientV2.default_http_client import DefaultHttpClient


class CountingHttpClient(DefaultHttpClient):
    def __init__(self):
        super().__init__()
        self.requests = []

    def request(self, options):
        self.requests.append((options.method, urllib.parse.urlsplit(options.url).path))
        return super().request(options)


PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
api_client = PureCloudPlatformClientV2.api_client.ApiClient()
http_client = CountingHttpClient()
print("Is an AbstractHttpClient:", isinstance(http_client, AbstractHttpClient))
api_client.set_http_client(http_client)
print("get_http_client returns it:", api_client.get_http_client() is http_client)

seen = []


def pre_hook(http_request_options):
    seen.append(http_request_options.method)
    return http_request_options  # the default client goes on with what the hook returns


http_client.set_pre_request_hook(pre_hook)

api_client.get_client_credentials_token(os.environ["GENESYS_CLOUD_CLIENT_ID"],
                                        os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(api_client)
scim_api.get_scim_v2_schemas()
scim_api.get_scim_v2_groups(filter='displayName eq "Sales"')
for method, path in http_client.requests:
    print(method, path)
print("Pre-hook saw:", seen)
