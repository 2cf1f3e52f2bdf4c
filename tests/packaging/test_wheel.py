"""The distribution `purecloud-scim`: `python -m build` makes an sdist and a wheel that pass
`twine check`; the wheel installs into a fresh virtual environment, carries py.typed, the sandbox
and the entry points but no tests, and a first call against the sandbox works from there; the
sdist carries the tests, docs and data, and part of the suite runs from the unpacked sdist.

Building uses pip/build's isolated environments and installing resolves urllib3 and certifi,
so these tests need the package index (CI has it).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import PureCloudPlatformClientV2

ROOT = Path(__file__).resolve().parents[2]
NAME = "PureCloudPlatformClientV2"  # the import name
DISTRIBUTION = "purecloud-scim"  # never the official SDK's distribution name
TIMEOUT_S = 300

FIRST_CALL = """
import importlib.metadata as metadata, json, sys
import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.sandbox import Sandbox

with Sandbox(seed=5) as sandbox:
    page = sandbox.api.get_scim_v2_users(count=2)
dist = metadata.distribution("purecloud-scim")
print(json.dumps({
    "module": PureCloudPlatformClientV2.__file__,
    "prefix": sys.prefix,
    "version": PureCloudPlatformClientV2.__version__,
    "total": page.total_results,
    "returned": [type(u).__name__ for u in page.resources],
    "files": sorted(str(f) for f in dist.files),
    "requires": dist.requires,
    "entry_points": sorted(f"{e.group}:{e.name}={e.value}" for e in dist.entry_points),
}))
"""


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT_S)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build from a copy of the files git tracks (tests included, to prove they stay out of the wheel)."""
    src = copy_of_repository(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("build"):
        run(sys.executable, "-m", "build", "--outdir", out, src, cwd=src)  # sdist, then the wheel from it
    else:
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, src, cwd=src)
    built = {"wheel": next(out.glob("*.whl"))}
    for path in out.glob("*.tar.gz"):  # none without `build`
        built["sdist"] = path
    return built


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if listed.returncode != 0:  # an unpacked sdist is no git checkout: every file but caches
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and not p.relative_to(ROOT).parts[0].startswith(".")]
    return [name for name in listed.stdout.split("\0") if name and (ROOT / name).is_file()]


def copy_of_repository(destination: Path) -> Path:
    for name in tracked_files():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    return destination


def test_wheel_holds_the_package_py_typed_and_sandbox_but_no_tests(dist: dict[str, Path]) -> None:
    names = zipfile.ZipFile(dist["wheel"]).namelist()
    assert f"{NAME}/py.typed" in names
    assert f"{NAME}/sandbox/__init__.py" in names and f"{NAME}/sandbox/server.py" in names
    assert f"{NAME}/_version.py" in names and f"{NAME}/paging.py" in names
    top = {name.split("/")[0] for name in names}
    assert top == {NAME, f"{dist['wheel'].name.split('-')[0]}-{PureCloudPlatformClientV2.__version__}.dist-info"}
    assert not [n for n in names if n.endswith((".pyc", ".md")) or "/tests/" in n]


