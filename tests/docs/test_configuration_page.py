"""docs/configuration.md tells the truth: its Python examples run as written (the TLS ones
against a mutual-TLS server, with the certificate files they name), and its INI and JSON file
samples are files the package reads."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.config_file import KEYS, read_config_file

from ..reliability.conftest import Pki, recording_client, serving
from ..servers import Reply

PAGE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def section(title: str) -> str:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/configuration.md has no section {title!r}"
    return match.group(1)


def blocks(title: str, language: str = "python") -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(title), re.S)


def run(code: str, name: str) -> None:
    exec(compile(code, f"docs/configuration.md: {name}", "exec"), {"__name__": "docs"})


@pytest.mark.parametrize(("title", "index"), [(t, i) for t in ("Configuration file", "Gateway", "Logging")
                                              for i in range(len(blocks(t)))])
def test_examples_run(title: str, index: int) -> None:
    run(blocks(title)[index], f"{title} #{index}")


@pytest.mark.parametrize("index", range(len(blocks("TLS"))))
def test_tls_examples_set_up_mutual_tls(index: int, tmp_path: Path, monkeypatch, fresh_configuration) -> None:
    (tmp_path / "pki").mkdir()
    pki = Pki(tmp_path / "pki")
    shutil.copy(pki.ca_file, tmp_path / "ca.pem")
    shutil.copy(pki.client_cert, tmp_path / "client.pem")
    shutil.copy(pki.client_key, tmp_path / "client.key")
    monkeypatch.chdir(tmp_path)  # the examples name client.pem, client.key and ca.pem
    run(blocks("TLS")[index], f"TLS #{index}")
    assert fresh_configuration.ssl_context is not None
    with serving(tls=pki.server_context(require_client_cert=True), default=Reply.json({"id": "u1"})) as server:
        assert SCIMApi(recording_client(server)).get_scim_v2_user("u1").id == "u1"


def test_the_file_samples_are_read_as_written(tmp_path: Path) -> None:
    (ini,) = blocks("Configuration file", "ini")
    (sample,) = blocks("Configuration file", "json")
    (tmp_path / "config.ini").write_text(ini)
    (tmp_path / "config.json").write_text(sample)
    from_ini = read_config_file(str(tmp_path / "config.ini"))
    from_json = read_config_file(str(tmp_path / "config.json"))
    assert from_ini is not None and from_json is not None
    every_key = {(s, k) for s, keys in KEYS.items() for k in keys if s != "gateway"} | {("gateway", "")}
    assert set(from_ini) == every_key  # the INI sample shows every key
    assert set(KEYS["gateway"]) == set(from_ini[("gateway", "")])
    assert json.loads(sample)["general"]["host"] == from_ini[("general", "host")]
    for key in from_json:  # and the table names each
        assert (f"`{key[1]}`" if key[1] else f"`[{key[0]}]`") in section("Configuration file")
