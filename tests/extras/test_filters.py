"""filters: the text it builds, its escaping (checked with an independent RFC 7644 parser, the
sandbox's), precedence (checked by evaluating both sides), and what it refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.filters import F, Filter, and_, enterprise, genesys, not_, or_
from PureCloudPlatformClientV2.models import ScimEmail, ScimV2CreateUser, ScimV2EnterpriseUser
from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.sandbox import filters as rfc

from ..servers import Reply

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"


@pytest.mark.parametrize(
    ("built", "text"),
    [
        (F("userName").eq("jane@example.com"), 'userName eq "jane@example.com"'),
        (F("userName").eq('a"b@x.com'), r'userName eq "a\"b@x.com"'),
        (F("title").ne("Agent"), 'title ne "Agent"'),
        (F("userName").co("jane"), 'userName co "jane"'),
        (F("userName").sw("j"), 'userName sw "j"'),
        (F("userName").ew("@example.com"), 'userName ew "@example.com"'),
        (F("meta.version").gt(3), "meta.version gt 3"),
        (F("x").ge(-1.5), "x ge -1.5"),
        (F("x").lt(10**20), "x lt 100000000000000000000"),
        (F("x").le("m"), 'x le "m"'),
        (F("title").pr(), "title pr"),
        (F("active").eq(False), "active eq false"),
        (F("active").eq(True), "active eq true"),
        (F("manager").eq(None), "manager eq null"),
        (F("meta.lastModified").gt(dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone.utc)),
         'meta.lastModified gt "2024-05-06T07:08:09.123Z"'),
        (F("meta.lastModified").lt(dt.datetime(2024, 5, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
         'meta.lastModified lt "2024-05-06T07:00:00.000Z"'),
        (F("meta.lastModified").ge(dt.datetime(2024, 1, 2)), 'meta.lastModified ge "2024-01-02T00:00:00.000Z"'),
        (enterprise("dateHire").ge(dt.date(2024, 1, 31)), f'{ENTERPRISE}:dateHire ge "2024-01-31"'),
        (F.attr("emails").where(F("type").eq("work")), 'emails[type eq "work"]'),
        (F(f"{ENTERPRISE}:employeeNumber").eq("42"), f'{ENTERPRISE}:employeeNumber eq "42"'),
        (enterprise("employeeNumber").eq("42"), f'{ENTERPRISE}:employeeNumber eq "42"'),
        (enterprise("manager.value").eq("id-1"), f'{ENTERPRISE}:manager.value eq "id-1"'),
        (genesys("externalIds").where(F("authority").eq("hr") & F("value").eq("7")),
         f'{GENESYS}:externalIds[authority eq "hr" and value eq "7"]'),
        (F("displayName").eq("José Ñandú 東京"), 'displayName eq "José Ñandú 東京"'),
        (F("userName").eq("back\\slash"), r'userName eq "back\\slash"'),
        (F("x").eq("tab\tnl\ncr\rnul\x00del\x7fls\u2028"), r'x eq "tab\tnl\ncr\rnul\u0000del\u007fls\u2028"'),
        (F("members.$ref").pr(), "members.$ref pr"),
        (F("x-custom_2").eq(1), "x-custom_2 eq 1"),
    ],
)
def test_builds_the_filter_text(built: Filter, text: str) -> None:
    assert str(built) == text
    assert isinstance(built, str) and built == text
    rfc.parse(built, bare_values=False)  # and it is valid RFC 7644


@pytest.mark.parametrize(
    ("built", "text"),
    [
        (F("a").pr() & F("b").pr(), "a pr and b pr"),
        (F("a").pr() | F("b").pr(), "a pr or b pr"),
        (~F("a").pr(), "not (a pr)"),
        ((F("a").pr() | F("b").pr()) & F("c").pr(), "(a pr or b pr) and c pr"),
        (F("a").pr() & F("b").pr() | F("c").pr(), "a pr and b pr or c pr"),
        (F("a").pr() | F("b").pr() & F("c").pr(), "a pr or b pr and c pr"),
        (F("a").pr() & (F("b").pr() & F("c").pr()), "a pr and b pr and c pr"),
        (F("a").pr() | (F("b").pr() | F("c").pr()), "a pr or b pr or c pr"),
        (~(F("a").pr() | F("b").pr()), "not (a pr or b pr)"),
        (~~F("a").pr(), "not (not (a pr))"),
        (and_(F("a").pr(), or_(F("b").pr(), F("c").pr()), not_(F("d").pr())), "a pr and (b pr or c pr) and not (d pr)"),
        (or_(F("a").pr()), "a pr"),
        (F("emails").where(F("type").eq("work") | F("primary").eq(True)) & F("active").eq(True),
         'emails[type eq "work" or primary eq true] and active eq true'),
        (Filter('userName eq "x" or title pr') & F("active").eq(True),
         '(userName eq "x" or title pr) and active eq true'),
    ],
)
def test_combines_with_the_parentheses_precedence_needs(built: Filter, text: str) -> None:
    assert built == text


# -- escaping and precedence, checked against an independent parser -----------------------
@given(st.text())
def test_any_text_value_reaches_the_server_unchanged(value: str) -> None:
    parsed = rfc.parse(F("userName").eq(value), bare_values=False)
    assert parsed == rfc.Compare(rfc.AttrPath("userName"), "eq", value)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_json_literals_reach_the_server_unchanged(value: Any) -> None:
    parsed = rfc.parse(F("x").eq(value), bare_values=False)
    assert isinstance(parsed, rfc.Compare) and parsed.value == value and type(parsed.value) is type(value)


ATTRS = ["a", "b", "c", "d"]


def expressions() -> st.SearchStrategy[tuple[Filter, Callable[[dict[str, bool]], bool]]]:
    """Random and/or/not trees, each paired with what it means as a Python predicate."""
    atoms = st.builds(lambda name, flag: (F(name).eq(flag), lambda r, n=name, f=flag: r[n] == f),
                      st.sampled_from(ATTRS), st.booleans())

    def combine(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        pairs = st.lists(children, min_size=2, max_size=3)
        return st.one_of(
            pairs.map(lambda items: (and_(*(f for f, _ in items)), lambda r, i=items: all(p(r) for _, p in i))),
            pairs.map(lambda items: (or_(*(f for f, _ in items)), lambda r, i=items: any(p(r) for _, p in i))),
            pairs.map(lambda items: (items[0][0] & items[1][0], lambda r, i=items: i[0][1](r) and i[1][1](r))),
            pairs.map(lambda items: (items[0][0] | items[1][0], lambda r, i=items: i[0][1](r) or i[1][1](r))),
            children.map(lambda item: (~item[0], lambda r, i=item: not i[1](r))),
        )

    return st.recursive(atoms, combine, max_leaves=12)


@given(expressions(), st.fixed_dictionaries({name: st.booleans() for name in ATTRS}))
def test_combined_filters_mean_what_the_python_expression_means(expression: Any, resource: dict[str, bool]) -> None:
    built, meaning = expression
    assert rfc.matches(rfc.parse(built, bare_values=False), resource) == meaning(resource)


# -- refusals ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["", " ", "1abc", "user name", 'userName eq "x"', "a.b.c", 'emails[type eq "work"]', "urn:foo",
     "userName)", "userName\n", "-x", "a.", ".a", "a..b", "userName or title pr", "urn:x:y:", "a.$ref.b", "$ref", "é"],
)
def test_invalid_attribute_paths_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="attribute"):
        F(name)


@pytest.mark.parametrize("name", ["", "a b", "manager.value.x", f"{ENTERPRISE}:department"])
def test_invalid_extension_attribute_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        enterprise(name)
    with pytest.raises(ValueError):
        genesys(name)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: F("x").co(1), TypeError),
        (lambda: F("x").sw(None), TypeError),
        (lambda: F("x").gt(True), TypeError),
        (lambda: F("x").le(None), TypeError),
        (lambda: F("x").eq(float("nan")), ValueError),
        (lambda: F("x").eq(float("inf")), ValueError),
        (lambda: F("x").eq(b"bytes"), TypeError),
        (lambda: F("x").eq(["list"]), TypeError),
        (lambda: F("x").eq(object()), TypeError),
        (lambda: F(42), TypeError),
        (lambda: F("x").pr() & 'title pr', TypeError),
        (lambda: 'title pr' | F("x").pr(), TypeError),
        (lambda: and_(F("x").pr(), 'title pr'), TypeError),
        (lambda: not_('title pr'), TypeError),
        (lambda: and_(), ValueError),
        (lambda: F("emails").where('type eq "work"'), TypeError),
        (lambda: F("emails.value").where(F("type").eq("work")), ValueError),
        (lambda: F("a").where(F("b").where(F("c").pr())), ValueError),
        (lambda: F("a").where(~F("b").where(F("c").pr())), ValueError),
    ],
)
def test_wrong_values_and_operands_are_refused(make: Callable[[], Any], error: type) -> None:
    with pytest.raises(error):
        make()


def test_repr_shows_the_text() -> None:
    assert repr(F("userName")) == "F('userName')"
    assert repr(F("userName").eq("x")) == """Filter('userName eq "x"')"""


# -- on the wire and against a server -------------------------------------------------------
def test_a_filter_is_sent_exactly_as_built(serve: Any) -> None:
    api, server = serve(default=Reply.json({"totalResults": 0, "Resources": []}))
    tricky = F("userName").eq('a"b\\c & d=e?f#g%20 é') | F("title").sw("x+y")
    api.get_scim_v2_users(tricky)
    (request,) = server.requests
    assert request.query["filter"] == str(tricky)


def test_fstring_injection_selects_everyone_but_the_builder_selects_nobody() -> None:
    crafted = 'nobody@example.com" or userName pr or userName eq "'
    with Sandbox(serve=False) as sandbox:
        api: SCIMApi = sandbox.api
        for name in ("alice", "bob"):
            api.post_scim_v2_users(ScimV2CreateUser(user_name=f"{name}@example.com", display_name=name))
        unsafe = api.get_scim_v2_users(f'userName eq "{crafted}"')
        safe = api.get_scim_v2_users(F("userName").eq(crafted))
    assert unsafe.total_results == 2
    assert safe.total_results == 0


def test_value_paths_and_extensions_select_on_the_sandbox() -> None:
    with Sandbox(serve=False) as sandbox:
        api = sandbox.api
        body = ScimV2CreateUser(user_name="jane@example.com", display_name="Jane",
                                emails=[ScimEmail(value="jane.work@corp.example", type="work")])
        body.urnietfparamsscimschemasextensionenterprise2_0_user = ScimV2EnterpriseUser(employee_number="42")
        jane = api.post_scim_v2_users(body)
        api.post_scim_v2_users(ScimV2CreateUser(user_name="joe@example.com", display_name="Joe"))
        queries = [
            F("emails").where(F("type").eq("work") & F("value").ew("@corp.example")),
            enterprise("employeeNumber").eq("42"),
            F("userName").eq("jane@example.com") & ~F("displayName").eq("Joe"),
            F("displayName").sw("Ja") | F("displayName").eq("nobody"),
        ]
        for query in queries:
            assert [u.id for u in api.get_scim_v2_users(query).resources] == [jane.id], query