def test_wheel_installs_into_a_fresh_venv_and_talks_to_the_sandbox(dist: dict[str, Path], tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    run(python, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", dist["wheel"], cwd=tmp_path)
    run(python, "-m", "pip", "check", cwd=tmp_path)
    report = json.loads(run(python, "-c", FIRST_CALL, cwd=tmp_path).stdout)  # no PYTHONPATH: the installed copy

    assert Path(report["module"]).is_relative_to(Path(report["prefix"]))
    assert report["version"] == PureCloudPlatformClientV2.__version__
    assert report["total"] >= 2 and report["returned"] == ["ScimV2User", "ScimV2User"]
    assert f"{NAME}/py.typed" in report["files"]
    assert any(f.startswith(f"{NAME}/sandbox/") for f in report["files"])
    assert not any(f.startswith("tests/") for f in report["files"])
    assert any(r.startswith("urllib3") for r in report["requires"])
    assert any(r.startswith("certifi") for r in report["requires"])
    assert "console_scripts:purecloud-scim=PureCloudPlatformClientV2.cli:main" in report["entry_points"]
    assert "pytest11:purecloud_scim_sandbox=PureCloudPlatformClientV2.sandbox.pytest_plugin" in report["entry_points"]
    assert (venv / ("Scripts/purecloud-scim.exe" if sys.platform == "win32" else "bin/purecloud-scim")).exists()


def test_the_distribution_has_its_own_name_and_version(dist: dict[str, Path]) -> None:
    wheel_name, version = dist["wheel"].name.split("-")[:2]
    assert wheel_name == "purecloud_scim" and version == PureCloudPlatformClientV2.__version__
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        metadata = wheel.read(f"purecloud_scim-{version}.dist-info/METADATA").decode()
    assert f"Name: {DISTRIBUTION}\n" in metadata and "License-Expression: MIT" in metadata
    assert "purecloudplatformclientv2" not in wheel_name.lower()
    assert not version.startswith("269")  # its own scheme: never sorts among the official releases


def unpacked_sdist(dist: dict[str, Path], where: Path) -> Path:
    if "sdist" not in dist:
        pytest.skip("`build` is not installed (requirements-test.txt has it)")
    with tarfile.open(dist["sdist"]) as sdist:
        sdist.extractall(where, filter="data")
    (top,) = where.iterdir()
    return top


def test_sdist_holds_the_package_tests_docs_and_their_data(dist: dict[str, Path], tmp_path: Path) -> None:
    top = unpacked_sdist(dist, tmp_path)
    names = {str(p.relative_to(top)) for p in top.rglob("*") if p.is_file()}
    assert {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "Makefile", f"{NAME}/py.typed",
            f"{NAME}/sandbox/server.py", "tests/data/official_sdk.json", "tests/data/official_docs.json",
            "tests/core/test_compat.py", "docs/SCIMApi.md", "examples/quickstart.py"} <= names
    assert not [n for n in names if n.endswith(".pyc") or "/.venv/" in n]


def test_part_of_the_suite_runs_from_the_unpacked_sdist(dist: dict[str, Path], tmp_path: Path) -> None:
    top = unpacked_sdist(dist, tmp_path)
    # cwd first on sys.path: the sdist's own package is imported, not this checkout's
    where = run(sys.executable, "-c", "import PureCloudPlatformClientV2 as p; print(p.__file__)", cwd=top)
    assert Path(where.stdout.strip()).is_relative_to(top)
    result = run(sys.executable, "-m", "pytest", "-q", "tests/core/test_compat.py",
                 "tests/docs/test_docs_fresh.py", "-k", "not hash_seed", cwd=top)
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_collection_needs_nothing_outside_the_repository(tmp_path: Path) -> None:
    """A copy of the repository alone in a folder (no sibling folders at all) collects every test."""
    copy = copy_of_repository(tmp_path / "lonely" / "repo")
    assert [p.name for p in copy.parent.iterdir()] == ["repo"]
    here = run(sys.executable, "-m", "pytest", "--collect-only", "-q", cwd=ROOT)
    there = run(sys.executable, "-m", "pytest", "--collect-only", "-q", cwd=copy)
    counted = [re.findall(r"^(\d+) tests? collected", r.stdout, re.M) for r in (here, there)]
    assert counted[0] and counted[0] == counted[1]
    assert there.returncode == 0 and "error" not in there.stdout.splitlines()[-1]


def test_twine_check_passes(dist: dict[str, Path]) -> None:
    if importlib.util.find_spec("twine") is None:
        pytest.skip("`twine` is not installed (requirements-test.txt has it)")
    result = run(sys.executable, "-m", "twine", "check", "--strict", *dist.values(), cwd=ROOT)
    assert result.stdout.count("PASSED") == len(dist)
