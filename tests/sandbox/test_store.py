"""Storage, the fake-user generator and the schema characteristics, without HTTP."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.sandbox import fake, schemas
from PureCloudPlatformClientV2.sandbox.directory import Directory
from PureCloudPlatformClientV2.sandbox.store import Conflict, Record, Store
from PureCloudPlatformClientV2.urns import ENTERPRISE_USER_URN, GENESYS_USER_URN, USER_URN


def record(resource_id: str, name: str, **extra: object) -> Record:
    return Record(id=resource_id, name_key=name.lower(), version=1, last_modified="2026-01-01T00:00:00.000Z",
                  data={"userName": name, **extra})


def test_insert_get_update_in_creation_order() -> None:
    store = Store()
    for i in range(3):
        store.insert("users", record(f"u{i}", f"u{i}@example.com"))
    assert [r.id for r in store.all("users")] == ["u0", "u1", "u2"]
    got = store.get("users", "u1")
    assert got is not None and got.data == {"userName": "u1@example.com"}
    store.update("users", got.but(version=2, data={"userName": "u1@example.com", "title": "x"}))
    assert store.get("users", "u1").version == 2  # type: ignore[union-attr]
    assert [r.id for r in store.all("users", offset=1, limit=1)] == ["u1"]
    store.close()


def test_username_is_unique_among_live_users_only() -> None:
    store = Store()
    first = store.insert("users", record("a", "Same@example.com"))
    with pytest.raises(Conflict):
        store.insert("users", record("b", "same@example.com"))
    store.update("users", first.but(deleted=True))
    store.insert("users", record("b", "same@example.com"))
    assert store.find_by_name("users", "SAME@example.com").id == "b"  # type: ignore[union-attr]
    assert store.find_by_name("users", "same@example.com", deleted=True).id == "a"  # type: ignore[union-attr]


def test_a_failed_transaction_leaves_nothing_behind() -> None:
    store = Store()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.insert("users", record("a", "a@example.com"))
            raise RuntimeError("boom")
    assert store.all("users") == []


def test_file_database_persists(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.db")
    store = Store(path)
    store.insert("users", record("a", "a@example.com"))
    store.add_catalog("roles", ["employee"])
    store.close()
    again = Store(path)
    assert [r.id for r in again.all("users")] == ["a"] and again.catalog("roles") == ["employee"]
    again.close()


def test_concurrent_writers_on_one_store() -> None:
    store = Store()
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(50):
                store.insert("users", record(f"{worker}-{i}", f"{worker}-{i}@example.com"))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and store.count("users") == 400


def test_unknown_table_names_are_refused() -> None:
    with pytest.raises(ValueError):
        Store().get("users; DROP TABLE users", "x")


# -- seeding and the generator -------------------------------------------------------------------
def test_make_users_is_deterministic_and_realistic() -> None:
    users = fake.make_users(50, seed=3)
    assert users == fake.make_users(50, seed=3) and users != fake.make_users(50, seed=4)
    assert len({u["userName"] for u in users}) == 50 and len({u["id"] for u in users}) == 50
    user = users[11]
    assert user["id"] == fake.user_id(11) and "@" in user["userName"]
    assert {"type": "other", "value": user["userName"]} in user["emails"]
    assert user[ENTERPRISE_USER_URN]["manager"]["value"] == fake.user_id(10)
    assert all(s["name"] in fake.SKILLS for s in user[GENESYS_USER_URN]["routingSkills"])
    assert user["meta"]["resourceType"] == "User" and user["meta"]["version"] == "1"
    assert user["schemas"] == [USER_URN, ENTERPRISE_USER_URN, GENESYS_USER_URN]


def test_seeding_adds_users_groups_and_membership_once() -> None:
    store = Store()
    directory = Directory(store)
    directory.seed_defaults()
    assert directory.seed_users(40) == 40
    directory.seed_defaults()
    assert directory.seed_users(40) == 0  # already there: nothing duplicated
    assert store.count("users") == 40 and store.count("groups") == 4
    assert store.catalog("divisions") == ["Home", "EMEA", "Americas"]
    managers = store.get("groups", fake.group_id("Managers"))
    assert managers is not None and {m["value"] for m in managers.data["members"]} == {
        fake.user_id(i) for i in (0, 10, 20, 30)}


# -- schema characteristics --------------------------------------------------------------------
@pytest.mark.parametrize("path, read_only", [
    ("id", True), ("meta.version", True), ("groups", True), ('groups[value eq "x"].value', True),
    ("userName", False), ("password", False), (f"{GENESYS_USER_URN}:routingSkills", False),
    (f"{ENTERPRISE_USER_URN}:manager.value", False),
])
def test_read_only_paths(path: str, read_only: bool) -> None:
    assert schemas.is_read_only("User", path) is read_only


@pytest.mark.parametrize("kind, path, exact", [
    ("User", "externalid", True), ("User", "id", True), ("User", "username", False),
    ("User", "emails.value", False), ("User", "routingskills.name", True), ("User", "manager.value", True),
    ("Group", "members.value", True), ("Group", "displayname", False),
])
def test_case_exact_paths(kind: str, path: str, exact: bool) -> None:
    assert schemas.is_case_exact(kind, path) is exact


# -- lookups by name take the index, with the same answers as a full scan -------------------------
def test_a_lookup_by_name_lists_what_a_full_scan_lists() -> None:
    from PureCloudPlatformClientV2.sandbox import listing

    base = "http://sandbox.test"
    directory = Directory(Store())
    directory.seed_defaults()
    directory.seed_users(30)
    users = [directory.render_user(r, base) for r in directory.store.all("users")]
    inactive, deleted = users[3]["userName"], users[4]["userName"]
    directory.patch_user(users[3]["id"], {"Operations": [{"op": "replace", "path": "active", "value": False}]},
                         None, base)
    directory.delete_user(users[4]["id"], None)
    directory.create_user({"userName": "Zoë.Straße@example.com", "displayName": "Zoë"}, base)
    texts = [f'userName eq "{users[1]["userName"]}"', f'USERNAME eq "{users[1]["userName"].upper()}"',
             f'userName eq "{inactive}"', f'userName eq "{deleted}"', 'userName eq "nobody@example.com"',
             f'userName eq "{users[2]["userName"]}" and active eq true', f'userName eq "{inactive}" and active eq true',
             'userName eq "zoë.strasse@example.com"', 'userName eq "ZOË.STRASSE@EXAMPLE.COM"',
             f'userName ne "{users[1]["userName"]}"', f'userName eq "{users[1]["userName"]}" or active eq false']
    everyone = [directory.render_user(r, base) for r in directory.store.all("users")]
    for text in texts:
        query = listing.ListQuery(count=100, filter=listing.parse_filter(text, strict=False))
        expected = listing.select(everyone, query, "User")
        assert directory.list_users(query, base)["Resources"] == expected, text
        assert len(expected) <= 1 or "ne" in text or " or " in text
