"""`make demo` keeps working: the quickstart runs against an embedded sandbox in a subprocess."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).parents[2]


def test_demo_runs_every_step_against_the_sandbox() -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in [k for k in environment if k.startswith("GENESYSCLOUD_")]:
        del environment[name]  # the demo must not depend on the caller's credentials
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "run_demo.py")], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for number in range(1, 8):
        assert any(line.startswith(f"{number}. ") for line in lines), result.stdout
    assert "title to 'Team Lead'" in result.stdout
    assert "Added to group 'Sales'" in result.stdout
    assert "found 1 user: [" in result.stdout
    assert "active=False, found among inactive users: True" in result.stdout
