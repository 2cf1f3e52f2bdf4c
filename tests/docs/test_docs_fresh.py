"""The generated reference (docs/SCIMApi.md, docs/models/) matches the code, agrees with the
official documentation seed, and its examples and links work."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import models
from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

from ..core.spec import documented_methods

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GENDOCS = ROOT / "tools" / "gendocs.py"
HINT = "run `make docs` (or `python tools/gendocs.py`) and commit the result"
METHODS = sorted(name for name, m in vars(SCIMApi).items() if hasattr(m, "endpoint"))


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gendocs():
    return load_tool("gendocs")


@pytest.fixture(scope="module")
def generated(gendocs) -> dict[str, str]:
    return gendocs.render()


def run_gendocs(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=hash_seed)
    return subprocess.run([sys.executable, str(GENDOCS), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def tree(directory: Path) -> dict[str, str]:
    """SCIMApi.md and every file in models/, as generated-file keys -> text."""
    files = [directory / "SCIMApi.md", *sorted((directory / "models").glob("*"))]
    return {p.relative_to(directory).as_posix(): p.read_text(encoding="utf-8") for p in files if p.is_file()}


# -- freshness ---------------------------------------------------------------------------
def test_committed_docs_match_the_generator(tmp_path: Path) -> None:
    result = run_gendocs("--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fresh, committed = tree(tmp_path), tree(DOCS)
    stale = sorted(rel for rel in fresh.keys() | committed.keys() if fresh.get(rel) != committed.get(rel))
    assert not stale, "stale generated docs in docs/: " + ", ".join(stale) + f"; {HINT}"


def test_check_mode_reports_changed_missing_and_extra_files(tmp_path: Path) -> None:
    assert run_gendocs("--out", str(tmp_path)).returncode == 0
    assert run_gendocs("--check", "--out", str(tmp_path)).returncode == 0
    (tmp_path / "models" / "Empty.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "models" / "Removed.md").write_text("a model that no longer exists\n", encoding="utf-8")
    (tmp_path / "SCIMApi.md").unlink()
    result = run_gendocs("--check", "--out", str(tmp_path))
    assert result.returncode == 1
    for name in ("Empty.md", "Removed.md", "SCIMApi.md"):
        assert name in result.stdout
    assert "make docs" in result.stdout
    assert run_gendocs("--out", str(tmp_path)).returncode == 0  # writing repairs all three
    assert not (tmp_path / "models" / "Removed.md").exists()
    assert run_gendocs("--check", "--out", str(tmp_path)).returncode == 0


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    for seed in ("1", "2"):
        assert run_gendocs("--out", str(tmp_path / seed), hash_seed=seed).returncode == 0
    assert tree(tmp_path / "1") == tree(tmp_path / "2")


# -- SCIMApi.md --------------------------------------------------------------------------
def sections(markdown: str) -> dict[str, dict]:
    """Per `<a name=...>` section: HTTP verb, path and permission set, read as the official
    reference is read by tools/official_facts.py."""
    return {name: {**facts, "permissions": set(facts["permissions"])}
            for name, facts in load_tool("official_facts").doc_facts(markdown)["methods"].items()}


def test_every_documented_official_method_has_the_same_path_and_permissions(generated) -> None:
    seed = {name: {**facts, "permissions": set(facts["permissions"])} for name, facts in documented_methods().items()}
    ours = sections(generated["SCIMApi.md"])
    assert len(seed) >= 20
    problems = [f"{name}: missing" for name in sorted(seed) if name not in ours]
    problems += [f"{name}: {key} {ours[name][key]!r} != seed {seed[name][key]!r}"
                 for name in sorted(seed) if name in ours
                 for key in ("verb", "path", "permissions") if ours[name][key] != seed[name][key]]
    assert not problems, problems


def test_every_method_is_in_the_table_and_has_a_section(generated) -> None:
    text = generated["SCIMApi.md"]
    assert len(METHODS) == 30
    assert sorted(sections(text)) == METHODS
    table = re.findall(r"^\| \[\*\*(\w+)\*\*\]\(#(\w+)\) \|", text, re.M)
    assert [name for name, _ in table] == METHODS
    assert all(name == anchor for name, anchor in table)
    for name in METHODS:
        endpoint = getattr(SCIMApi, name).endpoint
        assert f"Wraps {endpoint.method} {endpoint.path}\n" in text
        assert f"{name}(" in text and endpoint.summary in text


def example_blocks(text: str) -> list[str]:
    return re.findall(r"^### Example\n\n```python\n(.*?)^```", text, re.M | re.S)


def test_every_example_compiles(generated) -> None:
    blocks = example_blocks(generated["SCIMApi.md"])
    assert len(blocks) == len(METHODS)
    for index, source in enumerate(blocks):
        compile(source, f"<docs/SCIMApi.md example {index + 1}>", "exec")


class Recorder:
    """Stands in for ApiClient: checks each call binds and builds a request, sends nothing."""

    def __init__(self) -> None:
        self.requests: list = []

    def execute(self, endpoint, bound):
        self.requests.append((endpoint.name, endpoint.build(bound)))


def test_every_example_runs_and_builds_a_valid_request(generated, monkeypatch, capsys) -> None:
    recorder = Recorder()
    monkeypatch.setattr(PureCloudPlatformClientV2, "SCIMApi", lambda: SCIMApi(recorder))
    for source in example_blocks(generated["SCIMApi.md"]):
        exec(compile(source, "<example>", "exec"), {})
    assert "Exception when calling" not in capsys.readouterr().out
    assert sorted(name for name, _ in recorder.requests) == METHODS


# -- models/ and links ---------------------------------------------------------------------
def test_every_model_has_a_page_listing_its_fields_and_allowed_values(generated) -> None:
    index = generated["models/index.md"]
    for name in models.__all__:
        page = generated[f"models/{name}.md"]
        assert f"[{name}]({name}.md)" in index
        for f in getattr(models, name).fields:
            assert f"| **{f.attr}** | `{f.wire}` |" in page
            for value in f.allowed_values:
                assert f"`{value}`" in page, (name, f.attr, value)
    assert "write-only" in generated["models/ScimV2User.md"]
    assert "Extends [ScimListResponse](ScimListResponse.md)" in generated["models/ScimUserListResponse.md"]


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes for a file's headings (outside code blocks) and `<a name>`s."""
    anchors, in_code = set(re.findall(r'<a name="([^"]+)"', markdown)), False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def broken_links(text: str, where: Path, read) -> list[str]:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        path = (where.parent / file_part).resolve() if file_part else where
        content = read(path)
        if content is None or (anchor and anchor not in github_anchors(content)):
            broken.append(target)
    return broken


def test_generated_links_resolve(generated) -> None:
    pages = {(DOCS / rel).resolve(): text for rel, text in generated.items()}
    problems = {rel: broken_links(text, DOCS / rel, pages.get) for rel, text in generated.items()}
    assert not {rel: links for rel, links in problems.items() if links}


def test_docs_index_links_resolve() -> None:
    index = DOCS / "index.md"

    def read(path: Path):
        return path.read_text(encoding="utf-8") if path.is_file() else None

    broken = broken_links(read(index), index, read)
    assert not broken, f"docs/index.md links to missing pages or README sections: {broken}"
