"""The flat user columns shared by `users list --csv`, `export users`, `sync users` and the
field options of `users create`/`users update`: how each one is read from a SCIM user,
parsed from a cell, compared, written into a new user and changed with PATCH operations.

Each column names its attribute through the SCIM description (scim_schema.py), so a column
cannot name an attribute the models and the sandbox do not know.

Pure functions over wire dicts (the JSON of the SCIM API); no network, no click.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from .. import scim_schema
from .._decode import parse_datetime
from ..scim_schema import ENTERPRISE_USER, GENESYS_USER, USER, Schema, is_email

PHONE = re.compile(r"^(\+[1-9][0-9]{6,14}|tel:\+?[0-9][0-9\-.()]*(;ext=[0-9]+)?)$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TRUE = ("true", "yes", "y", "1")
FALSE = ("false", "no", "n", "0")

Op = dict[str, Any]  # one PATCH operation: {"op": ..., "path": ..., "value": ...}


def attribute_path(schema: Schema, name: str) -> str:
    """The path of a user attribute the SCIM description lists: `name` in the core schema,
    `URN:name` in an extension."""
    if schema.attribute(name) is None:
        raise ValueError(f"the SCIM description has no attribute {name!r} in the {schema.name} schema")
    return name if schema is USER else f"{schema.urn}:{name}"


class CellError(ValueError):
    """A cell that cannot be used; the message names the column and the problem."""


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _text(raw: Any, name: str) -> str:
    if isinstance(raw, bool) or isinstance(raw, (dict, list)):
        raise CellError(f"{name} must be text, not {type(raw).__name__}")
    return str(raw).strip()


class Column:
    """A text attribute at `path` (a core name, or `URN:name` for an extension attribute).

    `clearable`: an empty cell removes the attribute; otherwise an empty cell leaves the
    user's value as it is (attributes every user has, such as `active` and `division`).
    """

    clearable = True

    def __init__(self, name: str, path: str, help: str, *, example: str = "", clearable: bool | None = None,
                 check: Callable[[str, str], str] | None = None, ignore_case: bool = False) -> None:
        self.name, self.path, self.help, self.example = name, path, help, example
        self._check, self._ignore_case = check, ignore_case
        if clearable is not None:
            self.clearable = clearable
        urn, _, attr = path.rpartition(":")
        self.urn, self.attr = (urn or None), attr

    # which top-level attribute to ask for with `attributes=` (extensions: the URN-qualified name)
    @property
    def attribute(self) -> str:
        return f"{self.urn}:{self.attr}" if self.urn else self.attr

    @property
    def option(self) -> str:
        """The command-line option of `users create`/`users update`: `--display-name`."""
        return "--" + re.sub(r"(?<!^)([A-Z])", r"-\1", self.name).lower()

    def parse(self, raw: Any) -> Any:
        """A cell (text, or a JSON value) -> the canonical value; None for an empty cell."""
        if _blank(raw):
            return None
        value = _text(raw, self.name)
        return self._check(value, self.name) if self._check else value

    def read(self, user: dict[str, Any]) -> Any:
        """The canonical value of this column in a wire-form user (None when unset)."""
        value = self._holder(user).get(self.attr)
        return None if value in (None, "") else value

    def _holder(self, user: dict[str, Any]) -> dict[str, Any]:
        """The object holding the attribute: the user, or its extension's object."""
        holder = user.get(self.urn) if self.urn else user
        return holder if isinstance(holder, dict) else {}

    def _container(self, body: dict[str, Any]) -> dict[str, Any]:
        """Where `put` writes: the body, or its extension's object (made when missing)."""
        return body.setdefault(self.urn, {}) if self.urn else body

    def text(self, value: Any) -> str:
        """A canonical value as a cell."""
        return "" if value is None else str(value)

    def same(self, old: Any, new: Any) -> bool:
        if self._ignore_case and isinstance(old, str) and isinstance(new, str):
            return old.lower() == new.lower()  # lower(), as Genesys compares; casefold() also folds 'ſ' to 's'
        return bool(old == new)

    def put(self, body: dict[str, Any], value: Any) -> None:
        """Write a (non-empty) value into a user creation body."""
        self._container(body)[self.attr] = value

    def operations(self, value: Any) -> list[Op]:
        """The PATCH operations that set this column to `value` (None = remove)."""
        if value is None:
            return [{"op": "remove", "path": self.path}]
        return [{"op": "replace", "path": self.path, "value": value}]


