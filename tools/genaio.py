"""Write PureCloudPlatformClientV2/aio/scim_api.pyi, the typed signatures of AsyncSCIMApi, from
SCIMApi's declarations: each method as `async def`, with SCIMApi's parameters and result.

    python tools/genaio.py           # write the stub
    python tools/genaio.py --check   # exit 1 if the committed stub is stale

tests/aio/test_stub.py checks the committed stub is what this writes.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = ROOT / "PureCloudPlatformClientV2" / "aio" / "scim_api.pyi"
HEADER = '''\
# Written by tools/genaio.py from SCIMApi's declarations; do not edit (run `python tools/genaio.py`).
from __future__ import annotations

from ..models import (
{imports}
)
from .api_client import AsyncApiClient

__all__ = ["AsyncSCIMApi"]

class AsyncSCIMApi:
    """The Genesys Cloud SCIM API for asyncio (see PureCloudPlatformClientV2/aio/scim_api.py)."""

    api_client: AsyncApiClient
    def __init__(self, api_client: AsyncApiClient | None = None) -> None: ...
'''


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

    methods, names = [], set()
    for name, member in vars(SCIMApi).items():
        if not hasattr(member, "endpoint"):
            continue
        signature = inspect.signature(member)  # the declared one (through __wrapped__)
        arguments = ", ".join(parameters(signature))
        methods.append(f"    async def {name}({arguments}) -> {signature.return_annotation}: ...")
        for annotation in [p.annotation for p in signature.parameters.values()] + [signature.return_annotation]:
            names.update(n for n in re.findall(r"\b[A-Z]\w*", str(annotation)) if n != "None")
    imports = "\n".join(f"    {n}," for n in sorted(names))
    return HEADER.format(imports=imports) + "\n".join(methods) + "\n"


def parameters(signature: inspect.Signature) -> list[str]:
    """Each parameter as source text (annotations are the declared text), `*` before the keyword-only."""
    out: list[str] = []
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and "*" not in out:
            out.append("*")
        text = parameter.name if parameter.annotation is inspect.Parameter.empty else \
            f"{parameter.name}: {parameter.annotation}"
        out.append(text if parameter.default is inspect.Parameter.empty else f"{text} = {parameter.default!r}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report a stale stub instead of writing it")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not STUB.is_file() or STUB.read_text(encoding="utf-8") != text:
            print(f"{STUB.relative_to(ROOT)} is stale: run `python tools/genaio.py` and commit the result")
            return 1
        return 0
    STUB.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
