"""Every `python` block of docs/cookbook.md and docs/extras.md runs against a fresh sandbox, as
the cookbook's introduction says: `api` and `sandbox` are bound, the configuration points at the
sandbox, retry waits are recorded instead of slept, the blocks of one `##` section share a
namespace, and the blocks before the first section (the imports) start every section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.configuration import Configuration
from PureCloudPlatformClientV2.sandbox import Sandbox

pytestmark = pytest.mark.usefixtures("fresh_configuration")  # these tests set the configuration on purpose

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ("cookbook.md", "extras.md")
FENCE = re.compile(r"^```(\S*)\s*$")


class Block:
    def __init__(self, page: Path, code: str, line: int) -> None:
        self.page, self.code, self.line = page, code, line  # line: where the code starts (1-based)

    def run(self, namespace: dict[str, object]) -> None:
        padded = "\n" * (self.line - 1) + self.code  # tracebacks point at the page's own lines
        exec(compile(padded, str(self.page), "exec"), namespace)


def parse(page: Path) -> tuple[list[Block], dict[str, list[Block]]]:
    """The blocks before the first `##` heading, and each section's python blocks in order."""
    prelude: list[Block] = []
    sections: dict[str, list[Block]] = {}
    current: list[Block] = prelude
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            title = line[3:].strip()
            assert title not in sections, f"two sections called {title!r}"
            current = sections[title] = []
        fence = FENCE.match(line)
        if fence:
            end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), None)
            assert end is not None, f"unclosed code block at line {index + 1}"
            if fence.group(1) in ("python", "py"):
                current.append(Block(page, "\n".join(lines[index + 1 : end]) + "\n", index + 2))
            index = end
        index += 1
    return prelude, sections


PARSED = {name: parse(DOCS / name) for name in PAGES}
RECIPES = [(name, title) for name, (_, sections) in PARSED.items() for title in sections]


@pytest.mark.parametrize("name", PAGES)
def test_every_section_has_code(name: str) -> None:
    prelude, sections = PARSED[name]
    assert prelude and len(sections) >= 5
    assert [title for title, blocks in sections.items() if not blocks] == []


@pytest.mark.parametrize(("name", "title"), RECIPES)
def test_recipe_runs_against_the_sandbox(name: str, title: str) -> None:
    prelude, sections = PARSED[name]
    with Sandbox(seed=30) as sandbox:
        config = Configuration()
        config.host, config.access_token = sandbox.url, sandbox.token
        waits: list[float] = []
        api = sandbox.api
        api.api_client.sleep = waits.append
        config.api_client.sleep = waits.append
        namespace: dict[str, object] = {"__name__": "cookbook", "api": api, "sandbox": sandbox}
        for block in prelude + sections[title]:
            block.run(namespace)
