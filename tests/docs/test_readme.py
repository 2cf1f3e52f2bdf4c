"""The README tells the truth: its Python examples compile, and the runnable ones run against a sandbox."""

from __future__ import annotations

import pathlib
import re

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

README = pathlib.Path(__file__).parents[2] / "README.md"


def python_blocks() -> dict[str, str]:
    """Each ```python block, keyed by the heading of the section it is in."""
    blocks: dict[str, str] = {}
    heading = ""
    for part in re.split(r"^(## .+)$", README.read_text(encoding="utf-8"), flags=re.M):
        if part.startswith("## "):
            heading = part[3:].strip()
            continue
        for index, code in enumerate(re.findall(r"```python\n(.*?)```", part, re.S)):
            blocks[f"{heading} #{index}"] = code
    return blocks


@pytest.mark.parametrize("name", sorted(python_blocks()))
def test_every_python_example_compiles(name: str) -> None:
    compile(python_blocks()[name], f"README: {name}", "exec")


def test_the_operation_examples_run_against_the_sandbox() -> None:
    code = python_blocks()["One example per operation #0"]
    with Sandbox(serve=False) as sandbox:
        namespace = {"api": sandbox.api}
        exec(compile(code, "README: One example per operation", "exec"), namespace)
        jane = sandbox.api.get_scim_v2_users('userName eq "jane@example.com"')
        assert jane.total_results == 0  # the example ends by deleting her
        assert namespace["page"].total_results == 1


def test_the_sandbox_example_runs() -> None:
    exec(compile(python_blocks()["The sandbox #0"], "README: The sandbox", "exec"), {})
