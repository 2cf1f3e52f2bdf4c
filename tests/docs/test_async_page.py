"""docs/async.md tells the truth: each of its examples runs as written and prints what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("httpx")

PAGE = Path(__file__).resolve().parents[2] / "docs" / "async.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize(("index", "printed"), [(0, "ada@example.com\n"), (1, "23 users; "),
                                                (2, "PATCH supported: True\n")])
def test_each_example_runs(index: int, printed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(blocks()) == 3
    exec(compile(blocks()[index], f"docs/async.md #{index}", "exec"), {"__name__": "docs"})
    assert capsys.readouterr().out.startswith(printed)


def test_the_page_names_every_difference_and_is_linked_from_the_index() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for word in ("callback=", "call_api", "aclose", "Cancellation", "RetryPolicy", "never resent", "trust_env"):
        assert word in text, word
    assert "(async.md)" in (PAGE.parent / "index.md").read_text(encoding="utf-8")
