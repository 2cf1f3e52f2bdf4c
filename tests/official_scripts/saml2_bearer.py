"""OAuth2 SAML2 bearer grant (README): an app that already holds a SAML assertion from the
identity provider trades it for a Genesys Cloud token for the org.

Environment: GENESYS_CLOUD_SAML2BEARER_CLIENT_ID, GENESYS_CLOUD_SAML2BEARER_CLIENT_SECRET,
GENESYS_CLOUD_ORG_NAME, GENESYS_CLOUD_SAML2_ASSERTION (base64), GENESYS_CLOUD_API_HOST.
"""
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
orgName = os.environ["GENESYS_CLOUD_ORG_NAME"]
encodedsamlassertion = os.environ["GENESYS_CLOUD_SAML2_ASSERTION"]

apiclient = PureCloudPlatformClientV2.ApiClient().get_saml2bearer_token(
    os.environ["GENESYS_CLOUD_SAML2BEARER_CLIENT_ID"], os.environ["GENESYS_CLOUD_SAML2BEARER_CLIENT_SECRET"],
    orgName, encodedsamlassertion)
print("Logged in with a SAML2 assertion:", apiclient.access_token is not None)

scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)
try:
    user_type = scim_api.get_scim_v2_resourcetype("User")
    print("User endpoint:", user_type.endpoint)
except ApiException as e:
    print("Exception when calling SCIMApi->get_scim_v2_resourcetype: %s\n" % e)
    raise

# A bad assertion is refused by the token endpoint
try:
    PureCloudPlatformClientV2.ApiClient().get_saml2bearer_token(
        os.environ["GENESYS_CLOUD_SAML2BEARER_CLIENT_ID"], os.environ["GENESYS_CLOUD_SAML2BEARER_CLIENT_SECRET"],
        orgName, "bm90IGEgc2FtbCBhc3NlcnRpb24=")
    print("Bad assertion accepted")
except ApiException as e:
    print("Bad assertion refused with a client error:", 400 <= e.status < 500)
