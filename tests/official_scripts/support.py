"""Runs one official-style script as a subprocess against a fresh sandbox: the script gets only
the sandbox's host and credentials through the environment, as it would get a real org's."""

from __future__ import annotations

import base64
import os
import pathlib
import subprocess
import tempfile

from PureCloudPlatformClientV2.sandbox import Sandbox

HERE = pathlib.Path(__file__).parent
SCRIPTS = sorted(path.stem for path in HERE.glob("*.py") if path.stem not in {"__init__", "support", "test_scripts"})
TIMEOUT_S = 120  # a hung script fails the test instead of hanging the suite

# What the identity provider would hand the app for the SAML2 bearer grant (base64, as Genesys takes
# it), and the org and issuer the sandbox is told to accept.
ORG_NAME, SAML_ISSUER = "sandbox-org", "https://idp.example.com"
SAML_ASSERTION = base64.b64encode(
    b'<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_sandbox" Version="2.0">'
    b"<saml2:Issuer>" + SAML_ISSUER.encode() + b"</saml2:Issuer><saml2:Subject>"
    b"<saml2:NameID>script.user@example.com</saml2:NameID></saml2:Subject></saml2:Assertion>").decode("ascii")


def script_path(name: str) -> pathlib.Path:
    return HERE / f"{name}.py"


def expected_output(name: str) -> str:
    return (HERE / f"{name}.expected").read_text(encoding="utf-8")


ROOT = HERE.parents[1]


def environment(sandbox: Sandbox, home: str) -> dict[str, str]:
    """The sandbox's host and credentials under the names the official README and tutorials read."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,  # the official SDK reads ~/.genesyscloudpython/config: start from none
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "GENESYS_CLOUD_API_HOST": sandbox.url,
        "GENESYS_CLOUD_REGION": "eu_west_1",
        "GENESYS_CLOUD_CLIENT_ID": sandbox.client_id,
        "GENESYS_CLOUD_CLIENT_SECRET": sandbox.client_secret,
        "GENESYS_CLOUD_CODEAUTH_CLIENT_ID": sandbox.client_id,
        "GENESYS_CLOUD_CODEAUTH_CLIENT_SECRET": sandbox.client_secret,
        "GENESYS_CLOUD_SAML2BEARER_CLIENT_ID": sandbox.client_id,
        "GENESYS_CLOUD_SAML2BEARER_CLIENT_SECRET": sandbox.client_secret,
        "GENESYS_CLOUD_ORG_NAME": ORG_NAME,
        "GENESYS_CLOUD_SAML2_ASSERTION": SAML_ASSERTION,
        "GENESYS_CLOUD_ACCESS_TOKEN": sandbox.token,
    }


def run_script(python: str, name: str, *, this_package: bool = True) -> subprocess.CompletedProcess[str]:
    """Run script `name` with interpreter `python` against a fresh sandbox, from an empty working
    directory. With `this_package`, this checkout's PureCloudPlatformClientV2 comes first on the
    path; without, the script gets the interpreter's own (the official SDK)."""
    with tempfile.TemporaryDirectory() as home, Sandbox(org_name=ORG_NAME, saml_issuer=SAML_ISSUER) as sandbox:
        env = environment(sandbox, home)
        if this_package:
            env["PYTHONPATH"] = str(ROOT)
        return subprocess.run([python, str(script_path(name))], env=env, cwd=home,
                              capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT_S)
