"""Loads the facts of the official SDK kept in tests/data/ (regenerate them with
`python tools/official_facts.py --python /path/to/official/venv/bin/python`)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=None)
def load_facts(name: str = "official_sdk.json") -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_spec() -> dict[str, Any]:
    return load_facts("official_sdk.json")


def spec_methods() -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in load_spec()["methods"]}


def spec_models() -> dict[str, dict[str, Any]]:
    return load_spec()["models"]


def documented_methods() -> dict[str, dict[str, Any]]:
    """Per method of the official SCIMApi.md reference: verb, path, permissions."""
    return load_facts("official_docs.json")["methods"]
