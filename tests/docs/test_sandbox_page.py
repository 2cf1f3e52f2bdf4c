"""docs/sandbox.md tells the truth about the in-process sandbox: its examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
SECTION = "In-process: no socket"


def section_blocks(title: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert match, f"docs/sandbox.md has no section {title!r}"
    return re.findall(r"```python\n(.*?)```", match.group(1), re.S)


@pytest.mark.parametrize("index", range(len(section_blocks(SECTION))))
def test_in_process_examples_run(index: int) -> None:
    code = section_blocks(SECTION)[index]
    exec(compile(code, f"docs/sandbox.md: {SECTION} #{index}", "exec"), {"__name__": "docs"})


def test_the_section_has_the_examples_and_says_what_it_leaves_out() -> None:
    blocks = section_blocks(SECTION)
    assert len(blocks) == 2 and "serve=False" in blocks[0] and "transport()" in blocks[1]
    text = PAGE.read_text(encoding="utf-8")
    assert all(word in text for word in ("sockets", "TLS", "timeouts", "scim_sandbox_in_process"))
