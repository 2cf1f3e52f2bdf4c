"""Starting and stopping: the CLI, the pytest fixtures, persistence across restarts, concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import urllib3

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.sandbox import Sandbox

from .conftest import Http, user_body

ROOT = str(Path(PureCloudPlatformClientV2.__file__).resolve().parent.parent)


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONWARNINGS", None)
    return env


def test_cli_serves_until_sigint_and_exits_cleanly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "PureCloudPlatformClientV2.sandbox", "--port", "0", "--token", "cli-token",
         "--seed", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    watchdog = threading.Timer(60, process.kill)  # never hang the suite if the CLI never prints
    watchdog.start()
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # waits for the server, no sleeping
        assert first.startswith("SCIM sandbox listening on http://127.0.0.1:"), first
        url = first.split()[-1]
        response = urllib3.request("GET", url + "/api/v2/scim/v2/users",
                                   headers={"Authorization": "Bearer cli-token"})
        assert response.status == 200 and response.json()["totalResults"] >= 2
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and out.strip().endswith("stopped")


def test_cli_reports_a_port_in_use(sandbox: Sandbox) -> None:
    done = subprocess.run([sys.executable, "-m", "PureCloudPlatformClientV2.sandbox", "--port", str(sandbox.port)],
                          capture_output=True, text=True, env=_env(), timeout=30)
    assert done.returncode == 2 and "error:" in done.stderr and "Traceback" not in done.stderr


def test_pytest_plugin_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_uses_plugin.py").write_text(textwrap.dedent("""
        def test_function_fixture(scim_sandbox):
            assert scim_sandbox.running and scim_sandbox.url.startswith("http://127.0.0.1:")

        def test_session_fixture(scim_sandbox_session):
            assert scim_sandbox_session.store.count("groups") == 4

        def test_in_process_fixture(scim_sandbox_in_process):
            assert not scim_sandbox_in_process.serve
            assert scim_sandbox_in_process.api.get_scim_v2_groups().total_results == 4
    """))
    env = dict(_env(), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")  # load it once, whether installed or not
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "PureCloudPlatformClientV2.sandbox.pytest_plugin", str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_importing_the_package_and_plugin_starts_nothing() -> None:
    code = ("import threading, PureCloudPlatformClientV2.sandbox, PureCloudPlatformClientV2.sandbox.pytest_plugin, sys;"
            "assert threading.active_count() == 1;"
            "assert 'PureCloudPlatformClientV2.sandbox.server' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(), timeout=30)


def test_data_persists_across_restarts_with_db(tmp_path: Path) -> None:
    path = str(tmp_path / "scim.db")
    with Sandbox(db=path, token="t", serve=False) as first:
        user = Http(first).create_user(title="Kept")
    with Sandbox(db=path, token="t", serve=False) as second:
        http = Http(second)
        assert http.get(f"/users/{user['id']}").json()["title"] == "Kept"
        assert http.get("/groups").json()["totalResults"] == 4  # seeded groups not duplicated


def test_stop_joins_and_frees_the_port() -> None:
    sandbox = Sandbox().start()
    http = Http(sandbox)
    assert http.get("/users").status == 200  # leaves a keep-alive connection open
    port = sandbox.port
    sandbox.stop()
    assert not sandbox.running and not any(t.name == f"scim-sandbox-{port}" for t in threading.enumerate())
    with Sandbox(port=port) as again:  # the port can be bound again
        assert again.port == port
    sandbox.stop()  # stopping twice is harmless


def test_concurrent_writers_over_http(sandbox: Sandbox) -> None:
    errors: list[str] = []
    ids: list[str] = []
    lock = threading.Lock()

    def writer(worker: int) -> None:
        http = Http(sandbox)
        for i in range(25):
            response = http.post("/users", user_body(userName=f"w{worker}-{i}@example.com"))
            with lock:
                (ids.append(response.json()["id"]) if response.status == 201 else errors.append(str(response.data)))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(ids) == len(set(ids)) == 200
    assert Http(sandbox).get("/users", params={"count": 0}).json()["totalResults"] == 200


def test_reset_returns_to_a_fresh_sandbox() -> None:
    with Sandbox(seed=5, serve=False) as sandbox:
        http = Http(sandbox)
        http.create_user()
        sandbox.reset()
        assert sandbox.store.count("users") == 5 and sandbox.store.count("groups") == 4
