"""Realistic, deterministic Genesys SCIM users for seeding, benchmarks and tests (pure functions)."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..urns import ENTERPRISE_USER_URN as ENTERPRISE
from ..urns import GENESYS_USER_URN as GENESYS
from ..urns import USER_URN as USER

BASE_URL = "https://api.mypurecloud.com/api/v2/scim/v2"
DOMAIN = "example.com"
SCIM_AUTHORITY = "x-pc:scimv2:v1"  # the immutable authority Genesys files externalId under
_NAMESPACE = uuid.UUID("8b0c6a5e-3d6f-4c52-9a7e-2f1d4e6b9c10")  # keeps generated ids stable

ROLES = ["employee", "admin", "Agent", "Supervisor"]
SKILLS = ["Sales", "Support", "Billing", "Spanish Support"]
LANGUAGES = ["English", "Spanish", "French"]
DIVISIONS = ["Home", "EMEA", "Americas"]
GROUPS = ["Sales", "Support", "Engineering", "Managers"]

_FIRST = ["Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sophia", "Lucas", "Isabella", "Ethan", "Mia",
          "Aiden", "Amelia", "Omar", "Harper", "Kenji", "Chloe", "Ravi", "Zoe", "Diego", "Fatima", "Jonas",
          "Ingrid", "Wei", "Priya", "Tomás", "Nadia", "Felix", "Leila", "Hugo"]
_LAST = ["Smith", "Garcia", "Johnson", "Müller", "Brown", "Rossi", "Martin", "Kowalski", "Nguyen", "Dubois",
         "Tanaka", "Silva", "Okafor", "Jensen", "Patel", "Cohen", "Larsen", "Moreau", "Novak", "Haddad",
         "Kim", "Fischer", "O'Brien", "Santos", "Andersson"]
_TITLES = ["Customer Service Agent", "Senior Agent", "Team Lead", "Sales Representative", "Support Engineer",
           "Billing Specialist", "Contact Center Manager", "Workforce Analyst", "Quality Analyst"]
_DEPARTMENTS = ["Customer Care", "Sales", "Billing", "Technical Support", "Operations"]
_EPOCH = datetime(2024, 1, 1, 9, 0, 0, tzinfo=timezone.utc)


def user_id(i: int) -> str:
    """The id of generated user `i`, computable without generating the user."""
    return str(uuid.uuid5(_NAMESPACE, f"user-{i}"))


def group_id(name: str) -> str:
    """The id of a seeded group, stable across runs and databases."""
    return str(uuid.uuid5(_NAMESPACE, f"group-{name}"))


def _ascii(text: str) -> str:
    table = str.maketrans({"ü": "u", "á": "a", "'": "", "ö": "o", "é": "e"})
    return text.translate(table).lower()


def _phone(rng: random.Random) -> str:
    return f"+1317555{rng.randrange(10000):04d}"


def _levels(rng: random.Random, names: list[str], most: int) -> list[dict[str, Any]]:
    chosen = rng.sample(names, rng.randint(0, most))
    return [{"name": name, "proficiency": float(rng.randint(1, 5))} for name in chosen]


def _manager_of(i: int) -> int | None:
    """User 0 runs the org; every tenth user manages the nine after it and reports to user 0."""
    if i == 0:
        return None
    return 0 if i % 10 == 0 else i - i % 10


def make_user(i: int, rng: random.Random) -> dict[str, Any]:
    """User number `i` in wire form, as a Genesys SCIM GET would return it."""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    email = f"{_ascii(first)}.{_ascii(last)}.{i}@{DOMAIN}"
    uid, external = user_id(i), str(uuid.UUID(int=rng.getrandbits(128), version=4))
    phones = [{"value": _phone(rng), "type": "work", "primary": True}]
    if rng.random() < 0.5:
        phones.append({"value": _phone(rng), "type": "mobile"})
    roles = ["employee"] + rng.sample(["Agent", "Supervisor"], rng.randint(0, 1)) + (["admin"] if i == 0 else [])
    enterprise: dict[str, Any] = {
        "division": rng.choice(DIVISIONS), "department": rng.choice(_DEPARTMENTS),
        "employeeNumber": f"E{100000 + i}",
        "dateHire": (date(2015, 1, 1) + timedelta(days=rng.randrange(3650))).isoformat(),
    }
    manager = _manager_of(i)
    if manager is not None:
        enterprise["manager"] = {"value": user_id(manager), "$ref": f"{BASE_URL}/users/{user_id(manager)}"}
    groups = rng.sample(GROUPS[:3], rng.randint(1, 2)) + (["Managers"] if i % 10 == 0 else [])
    return {
        "schemas": [USER, ENTERPRISE, GENESYS],
        "id": uid,
        "active": rng.random() >= 0.05,
        "userName": email,
        "displayName": f"{first} {last}",
        "title": rng.choice(_TITLES),
        "emails": [{"value": email, "type": "work", "primary": True}, {"value": email, "type": "other"}],
        "phoneNumbers": phones,
        "externalId": external,
        "roles": [{"value": role} for role in roles],
        "groups": [{"value": group_id(g), "type": "Group", "$ref": f"{BASE_URL}/groups/{group_id(g)}"} for g in groups],
        ENTERPRISE: enterprise,
        GENESYS: {
            "routingSkills": _levels(rng, SKILLS, 3),
            "routingLanguages": _levels(rng, LANGUAGES, 2) or [{"name": "English", "proficiency": 5.0}],
            "externalIds": [{"authority": SCIM_AUTHORITY, "value": external}],
        },
        "meta": {"resourceType": "User", "location": f"{BASE_URL}/users/{uid}", "version": "1",
                 "lastModified": (_EPOCH + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")},
    }


def make_users(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` users; the same `n` and `seed` always give the same users."""
    rng = random.Random(seed)
    return [make_user(i, rng) for i in range(n)]
