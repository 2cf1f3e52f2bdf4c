"""Who owns what inside the package: _model.py declares models, _plans.py/_decode.py/_encode.py
compile and run the codecs, and no module reaches into another's private names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2._decode import decoder_for
from PureCloudPlatformClientV2._encode import encoder_for
from PureCloudPlatformClientV2._model import REGISTRY, Model

PACKAGE = Path(PureCloudPlatformClientV2.__file__).parent


def private_imports(path: Path) -> list[str]:
    """`from x import _name` in a file, where `_name` is not a module of the package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = path.parent if node.level else PACKAGE.parent
            for _ in range(max(node.level - 1, 0)):
                base = base.parent
            folder = base.joinpath(*(node.module or "").split("."))
            for alias in node.names:
                name = alias.name
                is_module = (folder / f"{name}.py").is_file() or (folder / name).is_dir()
                if name.startswith("_") and not name.startswith("__") and not is_module:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.module} import {name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    problems = [problem for path in sorted(PACKAGE.rglob("*.py")) for problem in private_imports(path)]
    assert problems == [], "give names used across modules a plain name: " + "; ".join(problems)


def test_the_model_declarations_load_no_codec() -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import PureCloudPlatformClientV2.models as m; "
            "m.ScimV2User(user_name='a'); "
            "print(sorted(n for n in sys.modules if n.split('.')[-1] in ('_decode', '_encode', '_plans', 'json')))")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(PACKAGE.parent)], capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_defining_a_model_again_starts_the_type_plans_afresh() -> None:
    """The codecs' plans name classes; a class defined again under the same official name
    (as tests and reloads do) is the one later plans use."""
    original = REGISTRY.get("LayoutProbe")
    try:
        class LayoutProbe(Model):
            name: str | None = None

        assert type(decoder_for("list[LayoutProbe]")([{"name": "a"}])[0]) is LayoutProbe
        assert encoder_for("LayoutProbe")(LayoutProbe(name="a")) == {"name": "a"}

        class LayoutProbe(Model):  # type: ignore[no-redef]
            count: int | None = None

        (decoded,) = decoder_for("list[LayoutProbe]")([{"count": 2}])
        assert type(decoded) is LayoutProbe and decoded.count == 2
        assert encoder_for("LayoutProbe")(LayoutProbe(count=2)) == {"count": 2}
    finally:
        REGISTRY.pop("LayoutProbe", None)
        if original is not None:
            REGISTRY["LayoutProbe"] = original
