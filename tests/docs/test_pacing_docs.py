"""The pacing examples of docs/reliability.md run as written, and say what they show."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

DOCS = pathlib.Path(__file__).parents[2] / "docs"


def section(page: str, heading: str) -> str:
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def test_the_pacing_example_runs_paced_without_a_429() -> None:
    blocks = re.findall(r"```python\n(.*?)```", section("reliability.md", "## Pacing"), re.S)
    assert len(blocks) == 1
    printed = io.StringIO()
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(blocks[0], "docs/reliability.md#pacing", "exec"), namespace)  # max_retries=0: a 429 raises
    assert re.fullmatch(r"Pacer\(\d+ requests/min\)\n", printed.getvalue()), printed.getvalue()
    from PureCloudPlatformClientV2 import Configuration

    assert Configuration().snapshot().pace_requests is True  # the last line (the fixture resets it)
