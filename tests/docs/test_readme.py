"""The README tells the truth: its blocks, pasted in order into a fresh clone, work.

Python blocks run one after another in one namespace, as in a Python session, against a sandbox
that stands in for Genesys (requests to Genesys hosts are sent to it). Console blocks run line
by line in one temporary folder, each `$ ` line through bash, with this environment's commands on
PATH. A block that cannot run here (it installs packages, needs a real org, runs forever) says so
in a `<!-- readme-test: skip (why) -->` line above it.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import re
import subprocess
import sys
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

README = pathlib.Path(__file__).parents[2] / "README.md"
SKIP = re.compile(r"<!-- readme-test: skip \((.+)\) -->\n$")
GENESYS_HOST = re.compile(r"^https://(api|login)\.[a-z0-9.-]*(mypurecloud\.[a-z.]+|pure\.cloud|pure-cloud)(?=/|$)")
SANDBOX_TOKEN = "YOUR_ACCESS_TOKEN"  # the placeholder the README's first call uses


class Block:
    def __init__(self, language: str, code: str, heading: str, line: int, skip: str | None) -> None:
        self.language, self.code, self.heading, self.line, self.skip = language, code, heading, line, skip

    def __repr__(self) -> str:
        return f"README.md:{self.line} ({self.heading}, {self.language})"


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found, heading = [], ""
    for match in re.finditer(r"^(## [^\n]+)$|^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        if match.group(1):
            heading = match.group(1)[3:].strip()
            continue
        before = text[: match.start()]
        skip = SKIP.search(before)
        line = before.count("\n") + 1
        found.append(Block(match.group(2), match.group(3), heading, line, skip.group(1) if skip else None))
    return found


def test_every_block_is_run_or_says_why_not() -> None:
    every = blocks()
    assert len(every) >= 10
    unknown = [b for b in every if b.language not in ("python", "console")]
    assert not unknown, f"blocks without a known language (python or console): {unknown}"
    assert any(b.language == "console" and not b.skip for b in every), "the CLI block must run"


@pytest.mark.parametrize("block", [b for b in blocks() if b.language == "python"], ids=repr)
def test_every_python_block_compiles(block: Block) -> None:
    compile(block.code, repr(block), "exec")


@contextlib.contextmanager
def genesys_served_by(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Requests to Genesys hosts (api.* and login.*) reach the sandbox instead; others go as sent."""
    from PureCloudPlatformClientV2.transport import DefaultHttpClient

    send = DefaultHttpClient.request

    def to_sandbox(self: DefaultHttpClient, options: Any) -> Any:
        options.url = GENESYS_HOST.sub(sandbox.url, options.url)
        return send(self, options)

    monkeypatch.setattr(DefaultHttpClient, "request", to_sandbox)
    yield


def test_the_python_blocks_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    with Sandbox(token=SANDBOX_TOKEN) as sandbox, genesys_served_by(sandbox, monkeypatch):
        for name in [n for n in os.environ if n.startswith("GENESYSCLOUD_")]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_ID", sandbox.client_id)
        monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", sandbox.client_secret)
        monkeypatch.setenv("GENESYSCLOUD_REGION", "eu-west-1")
        namespace: dict[str, Any] = {"CLIENT_ID": sandbox.client_id, "CLIENT_SECRET": sandbox.client_secret}
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            for block in blocks():
                if block.language == "python" and not block.skip:
                    exec(compile(block.code, repr(block), "exec"), namespace)
        shown = printed.getvalue()

        assert "SCIM call failed" not in shown  # the first call reached a server and succeeded
        api = sandbox.api
        assert api.get_scim_v2_users('userName eq "jane@example.com"').total_results == 0  # deleted at the end
        assert namespace["page"].total_results == 1  # the filtered query found her before that
        assert "uniqueness" in shown  # the errors block reached its ConflictError branch
        assert "47 active + 3 inactive" in shown  # the sandbox block's count of Sandbox(seed=50)
        assert callable(namespace["test_my_sync_job"])


def test_the_console_blocks_run_in_order(tmp_path: pathlib.Path) -> None:
    bin_dir = pathlib.Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYSCLOUD_", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    outputs = []
    for block in blocks():
        if block.language != "console" or block.skip:
            continue
        for command in [line[2:] for line in block.code.splitlines() if line.startswith("$ ")]:
            result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                                    text=True, timeout=120, stdin=subprocess.DEVNULL)
            assert result.returncode == 0, f"{block}: `{command}` exited {result.returncode}\n{result.stderr}"
            outputs.append((command, result.stdout))

    listed = {command.split(" --")[0]: out for command, out in outputs}
    assert "jane@example.com" in listed["purecloud-scim users get jane@example.com"]
    everyone = (tmp_path / "everyone.csv").read_text(encoding="utf-8").splitlines()
    assert len(everyone) == 1 + 18 + 1  # the header, the 18 active seeded users and Jane
    with Sandbox(db=str(tmp_path / "demo.db")) as sandbox:  # the data the commands left behind
        users = sandbox.api.get_scim_v2_users('userName eq "new.hire@example.com"').resources
        assert [u.title for u in users] == ["Agent"]
        jane = sandbox.api.get_scim_v2_users('userName eq "jane@example.com"').resources[0]
        sales = sandbox.api.get_scim_v2_groups('displayName eq "Sales"').resources[0]
        assert jane.id in [m.value for m in sales.members or []]
