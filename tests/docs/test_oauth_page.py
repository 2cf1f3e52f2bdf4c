"""docs/oauth.md tells the truth: every Python block runs as written against the sandbox, the
printed error is the one shown, and the page's tables list what the code declares."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.sandbox import SandboxOptions
from PureCloudPlatformClientV2.sandbox.__main__ import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "oauth.md"
OAUTH_OPTIONS = ("code_lifetime", "redirect_uris", "rotate_refresh_tokens", "org_name", "saml_issuer")


def python_blocks() -> list[tuple[int, str]]:
    text = PAGE.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in re.finditer(r"^```python\n(.*?)^```$", text,
                                                                                 re.M | re.S)]


@pytest.mark.parametrize(("line", "code"), python_blocks(), ids=[f"line {n}" for n, _ in python_blocks()])
def test_every_python_block_runs(line: int, code: str) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"docs/oauth.md:{line}", "exec"), {"__name__": "docs"})
    if "print(error)" in code:  # the Errors section shows what it prints
        shown = re.search(r"^prints\n\n```text\n(.*?)\n```", PAGE.read_text(encoding="utf-8"), re.M | re.S)
        assert shown is not None
        expected = shown.group(1).replace("6f1c...", "")
        assert printed.getvalue().startswith(expected)


def test_the_page_covers_every_grant_and_is_linked_from_the_index() -> None:
    text = PAGE.read_text(encoding="utf-8")
    blocks = "\n".join(code for _, code in python_blocks())
    for method in ("get_client_credentials_token", "get_saml2bearer_token", "get_code_authorization_token",
                   "refresh_code_authorization_token", "get_pkce_token", "generate_pkce_code_verifier",
                   "compute_pkce_code_challenge", "handle_expired_access_token"):
        assert method in text, method
        if method != "get_client_credentials_token":  # that one runs in the README and sandbox pages
            assert method in blocks, f"{method} has no runnable example"
    assert "(oauth.md)" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_option_tables_list_every_option_and_flag() -> None:
    oauth_table = PAGE.read_text(encoding="utf-8")
    sandbox_page = (DOCS / "sandbox.md").read_text(encoding="utf-8")
    actions = {action.dest: action for action in build_parser()._actions}
    assert set(OAUTH_OPTIONS) <= {f.name for f in dataclasses.fields(SandboxOptions)}
    for name in OAUTH_OPTIONS:
        assert f"`{name}`" in oauth_table and f"`{actions[name].option_strings[0]}`" in oauth_table, name
    for action in actions.values():  # the sandbox page's flag table names every flag
        flags = [f for f in action.option_strings if f.startswith("--") and not f.startswith("--no-")]
        if action.dest != "help":
            assert any(f"`{flag}" in sandbox_page for flag in flags), flags