class UserNameColumn(Column):
    clearable = False

    def parse(self, raw: Any) -> Any:
        if _blank(raw):
            raise CellError("userName is required")
        value = _text(raw, self.name)
        if not is_email(value):
            raise CellError(f"userName {value!r} is not an e-mail address")
        return value


class ActiveColumn(Column):
    clearable = False

    def parse(self, raw: Any) -> Any:
        if _blank(raw):
            return None
        if isinstance(raw, bool):
            return raw
        value = _text(raw, self.name).lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise CellError(f"active must be true or false, not {raw!r}")

    def read(self, user: dict[str, Any]) -> Any:
        return user.get("active", True) is not False

    def text(self, value: Any) -> str:
        return "" if value is None else ("true" if value else "false")


class TypedValueColumn(Column):
    """One element of a multi-valued attribute chosen by type: `emails[type eq "work"].value`."""

    def __init__(self, name: str, attr: str, kind: str, help: str, **kw: Any) -> None:
        attribute = USER.attribute(attribute_path(USER, attr))
        type_attribute = attribute.sub("type") if attribute else None
        types = (type_attribute.canonical if type_attribute else None) or ()
        if kind not in types:
            raise ValueError(f"{attr}.type is one of {', '.join(types)} in the SCIM description, not {kind!r}")
        super().__init__(name, f'{attr}[type eq "{kind}"].value', help, **kw)
        self.urn, self.attr, self.kind = None, attr, kind

    @property
    def attribute(self) -> str:
        return self.attr

    def read(self, user: dict[str, Any]) -> Any:
        for item in user.get(self.attr) or []:
            if isinstance(item, dict) and str(item.get("type", "")).lower() == self.kind and item.get("value"):
                return item["value"]
        return None

    def put(self, body: dict[str, Any], value: Any) -> None:
        body.setdefault(self.attr, []).append({"type": self.kind, "value": value})

    def operations(self, value: Any) -> list[Op]:
        if value is None:
            return [{"op": "remove", "path": f'{self.attr}[type eq "{self.kind}"]'}]
        return [{"op": "replace", "path": self.path, "value": value}]


class ManagerColumn(Column):
    """The manager: a userName or a user id in files; always a user id once resolved."""

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, dict):  # a SCIM manager object
            raw = raw.get("value")
        if _blank(raw):
            return None
        value = _text(raw, self.name)
        if not (is_email(value) or UUID.match(value)):
            raise CellError(f"manager must be a userName (e-mail) or a user id, not {value!r}")
        return value

    def read(self, user: dict[str, Any]) -> Any:
        manager = self._holder(user).get(self.attr)
        value = manager.get("value") if isinstance(manager, dict) else manager
        return value or None

    def put(self, body: dict[str, Any], value: Any) -> None:
        self._container(body)[self.attr] = {"value": value}

    def operations(self, value: Any) -> list[Op]:
        if value is None:
            return [{"op": "remove", "path": self.path}]
        return [{"op": "replace", "path": self.path, "value": {"value": value}}]


class RolesColumn(Column):
    """Role names, `;`-separated in a cell (a list in JSON); compared as a set, case-insensitively."""

    def parse(self, raw: Any) -> Any:
        items: list[Any]
        if isinstance(raw, list):
            items = [item.get("value") if isinstance(item, dict) else item for item in raw]
        elif _blank(raw):
            return None
        else:
            items = _text(raw, self.name).split(";")
        names = [str(item).strip() for item in items if item is not None and str(item).strip()]
        return tuple(dict.fromkeys(names)) or None

    def read(self, user: dict[str, Any]) -> Any:
        names = [r.get("value") for r in user.get("roles") or [] if isinstance(r, dict) and r.get("value")]
        return tuple(names) or None

    def text(self, value: Any) -> str:
        return ";".join(value or ())

    def same(self, old: Any, new: Any) -> bool:
        return {n.casefold() for n in old or ()} == {n.casefold() for n in new or ()}

    def put(self, body: dict[str, Any], value: Any) -> None:
        body["roles"] = [{"value": name} for name in value]

    def operations(self, value: Any) -> list[Op]:
        if value is None:
            return [{"op": "remove", "path": "roles"}]
        return [{"op": "replace", "path": "roles", "value": [{"value": name} for name in value]}]


