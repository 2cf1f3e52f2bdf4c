"""Scripts written the way Genesys' README, tutorials and quick-hits write them run unchanged
against the sandbox, each in its own process with only host and credentials from the
environment, and print exactly their `.expected` transcript (the official SDK's transcript,
where the official SDK can run them: see `test_official_sdk_prints_the_same`)."""

from __future__ import annotations

import difflib
import os
import sys

import pytest

from .support import SCRIPTS, expected_output, run_script

# Scripts that need a part of issue 13 that is not merged yet: (parts, what they need).
# Strict, so a mark that is no longer true fails: remove a row when its parts have merged.
NEEDS = {
}


# The sandbox is this package's on both sides, so on the official SDK only the scripts that need
# the sandbox to do more (the OAuth grants) wait for a part.
SANDBOX_PARTS = {"compat-oauth"}


def _marked(names: list[str], parts_that_count: set[str] | None = None) -> list[object]:
    params = []
    for name in names:
        parts, what = NEEDS.get(name, ((), ""))
        waiting = [part for part in parts if parts_that_count is None or part in parts_that_count]
        marks = [pytest.mark.xfail(strict=True, reason=f"needs {what} ({', '.join(waiting)})")] if waiting else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def _check(result_stdout: str, returncode: int, stderr: str, expected: str, name: str) -> None:
    assert returncode == 0, f"{name} exited with {returncode}:\n{stderr[-3000:]}"
    if result_stdout != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), result_stdout.splitlines(True),
                                            "expected", "printed"))
        pytest.fail(f"{name} printed something else:\n{diff}")


def test_every_script_has_a_transcript_and_a_row_only_if_it_exists() -> None:
    assert len(SCRIPTS) >= 14
    for name in SCRIPTS:
        assert expected_output(name).strip(), name
    assert set(NEEDS) <= set(SCRIPTS)


@pytest.mark.parametrize("name", _marked(SCRIPTS))
def test_script_prints_its_transcript(name: str) -> None:
    result = run_script(sys.executable, name)
    _check(result.stdout, result.returncode, result.stderr, expected_output(name), name)


OFFICIAL_PYTHON = os.environ.get("SCIM_OFFICIAL_PYTHON", "")


@pytest.mark.official
@pytest.mark.skipif(not OFFICIAL_PYTHON or not os.path.exists(OFFICIAL_PYTHON),
                    reason="SCIM_OFFICIAL_PYTHON names no interpreter with the official SDK installed")
@pytest.mark.parametrize("name", _marked(SCRIPTS, SANDBOX_PARTS))
def test_official_sdk_prints_the_same(name: str) -> None:
    """The same script on the official SDK (and the same kind of sandbox) prints the same
    transcript: the `.expected` files are what the official SDK prints."""
    result = run_script(OFFICIAL_PYTHON, name, this_package=False)
    _check(result.stdout, result.returncode, result.stderr, expected_output(name), name)
