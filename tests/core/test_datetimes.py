"""Date-times as Genesys and RFC 7643 write them parse to the same instant on every supported
Python (3.10's `fromisoformat` reads neither `Z` nor fractions other than 3 or 6 digits)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from PureCloudPlatformClientV2._decode import DecodeError, _parse_iso_8601, decoder_for, parse_datetime
from PureCloudPlatformClientV2.models import ScimMetadata
from PureCloudPlatformClientV2.rest import ApiException

from ..servers import Reply, ScriptedServer

UTC = dt.timezone.utc
AT = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-06T07:08:09.123Z", AT.replace(microsecond=123000)),
    ("2024-05-06T07:08:09.12Z", AT.replace(microsecond=120000)),
    ("2024-05-06T07:08:09.1Z", AT.replace(microsecond=100000)),
    ("2024-05-06T07:08:09.1234567Z", AT.replace(microsecond=123456)),  # .NET's 7 digits: cut, not rounded
    ("2024-05-06T07:08:09.123456789Z", AT.replace(microsecond=123456)),
    ("2024-05-06T07:08:09.9999999Z", AT.replace(microsecond=999999)),
    ("2024-05-06T07:08:09Z", AT),
    ("2024-05-06T07:08:09z", AT),
    ("2024-05-06t07:08:09Z", AT),
    ("2024-05-06T07:08:09", AT),  # no zone: UTC
    ("2024-05-06T09:08:09.5+02:00", AT.replace(microsecond=500000)),
    ("2024-05-06T09:08:09+0200", AT),
    ("2024-05-06T09:08:09+02", AT),
    ("2024-05-06T01:38:09.1234567-05:30", AT.replace(microsecond=123456)),
    ("2024-05-06T07:08:09-00:00", AT),
    ("2024-05-06T07:08Z", AT.replace(second=0)),
    ("2024-05-06", AT.replace(hour=0, minute=0, second=0)),
])
def test_every_form_parses_to_the_instant_it_names(text: str, expected: dt.datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected and parsed.utcoffset() is not None
    assert _parse_iso_8601(text).replace(tzinfo=parsed.tzinfo or UTC) == expected  # the fallback agrees


@pytest.mark.parametrize("text", ["yesterday", "2024-02-30T00:00:00Z", "2024-05-06T25:00:00Z",
                                  "2024-05-06T07:08:09+24:00", "2024-5-6T07:08:09Z", "2024-05-06T07:08:09.123+2", "",
                                  "2024-05-06T07:08:09.123 Z"])
def test_what_is_not_a_date_time_is_refused_naming_the_text(text: str) -> None:
    with pytest.raises(DecodeError, match="not an ISO 8601 date-time"):
        parse_datetime(text)


@pytest.mark.parametrize(("text", "expected"), [("2024-05-06", dt.date(2024, 5, 6)),
                                                ("2024-05-06T07:08:09.1234567Z", dt.date(2024, 5, 6))])
def test_a_declared_date_takes_a_date_alone_or_the_date_of_a_date_time(text: str, expected: dt.date) -> None:
    assert decoder_for("date")(text) == expected


def test_a_response_with_two_digit_and_seven_digit_fractions_decodes(server: ScriptedServer) -> None:
    # before: on 3.10 the whole response became a ResponseFormatError
    from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

    from ..conftest import client_for

    user = {"id": "u-1", "userName": "ada@example.com", "meta": {"lastModified": "2024-05-06T07:08:09.12Z"}}
    server.reply(Reply.json(user))
    server.reply(Reply.json({**user, "meta": {"lastModified": "2024-05-06T07:08:09.1234567Z"}}))
    with client_for(server) as client:
        api = SCIMApi(client)
        try:
            first, second = api.get_scim_v2_user("u-1"), api.get_scim_v2_user("u-1")
        except ApiException as error:  # pragma: no cover - the failure this test guards against
            pytest.fail(f"the response did not decode: {error}")
    assert first.meta.last_modified == AT.replace(microsecond=120000)
    assert second.meta.last_modified == AT.replace(microsecond=123456)
    assert ScimMetadata.from_wire({"lastModified": "2024-05-06T07:08:09.1234567Z"}).to_wire() == {
        "lastModified": "2024-05-06T07:08:09.123Z"}


# -- the property: each form written from an instant parses back to that instant ------------------
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m))
instants = st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2200, 12, 30), timezones=st.just(UTC))


def _zone_text(offset: dt.timedelta, style: str) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"{sign}{hours:02d}:{rest:02d}" if style == "colon" else f"{sign}{hours:02d}{rest:02d}"


@given(instant=instants, offset=offsets, zone=st.sampled_from(["Z", "z", "none", "colon", "compact"]),
       digits=st.integers(min_value=0, max_value=9), beyond=st.text("0123456789", min_size=3, max_size=3))
def test_any_instant_written_in_any_form_parses_to_the_same_instant(instant: dt.datetime, offset: dt.timedelta,
                                                                     zone: str, digits: int, beyond: str) -> None:
    local = instant.astimezone(dt.timezone(offset)) if zone in ("colon", "compact") else instant
    fraction_digits = (f"{instant.microsecond:06d}" + beyond)[:digits]
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction_digits}" if digits else "")
    text += _zone_text(offset, zone) if zone in ("colon", "compact") else {"Z": "Z", "z": "z", "none": ""}[zone]
    expected = instant.replace(microsecond=int(fraction_digits[:6].ljust(6, "0")))
    parsed = parse_datetime(text)
    assert parsed == expected, text
    assert parsed.utcoffset() == (offset if zone in ("colon", "compact") else dt.timedelta(0)), text