def _level_text(level: float) -> str:
    return str(int(level)) if float(level).is_integer() else str(level)


class LevelsColumn(Column):
    """Routing skills or languages: `Name:proficiency;...` (proficiency 0 to 5)."""

    def parse(self, raw: Any) -> Any:
        if _blank(raw) or raw == [] or raw == {}:
            return None
        pairs: list[tuple[Any, Any]]
        if isinstance(raw, dict):
            pairs = list(raw.items())
        elif isinstance(raw, list):
            pairs = [(i.get("name"), i.get("proficiency")) if isinstance(i, dict) else (i, None) for i in raw]
        else:
            pairs = []
            for part in _text(raw, self.name).split(";"):
                if part.strip():
                    name, sep, level = part.rpartition(":")
                    pairs.append((name, level) if sep else (part, None))
        levels: dict[str, float] = {}
        for name, level in pairs:
            name = str(name or "").strip()
            if not name:
                raise CellError(f"{self.name}: every entry needs a name, as in Sales:3")
            if level is None or (isinstance(level, str) and not level.strip()):
                raise CellError(f"{self.name}: {name!r} needs a proficiency, as in {name}:3")
            try:
                number = float(level)
            except (TypeError, ValueError):
                raise CellError(f"{self.name}: proficiency of {name!r} must be a number, not {level!r}") from None
            if not 0 <= number <= 5:
                raise CellError(f"{self.name}: proficiency of {name!r} must be between 0 and 5, not {level}")
            levels[name] = number
        return tuple(sorted(levels.items()))

    def read(self, user: dict[str, Any]) -> Any:
        items = self._holder(user).get(self.attr) or []
        levels = {i["name"]: float(i.get("proficiency") or 0) for i in items if isinstance(i, dict) and i.get("name")}
        return tuple(sorted(levels.items())) or None

    def text(self, value: Any) -> str:
        return ";".join(f"{name}:{_level_text(level)}" for name, level in value or ())

    def _wire(self, value: Any) -> list[dict[str, Any]]:
        return [{"name": name, "proficiency": level} for name, level in value]

    def put(self, body: dict[str, Any], value: Any) -> None:
        self._container(body)[self.attr] = self._wire(value)

    def operations(self, value: Any) -> list[Op]:
        if value is None:
            return [{"op": "remove", "path": self.path}]
        return [{"op": "replace", "path": self.path, "value": self._wire(value)}]


def _email(value: str, name: str) -> str:
    if not is_email(value):
        raise CellError(f"{name} {value!r} is not an e-mail address")
    return value


def _phone(value: str, name: str) -> str:
    if not PHONE.match(value.replace(" ", "")):
        raise CellError(f"{name} {value!r} is not a phone number in E.164 form (+13175550123) or a tel: URI")
    return value.replace(" ", "")


def _date(value: str, name: str) -> str:
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return parse_datetime(value).date().isoformat()  # the same forms on every Python
    except ValueError:
        raise CellError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def _core(name: str) -> str:
    return attribute_path(USER, name)


def _enterprise(name: str) -> str:
    return attribute_path(ENTERPRISE_USER, name)


def _genesys(name: str) -> str:
    return attribute_path(GENESYS_USER, name)


