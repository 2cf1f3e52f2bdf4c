"""Regenerate the facts about the official SDK that the compatibility tests compare against.

    python tools/official_facts.py --python /path/to/venv/bin/python   # -> tests/data/official_sdk.json
    python tools/official_facts.py --doc /path/to/official/SCIMApi.md   # -> tests/data/official_docs.json

`--python` names an interpreter that has the official `PureCloudPlatformClientV2` installed (e.g.
`python -m venv /tmp/official && /tmp/official/bin/pip install purecloudplatformclientv2==269.0.0`).
This script runs itself under that interpreter and reads, without calling the API:
- `apis/scim_api.py` by its syntax tree: each method's verb, path, parameters with their wire
  names, roles and types, body and return types, required parameters, accept/content types;
- the models SCIMApi reaches: each field's attribute, JSON name, type and allowed values;
- runtime facts: region hosts, default host, default headers, log levels and formats, and the
  public surface (names and parameter names) of ApiClient, Configuration and the package modules.

`--doc` reads the official SCIMApi.md reference and keeps, per method, its HTTP verb, path and
permissions.

Only facts are written (names, paths, types, enum values): no code and no prose. Run it when the
project moves to a new official SDK release, then review the diff of tests/data/ and commit it.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SDK_FACTS = DATA / "official_sdk.json"
DOC_FACTS = DATA / "official_docs.json"
PACKAGE = "PureCloudPlatformClientV2"


# -- run under the official SDK's interpreter -----------------------------------------------
def introspect() -> dict[str, Any]:
    import importlib
    import importlib.metadata
    import inspect

    package = importlib.import_module(PACKAGE)
    root = Path(package.__file__).parent
    methods = [method_facts(node) for node in scim_api_methods(root / "apis" / "scim_api.py")]
    wanted = {m["return_type"] for m in methods} | {m["body"]["type"] for m in methods if m["body"]}
    wanted |= imported_models(root / "apis" / "scim_api.py")
    models = model_facts(root, wanted)

    # modules by their own names: the package's `configuration` attribute is the instance, not the module
    api_client, configuration, logger, region_hosts = (
        importlib.import_module(f"{PACKAGE}.{name}")
        for name in ("api_client", "configuration", "logger", "purecloud_region_hosts"))
    client = api_client.ApiClient()
    config = configuration.Configuration()
    return {
        "sdk_version": importlib.metadata.version(PACKAGE),
        "method_count": len(methods),
        "methods": sorted(methods, key=lambda m: m["name"]),
        "models": models,
        "runtime": {
            "region_hosts": {r.name: r.get_api_host() for r in region_hosts.PureCloudRegionHosts},
            "default_host": config.host,
            "client_default_headers": dict(client.default_headers),
            "log_levels": class_constants(logger.LogLevel),
            "log_formats": class_constants(logger.LogFormat),
        },
        "surface": {
            "modules": sorted(p.stem for p in root.glob("*.py") if not p.stem.startswith("_")),
            "ApiClient": public_callables(api_client.ApiClient, inspect),
            "Configuration": public_callables(type(config), inspect),
            "configuration_attributes": sorted(k for k in vars(config) if not k.startswith("_")),
        },
    }


def scim_api_methods(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SCIMApi")
    return [n for n in cls.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


def imported_models(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and "models" in (node.module or "").split(".")
            for alias in node.names}


def method_facts(node: ast.FunctionDef) -> dict[str, Any]:
    doc = ast.get_docstring(node) or ""
    types = {name: kind for kind, name in re.findall(r"^:param (\S+) (\w+):", doc, re.M)}
    required_doc = set(re.findall(r"^:param \S+ (\w+):.*\(required\)\s*$", doc, re.M))
    facts: dict[str, Any] = {"name": node.name, "positional_args": [a.arg for a in node.args.args[1:]],
                             "path_params": [], "query_params": [], "header_params": [], "body": None,
                             "required_checks": []}
    for stmt in ast.walk(node):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            target, value = stmt.targets[0].id, stmt.value
            if target == "all_params" and isinstance(value, ast.List):
                facts["accepted_kwargs"] = [ast.literal_eval(e) for e in value.elts] + ["callback"]
            elif target == "resource_path":
                facts["path"] = ast.literal_eval(value.func.value)  # '...'.replace('{format}', 'json')
            elif target == "auth_settings":
                facts["auth"] = ast.literal_eval(value)
            elif target == "body_params" and isinstance(value, ast.Subscript):
                name = ast.literal_eval(value.slice)
                facts["body"] = {"name": name, "type": types.get(name), "required": name in required_doc}
        elif (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Subscript)
              and isinstance(stmt.targets[0].slice, ast.Constant)):
            table, wire = stmt.targets[0].value, ast.literal_eval(stmt.targets[0].slice)
            role = {"path_params": "path_params", "query_params": "query_params",
                    "header_params": "header_params"}.get(getattr(table, "id", ""))
            if role and isinstance(stmt.value, ast.Subscript):  # params['user_id']
                name = ast.literal_eval(stmt.value.slice)
                facts[role].append({"name": name, "wire": wire, "type": types.get(name),
                                    "required": name in required_doc})
            elif role == "header_params" and isinstance(stmt.value, ast.Call):  # Accept / Content-Type
                key = "accept" if wire == "Accept" else "content_type"
                facts[key] = ast.literal_eval(stmt.value.args[0])
        elif isinstance(stmt, ast.If) and isinstance(stmt.body[0], ast.Raise):
            text = ast.unparse(stmt.test)
            found = re.match(r"'(\w+)' not in params or params\['\1'\] is None", text)
            if found:
                facts["required_checks"].append(found.group(1))
        elif isinstance(stmt, ast.Call) and getattr(stmt.func, "attr", "") == "call_api":
            facts["http_method"] = ast.literal_eval(stmt.args[1])
            keywords = {k.arg: k.value for k in stmt.keywords}
            facts["return_type"] = ast.literal_eval(keywords["response_type"])
    return facts


def model_facts(root: Path, wanted: set[str]) -> dict[str, Any]:
    import importlib

    found: dict[str, Any] = {}
    queue = sorted(wanted)
    while queue:
        name = queue.pop()
        if name in found or not name or not name[0].isupper():
            continue
        module = snake_case(name)
        cls = getattr(importlib.import_module(f"{PACKAGE}.models.{module}"), name)
        instance = cls()
        allowed = allowed_values(root / "models" / f"{module}.py")
        fields = []
        for attr, kind in instance.swagger_types.items():
            fields.append({"attr": attr, "json": instance.attribute_map[attr], "type": kind,
                           "enum": allowed.get(attr)})
            queue += re.findall(r"[A-Z]\w+", kind)
        found[name] = {"module": module, "fields": fields}
    return dict(sorted(found.items()))


def allowed_values(path: Path) -> dict[str, list[str]]:
    """attr -> allowed values, from `allowed_values = [...]` inside each property setter."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(getattr(d, "attr", "") == "setter" for d in node.decorator_list):
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", "") == "allowed_values":
                    values[node.name] = ast.literal_eval(stmt.value)
    return values


