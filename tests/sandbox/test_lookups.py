"""Lists answered from the store's indexes, tallies and bookmarks (store.py, lookups.py) are the
lists a full scan gives: the same resources in the same order, the same totalResults, on
random directories, filters and pages, also while a client walks the pages and writes happen."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2.sandbox import groups, listing, lookups
from PureCloudPlatformClientV2.sandbox.directory import Directory
from PureCloudPlatformClientV2.sandbox.errors import ScimError
from PureCloudPlatformClientV2.sandbox.options import SandboxOptions
from PureCloudPlatformClientV2.sandbox.store import Store

BASE = "http://sandbox.test"
# Names whose case folding differs from lower() (ß, the Kelvin sign, dotted İ) or that fold together.
LOCAL = ["ava", "AVA", "straße", "STRASSE", "strasse", "\u212aim", "kim", "İpek", "ipek", "zoë"]
EXTERNAL = ["e-1", "E-1", "x", "X"]
GROUP_NAMES = ["Sales", "SALES", "Straße", "strasse", "Support", "Ops"]


def full_scan(directory: Directory, query: listing.ListQuery, kind: str) -> dict[str, Any]:
    """The list as the sandbox computed it before it had indexes: render everything, filter, window."""
    if kind == "User":
        records = directory.store.all("users", active_only=query.filter is None)
        rendered = [directory.render_user(r, BASE) for r in records]
    else:
        rendered = [groups.render(r, BASE) for r in directory.store.all("groups")]
    matched = listing.select(rendered, query, kind)
    return listing.page(listing.window(matched, query), len(matched), query, kind)


def listed(directory: Directory, query: listing.ListQuery, kind: str) -> dict[str, Any]:
    return directory.list_users(query, BASE) if kind == "User" else directory.list_groups(query, BASE)


users_st = st.lists(st.fixed_dictionaries({
    "local": st.sampled_from(LOCAL), "external": st.none() | st.sampled_from(EXTERNAL),
    "emails": st.lists(st.sampled_from(LOCAL), max_size=2), "active": st.booleans(),
    "fate": st.sampled_from(["keep", "keep", "deactivate", "delete", "delete and revive"]),
}), max_size=9)


def build(spec: list[dict[str, Any]], group_names: list[str]) -> Directory:
    directory = Directory(Store(), SandboxOptions())
    directory.seed_defaults()
    for group, name in zip(directory.store.all("groups"), group_names):
        try:
            directory.replace_group(group.id, {"displayName": name}, None, BASE)
        except ScimError as error:  # a name taken by another group
            assert error.status == 409
    for i, user in enumerate(spec):
        body: dict[str, Any] = {"userName": f"{user['local']}{i % 3}@example.com", "active": user["active"],
                                "displayName": user["local"], "title": user["external"],
                                "emails": [{"value": f"{e}@example.com", "type": "work"} for e in user["emails"][:1]]}
        if user["external"] is not None:
            body["externalId"] = user["external"]
        try:
            created, _ = directory.create_user(body, BASE)
        except ScimError as error:  # the userName is taken (names fold together)
            assert error.status == 409
            continue
        if user["fate"] == "deactivate":
            directory.patch_user(created["id"], {"Operations": [{"op": "replace", "path": "active", "value": False}]},
                                 None, BASE)
        elif user["fate"].startswith("delete"):
            directory.delete_user(created["id"], None)
            if user["fate"] == "delete and revive":
                directory.create_user(body, BASE)
    return directory


def value_st(directory: Directory) -> st.SearchStrategy[Any]:
    ids = [r.id for r in directory.store.all("users")] + [r.id for r in directory.store.all("groups")]
    names = [r.data["userName"] for r in directory.store.all("users", include_deleted=True)]
    variants = [variant for name in names for variant in (name, name.upper(), name.casefold())]
    texts = ([f"{name}{i}@example.com" for name in LOCAL for i in range(3)] + [f"{n}@example.com" for n in LOCAL]
             + EXTERNAL + GROUP_NAMES + ids + [i.upper() for i in ids[:3]])
    own = st.sampled_from(variants) if variants else st.nothing()  # the values most likely to match
    return own | own | st.sampled_from(texts) | st.booleans() | st.just(12)


ATTRS = ["userName", "USERNAME", "externalId", "emails", "emails.value", "email", "id", "active", "displayName",
         "title", "urn:ietf:params:scim:schemas:core:2.0:User:userName"]


def filter_st(values: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    import json

    compare = st.builds(lambda attr, op, value: f"{attr} {op} {json.dumps(value, ensure_ascii=False)}",
                        st.sampled_from(ATTRS), st.sampled_from(["eq", "eq", "eq", "ne", "co"]), values)
    compare = compare.filter(lambda text: not (" co " in text and not text.endswith('"')))
    return st.recursive(compare, lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner)), max_leaves=3)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=users_st, group_names=st.lists(st.sampled_from(GROUP_NAMES), max_size=4), data=st.data())
def test_indexed_lists_equal_full_scans_on_random_data(spec: list[dict[str, Any]], group_names: list[str],
                                                       data: st.DataObject) -> None:
    directory = build(spec, group_names)
    assert len(directory.store.all("users", include_deleted=True)) >= min(len(spec), 1)
    stored = directory.store.all("users", include_deleted=True)
    for text in [f'{attr} eq "{variant}"' for r in stored for attr in ("userName", "email", "emails.value")
                 for variant in (r.data["userName"].upper(), r.data["userName"].casefold())]:
        query = listing.ListQuery(count=20, filter=listing.parse_filter(text, strict=False))
        assert listed(directory, query, "User") == full_scan(directory, query, "User"), text
    for _ in range(6):
        kind = data.draw(st.sampled_from(["User", "User", "Group"]))
        text = data.draw(st.none() | filter_st(value_st(directory)))
        query = listing.ListQuery(start_index=data.draw(st.integers(1, 12)), count=data.draw(st.integers(0, 12)),
                                  filter=None if text is None else listing.parse_filter(text, strict=False))
        assert listed(directory, query, kind) == full_scan(directory, query, kind), (kind, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=users_st, data=st.data())
def test_walking_the_pages_while_users_change_equals_full_scans(spec: list[dict[str, Any]],
                                                                data: st.DataObject) -> None:
    """Page after page (where bookmarks apply), with writes between some pages: each page is
    the one a full scan gives at that moment."""
    directory = build(spec, [])
    text = data.draw(st.sampled_from([None, "active eq false", "active eq true", "ACTIVE eq False"]))
    count = data.draw(st.integers(1, 4))
    start = 1
    for step in range(8):
        query = listing.ListQuery(start_index=start, count=count,
                                  filter=None if text is None else listing.parse_filter(text, strict=False))
        assert listed(directory, query, "User") == full_scan(directory, query, "User"), (step, text)
        users = directory.store.all("users")
        change = data.draw(st.sampled_from(["none", "none", "deactivate", "activate", "delete", "create"]))
        if users and change in ("deactivate", "activate", "delete"):
            user = data.draw(st.sampled_from(users))
            if change == "delete":
                directory.delete_user(user.id, None)
            else:
                directory.patch_user(user.id, {"Operations": [
                    {"op": "replace", "path": "active", "value": change == "activate"}]}, None, BASE)
        elif change == "create":
            directory.create_user({"userName": f"new{step}-{len(users)}@example.com", "displayName": "New"}, BASE)
        start = data.draw(st.sampled_from([start + count, start + count, start, 1, start + 1]))


def test_the_lookup_keys_fold_case_as_the_filter_does() -> None:
    """`Straße` is found by `strasse` (casefold), which lower() would miss; the index is rebuilt
    for records written before it was there."""
    store = Store()
    directory = Directory(store)
    directory.seed_defaults()
    directory.create_user({"userName": "Straße@example.com", "externalId": "Ext-1", "displayName": "S"}, BASE)
    for text in ['userName eq "strasse@example.com"', 'email eq "STRASSE@example.com"', 'externalId eq "ext-1"',
                 'externalId eq "Ext-1"']:
        query = listing.ListQuery(filter=listing.parse_filter(text, strict=False))
        assert directory.list_users(query, BASE) == full_scan(directory, query, "User"), text
    assert lookups.keys_for("users", listing.parse_filter('title eq "x"', strict=False)) is None
    again = Directory(store)  # a second directory on the same store files nothing twice
    query = listing.ListQuery(filter=listing.parse_filter('userName eq "STRASSE@EXAMPLE.COM"', strict=False))
    assert again.list_users(query, BASE)["totalResults"] == 1


def test_a_store_filled_before_it_files_keys_is_filed_when_a_directory_opens_it(tmp_path: Any) -> None:
    path = str(tmp_path / "sandbox.db")
    first = Store(path)
    Directory(first).seed_defaults()
    Directory(first).create_user({"userName": "jane@example.com", "externalId": "j-1", "displayName": "J"}, BASE)
    first.close()
    plain = Store(path)  # written without a directory (like an older sandbox): no keys filed
    from PureCloudPlatformClientV2.sandbox.store import Record

    plain.insert("users", Record(id="u-2", name_key="joe@example.com", version=1, last_modified="2024-01-01T00:00:00Z",
                                 data={"userName": "joe@example.com", "externalId": "j-2", "active": True}))
    plain.close()
    directory = Directory(Store(path))
    query = listing.ListQuery(filter=listing.parse_filter('externalId eq "j-2" or externalId eq "j-1"', strict=False))
    page = directory.list_users(query, BASE)
    assert [u["userName"] for u in page["Resources"]] == ["jane@example.com", "joe@example.com"]
    assert directory.store.total("users") == 2 and directory.store.count("users", active_only=True) == 2
