"""Loads the machine-readable facts of the official SDK (shared/spec/scim-official-269.json)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

# The repository's sibling `shared/` folder, here and in CI; SCIM_SPEC_PATH overrides it.
DEFAULT_SPEC = Path(__file__).parents[3] / "shared/spec/scim-official-269.json"


@lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    path = Path(os.environ.get("SCIM_SPEC_PATH") or DEFAULT_SPEC)
    if not path.is_file():
        raise FileNotFoundError(f"official SDK spec not found at {path}; set SCIM_SPEC_PATH")
    return json.loads(path.read_text(encoding="utf-8"))


def spec_methods() -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in load_spec()["methods"]}


def spec_models() -> dict[str, dict[str, Any]]:
    return load_spec()["models"]