COLUMNS: tuple[Column, ...] = (
    UserNameColumn("userName", _core("userName"), "The sign-in e-mail address; required, unique.",
                   example="ada@example.com"),
    Column("displayName", _core("displayName"),
           "The name shown in Genesys; required to create a user, empty leaves it as it is.",
           example="Ada Lovelace", clearable=False),
    Column("title", _core("title"), "Job title.", example="Senior Agent"),
    ActiveColumn("active", _core("active"),
                 "true or false (also yes/no, 1/0); empty leaves it as it is (new users: true).",
                 example="true"),
    TypedValueColumn("email", "emails", "work", "Work e-mail address (emails of type work).",
                     example="ada.work@example.com", check=_email, ignore_case=True),
    TypedValueColumn("phone", "phoneNumbers", "work", "Work phone, E.164 (+13175550123) or tel: URI.",
                     example="+13175550100", check=_phone),
    TypedValueColumn("mobile", "phoneNumbers", "mobile", "Mobile phone, same forms as phone.",
                     example="+13175550199", check=_phone),
    Column("externalId", _core("externalId"), "Your identifier for the user (case-sensitive).", example="E-1001"),
    Column("department", _enterprise("department"), "Department.", example="Customer Care"),
    Column("division", _enterprise("division"),
           "Division name; empty leaves it as it is (new users: Home).", example="Home",
           clearable=False, ignore_case=True),
    Column("employeeNumber", _enterprise("employeeNumber"), "Employee number.", example="1001"),
    ManagerColumn("manager", _enterprise("manager"),
                  "The manager's userName or user id (a manager created by the same sync is fine).",
                  example="grace@example.com"),
    Column("dateHire", _enterprise("dateHire"), "Hire date, YYYY-MM-DD.", example="2024-03-01", check=_date),
    RolesColumn("roles", _core("roles"), "Role names separated by `;` (compared without regard to order or case).",
                example="employee;Agent"),
    LevelsColumn("skills", _genesys("routingSkills"),
                 "Routing skills as name:proficiency (0-5) separated by `;`.", example="Sales:3;Billing:4.5"),
    LevelsColumn("languages", _genesys("routingLanguages"),
                 "Routing languages as name:proficiency (0-5) separated by `;`.", example="English:5"),
)
BY_NAME = {c.name.lower(): c for c in COLUMNS}
NAMES = tuple(c.name for c in COLUMNS)
# accepted in input files and ignored: `id` (exports have it), `error` (failure files have it)
IGNORED = ("id", "error")
# Every attribute the columns read, for `attributes=` (keeps Genesys' secondary lookups bounded)
ATTRIBUTES = list(dict.fromkeys(["userName", "active"] + [c.attribute for c in COLUMNS]))


def column(name: str) -> Column | None:
    return BY_NAME.get(name.lower())


def flatten(user: dict[str, Any]) -> dict[str, Any]:
    """A wire-form user -> {column name: canonical value} for every column."""
    return {c.name: c.read(user) for c in COLUMNS}


def cells(user: dict[str, Any], names: tuple[str, ...] = NAMES,
          manager_names: dict[str, str] | None = None) -> dict[str, str]:
    """A wire-form user as text cells; managers shown by userName when `manager_names` knows them."""
    row = {}
    for name in names:
        col = BY_NAME[name.lower()]
        value = col.read(user)
        if name == "manager" and value and manager_names:
            value = manager_names.get(value, value)
        row[name] = col.text(value)
    return row


def creation_body(values: dict[str, Any]) -> dict[str, Any]:
    """A `ScimV2CreateUser` wire body from canonical values (manager already a user id)."""
    body: dict[str, Any] = {"schemas": [USER.urn]}
    for col in COLUMNS:
        value = values.get(col.name)
        if value is not None:
            col.put(body, value)
    body.setdefault("active", True)
    body["schemas"] += [urn for urn in scim_schema.RESOURCE_TYPES["User"].urns[1:] if urn in body]
    return body


def changes(current: dict[str, Any], desired: dict[str, Any]) -> list[tuple[Column, Any, Any]]:
    """(column, current value, new value) for each column of `desired` that differs.

    `desired` holds only the columns to manage; None there clears a clearable column and
    leaves the others alone.
    """
    out = []
    for col in COLUMNS:
        if col.name not in desired:
            continue
        new = desired[col.name]
        if new is None and not col.clearable:
            continue
        old = col.read(current)
        if not col.same(old, new):
            out.append((col, old, new))
    return out


def patch_operations(diff: list[tuple[Column, Any, Any]]) -> list[Op]:
    ops: list[Op] = []
    for col, _old, new in diff:
        ops += col.operations(new)
    return ops
