"""The sandbox's list pages at 10,000, 50,000 and 200,000 users (run by bench/run.py):

    python bench/sandbox_pages.py  ->  one JSON line of results

Times (CPU time of this process, so the machine's other work does not count) `Directory.list_users` (what the server does for `GET /Users`, before writing the JSON):
pages of 100 walked in order at the start, the middle and the end of the list, one page
jumped to deep in the list, the common filters, and the unfiltered total. A page should cost
the same at every size. The store is seeded directly (bulk insert) with realistic users:
fake.make_users(1000) as the sandbox stores them, repeated with unique ids, userNames,
e-mails and externalIds (seeding 200,000 through the API would take minutes); the groups
have no members, so no user lists any.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PureCloudPlatformClientV2.sandbox import fake, listing, users  # noqa: E402
from PureCloudPlatformClientV2.sandbox.directory import Directory  # noqa: E402
from PureCloudPlatformClientV2.sandbox.store import Record, Store  # noqa: E402

SIZES = (10_000, 50_000, 200_000)
PAGE = 100
BASE = "http://sandbox.test/api/v2/scim/v2"


def seeded(count: int) -> Directory:
    directory = Directory(Store())
    directory.seed_defaults()
    catalog = directory.catalog()
    templates = [users.normalize(user, catalog, user_exists=lambda _: True, lenient_usernames=True)
                 for user in fake.make_users(1000)]
    records = []
    for i in range(count):
        data = dict(templates[i % len(templates)])
        name = f"user.{i}@{fake.DOMAIN}"
        data.update(userName=name, externalId=f"ext-{i}", emails=[{"value": name, "type": "work", "primary": True}])
        records.append(Record(id=fake.user_id(i), name_key=name, version=1, last_modified="2024-01-01T09:00:00.000Z",
                              data=data, active=data["active"]))
    directory.store.insert_many("users", records)
    return directory


def timed(function, repeat: int) -> float:
    """Median seconds of `repeat` calls."""
    spent = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        spent.append(time.process_time() - start)
    return statistics.median(spent)


def walk(directory: Directory, start: int, pages: int) -> float:
    """Median seconds per page of `pages` consecutive pages from `start` (1-based)."""
    spent = []
    for page in range(pages):
        query = listing.ListQuery(start_index=start + page * PAGE, count=PAGE)
        began = time.process_time()
        directory.list_users(query, BASE)
        spent.append(time.process_time() - began)
    return statistics.median(spent[1:])  # the first page of a walk has no bookmark yet


def measure(count: int) -> dict[str, float]:
    began = time.perf_counter()
    directory = seeded(count)
    seeding = time.perf_counter() - began
    gc.collect()
    listed = directory.store.count("users", active_only=True)

    def query(text: str | None, start: int = 1) -> listing.ListQuery:
        return listing.ListQuery(start_index=start, count=PAGE,
                                 filter=None if text is None else listing.parse_filter(text, strict=False))

    middle = listed // 2 // PAGE * PAGE + 1
    last = max(1, (listed - 10 * PAGE) // PAGE * PAGE + 1)
    someone = count * 3 // 4
    filters = {
        "userName eq": f'userName eq "user.{someone}@{fake.DOMAIN}"',
        "externalId eq": f'externalId eq "ext-{someone}"',
        "emails eq": f'emails eq "USER.{someone}@{fake.DOMAIN}"',
        "id eq": f'id eq "{fake.user_id(someone)}"',
        "active eq false": "active eq false",
    }
    results = {
        "seed_s": seeding,
        "walk_start": walk(directory, 1, 11),
        "walk_middle": walk(directory, middle, 11),
        "walk_end": walk(directory, last, 11),
        "jump_deep": timed(lambda: directory.list_users(query(None, listed - PAGE), BASE), 5),
        **{name: timed(lambda text=text: directory.list_users(query(text), BASE), 5) for name, text in filters.items()},
        "displayName eq (groups)": timed(lambda: directory.list_groups(query('displayName eq "support"'), BASE), 5),
        "total": timed(lambda: directory.store.count("users", active_only=True), 5),
    }
    directory.store.close()
    return results


def main() -> None:
    print(json.dumps({str(count): measure(count) for count in SIZES}))


if __name__ == "__main__":
    main()
