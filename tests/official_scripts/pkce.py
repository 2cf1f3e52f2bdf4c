"""PKCE grant (README "PKCE Grant"): a public app makes a code verifier and its S256 challenge,
sends the user to /oauth/authorize with the challenge, and trades the code and the verifier
for a token. urllib plays the browser.

Environment: GENESYS_CLOUD_CODEAUTH_CLIENT_ID, GENESYS_CLOUD_API_HOST.
"""
import base64
import hashlib
import os
import urllib.error
import urllib.parse
import urllib.request

import PureCloudPlatformClientV2

CLIENT_ID = os.environ["GENESYS_CLOUD_CODEAUTH_CLIENT_ID"]
REDIRECT_URI = "http://localhost:8080/oauth2/callback"
API_HOST = os.environ["GENESYS_CLOUD_API_HOST"]

code_verifier = PureCloudPlatformClientV2.ApiClient().generate_pkce_code_verifier(128)
code_challenge = PureCloudPlatformClientV2.ApiClient().compute_pkce_code_challenge(code_verifier)
print("Verifier length:", len(code_verifier))
expected = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).decode().rstrip("=")
print("Challenge is S256 of the verifier:", code_challenge == expected)


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


query = urllib.parse.urlencode({"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
                                "code_challenge": code_challenge, "code_challenge_method": "S256"})
try:
    urllib.request.build_opener(_KeepRedirect).open(API_HOST.replace("//api.", "//login.") + "/oauth/authorize?" + query)
    raise SystemExit("the authorize page did not redirect")
except urllib.error.HTTPError as redirect:
    auth_code = urllib.parse.parse_qs(urllib.parse.urlparse(redirect.headers["Location"]).query)["code"][0]

PureCloudPlatformClientV2.configuration.host = API_HOST
apiclient = PureCloudPlatformClientV2.ApiClient()
apiclient, auth_token_info = apiclient.get_pkce_token(CLIENT_ID, code_verifier, auth_code, REDIRECT_URI)
print("Token type:", auth_token_info["token_type"])

scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)
print("Schemas:", scim_api.get_scim_v2_schemas().total_results)
