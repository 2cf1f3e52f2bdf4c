"""AsyncSCIMApi is SCIMApi's declarations as coroutines: the same 30 methods, signatures,
docs and endpoints; its typed stub is what tools/genaio.py writes from them, and mypy --strict
types `await api.get_scim_v2_user(id)` as ScimV2User."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

pytest.importorskip("httpx")

from PureCloudPlatformClientV2.aio import AsyncApiClient, AsyncSCIMApi  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
METHODS = sorted(name for name, member in vars(SCIMApi).items() if hasattr(member, "endpoint"))


def load_genaio():
    spec = importlib.util.spec_from_file_location("genaio", ROOT / "tools" / "genaio.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_stub_is_what_the_generator_writes() -> None:
    genaio = load_genaio()
    assert genaio.STUB.read_text(encoding="utf-8") == genaio.render(), \
        "PureCloudPlatformClientV2/aio/scim_api.pyi is stale: run `python tools/genaio.py` and commit it"


def test_check_mode_passes_on_the_committed_stub() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "genaio.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def test_the_same_methods_with_the_same_signatures_and_endpoints() -> None:
    public = sorted(name for name in vars(AsyncSCIMApi) if not name.startswith("_"))
    assert public == METHODS and len(METHODS) == 30
    for name in METHODS:
        sync, coroutine = getattr(SCIMApi, name), getattr(AsyncSCIMApi, name)
        assert inspect.iscoroutinefunction(coroutine), name
        assert inspect.signature(coroutine) == inspect.signature(sync), name
        assert coroutine.endpoint is sync.endpoint  # the declaration itself, not a copy
        assert coroutine.__doc__ == sync.__doc__ and coroutine.__name__ == name


def test_arguments_are_bound_as_the_sync_methods_bind_them() -> None:
    api = AsyncSCIMApi(AsyncApiClient(host="http://127.0.0.1:9"))
    with pytest.raises(ValueError, match="Missing the required parameter `user_id`"):
        asyncio.run(api.get_scim_v2_user(None))
    with pytest.raises(TypeError, match="unexpected keyword argument 'callback'"):  # no threads here: await
        asyncio.run(api.get_scim_v2_user("u1", callback=print))
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        asyncio.run(api.get_scim_v2_users(nope=1))


def test_the_stub_declares_every_method_as_async() -> None:
    text = (ROOT / "PureCloudPlatformClientV2" / "aio" / "scim_api.pyi").read_text(encoding="utf-8")
    assert all(f"    async def {name}(self" in text for name in METHODS)


USAGE = '''
from typing import AsyncIterator, assert_type

from PureCloudPlatformClientV2.aio import AsyncApiClient, AsyncSCIMApi, aiterate, apages
from PureCloudPlatformClientV2.models import Empty, ScimGroupListResponse, ScimV2Group, ScimV2User


async def main() -> None:
    async with AsyncApiClient("http://localhost") as client:
        api = AsyncSCIMApi(client)
        assert_type(await api.get_scim_v2_user("id"), ScimV2User)
        assert_type(await api.get_scim_user("id", attributes=["userName"]), ScimV2User)
        assert_type(await api.delete_scim_v2_user("id", if_match='"1"'), Empty)
        assert_type(await api.patch_scim_v2_group("g", {"Operations": []}), ScimV2Group)  # type: ignore[arg-type]
        assert_type(aiterate(api.get_scim_v2_users, limit=3), AsyncIterator[ScimV2User])
        assert_type(apages(api.get_scim_v2_groups), AsyncIterator[ScimGroupListResponse])
        assert_type(await client.get_client_credentials_token("id", "secret"), AsyncApiClient)
        assert_type(client.with_options(timeout=5), AsyncApiClient)
        await api.get_scim_v2_user(7)  # type: ignore[arg-type]
        await api.get_scim_v2_users(count="10")  # type: ignore[arg-type]
'''


def test_mypy_strict_types_the_awaited_results(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / "cache"), str(usage)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
