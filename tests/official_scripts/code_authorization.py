"""Authorization code grant (README "Authorization Code Grant"): the app sends the user to
/oauth/authorize, receives a code on its redirect URI and trades it for a token, then refreshes
it with refresh_code_authorization_token. Here urllib plays the browser and reads the code from
the redirect instead of following it.

Environment: GENESYS_CLOUD_CODEAUTH_CLIENT_ID, GENESYS_CLOUD_CODEAUTH_CLIENT_SECRET,
GENESYS_CLOUD_API_HOST.
"""
import os
import urllib.error
import urllib.parse
import urllib.request

import PureCloudPlatformClientV2

CLIENT_ID = os.environ["GENESYS_CLOUD_CODEAUTH_CLIENT_ID"]
CLIENT_SECRET = os.environ["GENESYS_CLOUD_CODEAUTH_CLIENT_SECRET"]
REDIRECT_URI = "http://localhost:8080/oauth2/callback"
API_HOST = os.environ["GENESYS_CLOUD_API_HOST"]
LOGIN_HOST = API_HOST.replace("//api.", "//login.")


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the browser would go to the app; we only want the Location


def authorize_in_browser():
    query = urllib.parse.urlencode({"response_type": "code", "client_id": CLIENT_ID,
                                    "redirect_uri": REDIRECT_URI, "state": "tutorial"})
    opener = urllib.request.build_opener(_KeepRedirect)
    try:
        opener.open(LOGIN_HOST + "/oauth/authorize?" + query)
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    else:
        raise SystemExit("the authorize page did not redirect")
    print("Redirected to the app:", location.split("?")[0])
    return urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]


PureCloudPlatformClientV2.configuration.host = API_HOST
auth_code = authorize_in_browser()

apiclient = PureCloudPlatformClientV2.ApiClient()
apiclient, auth_token_info = apiclient.get_code_authorization_token(CLIENT_ID, CLIENT_SECRET, auth_code,
                                                                    REDIRECT_URI)
print("Token type:", auth_token_info["token_type"])
print("Has refresh token:", bool(auth_token_info.get("refresh_token")))
print("Expires in a positive number of seconds:", auth_token_info["expires_in"] > 0)

scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)
print("Users visible:", scim_api.get_scim_v2_users().total_results)

# Do the refresh ourselves, as the README describes for apps that store the refresh token
refresh_token = auth_token_info["refresh_token"]
PureCloudPlatformClientV2.configuration.should_refresh_access_token = False
old_access_token = apiclient.access_token
apiclient, auth_token_info = apiclient.refresh_code_authorization_token(CLIENT_ID, CLIENT_SECRET, refresh_token)
print("Refreshed; new access token:", apiclient.access_token != old_access_token)
print("Groups visible:", scim_api.get_scim_v2_groups(filter='displayName eq "Sales"').total_results)
