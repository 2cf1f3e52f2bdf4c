"""Helpers for the CLI tests: run the CLI the way a person would (a subprocess of
`python -m PureCloudPlatformClientV2.cli`), read the sandbox, generate input files."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from PureCloudPlatformClientV2.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENESYSCLOUD_")}
    env.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **extra})
    return env


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def csv(self) -> list[dict[str, str]]:
        return list(csv.DictReader(self.stdout.splitlines()))


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: str | None = None,
            timeout: float = 180) -> Result:
    done = subprocess.run([sys.executable, "-m", "PureCloudPlatformClientV2.cli", *args], env=env or base_env(),
                          cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout,
                          encoding="utf-8")
    return Result(done.returncode, done.stdout, done.stderr)


class Cli:
    """Runs the CLI against one sandbox; connection through the GENESYSCLOUD_* variables."""

    def __init__(self, sandbox: Sandbox, cwd: Path) -> None:
        self.sandbox, self.cwd = sandbox, cwd

    @property
    def env(self) -> dict[str, str]:
        return base_env(GENESYSCLOUD_API_HOST=self.sandbox.url, GENESYSCLOUD_ACCESS_TOKEN=self.sandbox.token)

    def __call__(self, *args: str, stdin: str | None = None, **extra_env: str) -> Result:
        return run_cli(*[str(a) for a in args], env={**self.env, **extra_env}, cwd=self.cwd, stdin=stdin)

    def ok(self, *args: str, **kw: Any) -> Result:
        result = self(*args, **kw)
        assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        return result


# -- reading the sandbox directly --------------------------------------------------------------
def all_users(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Every user, active and inactive, as the API returns them."""
    api, found = sandbox.api, {}
    for query in (None, "active eq false"):
        start = 1
        while True:
            page = api.get_scim_v2_users(query, start_index=start, count=100)
            for user in page.resources or []:
                found[user.id] = user.to_wire()
            start += len(page.resources or [])
            if not page.resources or start > (page.total_results or 0):
                break
    return list(found.values())


def users_by_name(sandbox: Sandbox) -> dict[str, dict[str, Any]]:
    return {u["userName"]: u for u in all_users(sandbox)}


def state(sandbox: Sandbox) -> tuple[str, str]:
    """Changes whenever any user or group is written (id, version and timestamp of each)."""
    return sandbox.store.fingerprint("users"), sandbox.store.fingerprint("groups")


def create_user(sandbox: Sandbox, user_name: str, **attributes: Any) -> dict[str, Any]:
    from PureCloudPlatformClientV2.models import ScimV2CreateUser

    body = {"userName": user_name, "displayName": attributes.pop("displayName", user_name.split("@")[0].title()),
            **attributes}
    return sandbox.api.post_scim_v2_users(ScimV2CreateUser.from_wire(body)).to_wire()  # type: ignore[no-any-return]


def group_id(sandbox: Sandbox, name: str) -> str:
    page = sandbox.api.get_scim_v2_groups(f'displayName eq "{name}"')
    return page.resources[0].id  # type: ignore[index,no-any-return]


def member_ids(sandbox: Sandbox, name: str) -> set[str]:
    group = sandbox.api.get_scim_v2_group(group_id(sandbox, name)).to_wire()
    return {m["value"] for m in group.get("members") or []}


# -- generated input files ---------------------------------------------------------------------
COLUMNS = ["userName", "displayName", "title", "active", "email", "phone", "mobile", "externalId", "department",
           "division", "employeeNumber", "manager", "dateHire", "roles", "skills", "languages"]
_TITLES = ["Agent", "Senior Agent", "Team Lead", "Billing Specialist", "Quality Analyst"]
_DEPARTMENTS = ["Customer Care", "Sales", "Billing", "Technical Support"]
_DIVISIONS = ["Home", "EMEA", "Americas"]
_ROLES = ["employee", "employee;Agent", "employee;Supervisor", ""]
_SKILLS = ["Sales:3", "Billing:4.5;Support:2", "", "Spanish Support:5"]
_LANGUAGES = ["English:5", "English:4;Spanish:3", "", "French:2"]


def make_rows(count: int, *, domain: str = "example.com", managers_every: int = 50) -> list[dict[str, str]]:
    """`count` deterministic, varied rows; every `managers_every`-th user manages the next ones,
    and each manager reports to the first user, so managers are created by the same sync."""
    rows = []
    for i in range(count):
        lead = (i // managers_every) * managers_every
        manager = "" if i == 0 else f"user{0 if i == lead else lead:05d}@{domain}"
        rows.append({
            "userName": f"user{i:05d}@{domain}",
            "displayName": f"User {i:05d}",
            "title": _TITLES[i % len(_TITLES)],
            "active": "true",
            "email": f"user{i:05d}.work@{domain}" if i % 3 else "",
            "phone": f"+1317555{i % 10000:04d}" if i % 2 else "",
            "mobile": f"+1312555{i % 10000:04d}" if i % 5 == 0 else "",
            "externalId": f"E{i:06d}",
            "department": _DEPARTMENTS[i % len(_DEPARTMENTS)],
            "division": _DIVISIONS[i % len(_DIVISIONS)],
            "employeeNumber": str(100000 + i),
            "manager": manager,
            "dateHire": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "roles": _ROLES[i % len(_ROLES)],
            "skills": _SKILLS[i % len(_SKILLS)],
            "languages": _LANGUAGES[i % len(_LANGUAGES)],
        })
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    names = columns or list(rows[0]) if rows else (columns or ["userName"])
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def journal_entries(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


# -- a real terminal ----------------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def run_in_terminal(*args: str, env: dict[str, str], columns: int = 100, lines: int = 50, timeout: float = 180,
                    cwd: Path | None = None, answer: tuple[str, Callable[[], None]] | None = None) -> Result:
    """Run the CLI with stdin, stdout and stderr on a pseudo-terminal `columns` wide; `stdout` of
    the result is everything the terminal showed, without escape sequences. `answer=(prompt,
    meanwhile)`: once the terminal shows `prompt`, call `meanwhile()` and type y (the prompt
    must come)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**env, "COLUMNS": str(columns), "LINES": str(lines), "TERM": "xterm-256color"}
    child = subprocess.Popen([sys.executable, "-m", "PureCloudPlatformClientV2.cli", *args], env=env, cwd=cwd,
                             stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    shown = bytearray()
    answered = False
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if answer is not None and answer[0].encode() in shown:
                answer[1]()
                os.write(leader, b"y\n")
                answer, answered = None, True
    finally:
        os.close(leader)
        returncode = child.wait(timeout=timeout)
    assert answer is None or answered, shown.decode("utf-8", "replace")
    return Result(returncode, ANSI.sub("", shown.decode("utf-8", "replace")).replace("\r\n", "\n"), "")