def public_callables(cls: type, inspect: Any) -> dict[str, list[str]]:
    found = {}
    for name, value in sorted(vars(cls).items()):
        if name.startswith("_") and name != "__init__" or not callable(value):
            continue
        try:
            found[name] = [p for p in inspect.signature(value).parameters if p != "self"]
        except (TypeError, ValueError):
            found[name] = []
    return found


def class_constants(cls: type) -> dict[str, int]:
    return {k: v for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, int)}


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


# -- the documented reference ---------------------------------------------------------------
def doc_facts(markdown: str) -> dict[str, Any]:
    """Per `<a name=...>` section of SCIMApi.md: HTTP verb, path and permissions."""
    methods = {}
    for chunk in markdown.split('<a name="')[1:]:
        name = chunk.split('"', 1)[0]
        verb, path = re.search(r"^Wraps (\w+) (\S+)", chunk, re.M).groups()
        lines = chunk.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Requires "))
        permissions = []
        for line in lines[start + 1:]:
            if line.startswith("* "):
                permissions.append(line[2:].strip())
            elif line.strip():
                break
        methods[name] = {"verb": verb, "path": path, "permissions": sorted(permissions)}
    return {"methods": dict(sorted(methods.items()))}


def write(path: Path, facts: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(facts, indent=1, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", help="an interpreter with the official SDK installed")
    parser.add_argument("--doc", type=Path, help="the official SCIMApi.md reference")
    parser.add_argument("--introspect", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.introspect:  # running under the official SDK's interpreter
        json.dump(introspect(), sys.stdout)
        return 0
    if not (args.python or args.doc):
        parser.error("give --python, --doc or both")
    if args.python:
        result = subprocess.run([args.python, __file__, "--introspect"], capture_output=True, text=True,
                                cwd="/", check=False)  # cwd: never import this repository's package
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            print(f"error: could not read the official SDK with {args.python}", file=sys.stderr)
            return 1
        write(SDK_FACTS, json.loads(result.stdout))
    if args.doc:
        write(DOC_FACTS, doc_facts(args.doc.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
