"""The SQL macros of queries/schema/00_macros.sql against Python's own answers.

IP parsing and normalising are checked against :mod:`ipaddress` on addresses
of every shape (IPv4, compressed / exploded / upper-case IPv6, embedded IPv4,
``::``) and on random strings that are mostly not addresses; timestamps,
integers, the Luhn check and card masking on hand-worked examples and
properties.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graphlink.db import Database

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def db():
    with Database(":memory:") as database:
        yield database


def one(db, sql, *params):
    return db.execute(sql, list(params)).fetchone()[0]


def expected_address(text: str):
    """What ip_parse should say about *text*: (version, integer) or None, per ipaddress."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.version, int(ip)


def parse(db, text):
    row = db.execute("SELECT p.version, p.num, ip_normalise($1) FROM (SELECT ip_parse($1) AS p)", [text]).fetchone()
    return None if row[0] is None else (row[0], int(row[1])), row[2]


# -- shapes of valid addresses ---------------------------------------------


def _v6_texts(ip: ipaddress.IPv6Address, draw) -> str:
    """One of the many ways to write *ip*."""
    groups = [f"{(int(ip) >> (16 * (7 - i))) & 0xFFFF:x}" for i in range(8)]
    style = draw(st.sampled_from(["compressed", "exploded", "padded", "random_run", "embedded_v4"]))
    if style == "compressed":
        text = ip.compressed
    elif style == "exploded":
        text = ip.exploded
    elif style == "padded":
        text = ":".join(g.zfill(draw(st.integers(len(g), 4))) for g in groups)
    elif style == "random_run":
        # compress any run of zero groups (not necessarily the longest)
        runs = [(i, j) for i in range(8) for j in range(i + 1, 9) if all(g == "0" for g in groups[i:j])]
        if not runs:
            text = ":".join(groups)
        else:
            i, j = draw(st.sampled_from(runs))
            text = ":".join(groups[:i]) + "::" + ":".join(groups[j:])
    else:
        v4 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        text = ":".join(groups[:6]) + ":" + str(v4)
    if draw(st.booleans()):
        text = text.upper()
    return text


@st.composite
def v6_text(draw):
    ip = draw(st.one_of(
        st.ip_addresses(v=6),
        st.builds(ipaddress.IPv6Address, st.sampled_from([0, 1, 0xFFFF << 32 | 0x01020304, 1 << 112, (1 << 128) - 1])),
        # few non-zero groups, so zero runs of every length occur
        st.builds(
            lambda vals, where: ipaddress.IPv6Address(sum(v << (16 * (7 - w)) for v, w in zip(vals, where))),
            st.lists(st.integers(0, 0xFFFF), min_size=0, max_size=3),
            st.lists(st.integers(0, 7), min_size=3, max_size=3, unique=True),
        ),
    ))
    return _v6_texts(ip, draw)


@SETTINGS
@given(st.ip_addresses(v=4))
def test_ipv4_parses_to_its_integer_and_text(db, ip):
    assert parse(db, str(ip)) == ((4, int(ip)), str(ip))


@SETTINGS
@given(v6_text())
def test_ipv6_of_every_shape_matches_ipaddress(db, text):
    ip = ipaddress.ip_address(text)
    got, normal = parse(db, text)
    assert got == expected_address(text)
    if ip.ipv4_mapped is not None:
        assert normal == str(ip.ipv4_mapped)
    else:
        assert normal == ip.compressed


@SETTINGS
@given(st.text(alphabet="0123456789abcdefABCDEFgx:.", max_size=45))
def test_random_strings_are_rejected_exactly_when_ipaddress_rejects_them(db, text):
    got, normal = parse(db, text)
    assert got == expected_address(text)
    assert (normal is None) == (got is None)


@pytest.mark.parametrize("text", [
    "", " 1.2.3.4", "1.2.3.4 ", "01.2.3.4", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1..3.4",
    ":::", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g",
    "1:2:3:4:5:6:7:8::", "::1.2.3.04", "1.2.3.4::", "fe80::1%eth0", "[::1]", "::1/128",
])
def test_invalid_addresses(db, text):
    assert parse(db, text) == (None, None)


@pytest.mark.parametrize("text,version,normal", [
    ("::", 6, "::"),
    ("::1", 6, "::1"),
    ("1::", 6, "1::"),
    ("2001:DB8:0:0:0:0:0:1", 6, "2001:db8::1"),
    ("2001:db8:0:0:1:0:0:1", 6, "2001:db8::1:0:0:1"),     # first of two equal runs
    ("2001:0:0:1:0:0:0:1", 6, "2001:0:0:1::1"),           # the longer run wins
    ("1:0:2:3:4:5:6:7", 6, "1:0:2:3:4:5:6:7"),            # a single zero group stays
    ("1:2:3:4:5:6:7::", 6, "1:2:3:4:5:6:7:0"),
    ("::ffff:192.0.2.1", 4, "192.0.2.1"),                 # IPv4-mapped is IPv4
    ("::192.0.2.1", 6, "::c000:201"),                     # IPv4-compatible stays IPv6
    ("64:ff9b::192.0.2.1", 6, "64:ff9b::c000:201"),
])
def test_hand_worked_addresses(db, text, version, normal):
    (got_version, _), got_normal = parse(db, text)
    assert (got_version, got_normal) == (version, normal)


# -- prefixes and networks ---------------------------------------------------


@SETTINGS
@given(st.ip_addresses())
def test_prefix_is_the_24_or_64_network(db, ip):
    bits = 24 if ip.version == 4 else 64
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip, bits = ip.ipv4_mapped, 24
    want = str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))
    assert one(db, "SELECT ip_prefix(p.version, p.num) FROM (SELECT ip_parse($1) AS p)", str(ip)) == want


@SETTINGS
@given(st.ip_addresses(), st.data())
def test_cidr_matches_ip_network(db, ip, data):
    length = data.draw(st.integers(0, ip.max_prefixlen))
    text = f"{ip}/{length}"
    net = ipaddress.ip_network(text, strict=False)
    row = db.execute(
        "SELECT cidr_text(c), c.version, c.lo, c.hi FROM (SELECT cidr_parse($1) AS c)", [text]
    ).fetchone()
    assert row == (str(net), net.version, int(net.network_address), int(net.broadcast_address))


@pytest.mark.parametrize("text,normal", [
    ("203.0.113.0/24", "203.0.113.0/24"),
    ("203.0.113.77/24", "203.0.113.0/24"),      # host bits cleared
    ("203.0.113.7", "203.0.113.7/32"),           # bare address
    ("2001:DB8::/32", "2001:db8::/32"),
    ("::/0", "::/0"),
    ("0.0.0.0/0", "0.0.0.0/0"),
])
def test_hand_worked_networks(db, text, normal):
    assert one(db, "SELECT cidr_text(cidr_parse($1))", text) == normal


@pytest.mark.parametrize("text", ["203.0.113.0/33", "::/129", "1.2.3.0/", "1.2.3.0/x", "1.2.3.0/24/1", "/24", "1.2.3/24"])
def test_invalid_networks(db, text):
    assert one(db, "SELECT cidr_parse($1)", text) is None


# -- timestamps and integers ---------------------------------------------------


@pytest.mark.parametrize("text,want", [
    ("2026-11-23T10:00:00Z", dt.datetime(2026, 11, 23, 10)),
    ("2026-11-23T10:00:00+02:00", dt.datetime(2026, 11, 23, 8)),
    ("2026-11-23T10:00:00-0530", dt.datetime(2026, 11, 23, 15, 30)),
    ("2026-11-23 10:00:00", dt.datetime(2026, 11, 23, 10)),           # no offset = UTC
    ("2026-11-23T10:00", dt.datetime(2026, 11, 23, 10)),
    ("2026-11-23t10:00:00.250z", dt.datetime(2026, 11, 23, 10, 0, 0, 250000)),
    ("2026-11-23", dt.datetime(2026, 11, 23)),
    ("1795428000", dt.datetime(2026, 11, 23, 10)),                    # epoch seconds
    ("1795428000000", dt.datetime(2026, 11, 23, 10)),                 # epoch milliseconds
    ("1795428000.5", dt.datetime(2026, 11, 23, 10, 0, 0, 500000)),
])
def test_timestamps(db, text, want):
    assert one(db, "SELECT parse_ts($1)", text) == want


@pytest.mark.parametrize("text", [
    "", "yesterday", "2026-13-01", "2026-02-30T00:00:00", "23/11/2026", "2026-11-23T10:00:00+2",
    "infinity", "epoch", "-1", "4102444800", "99999999999999", "1e9",
])
def test_bad_timestamps(db, text):
    assert one(db, "SELECT parse_ts($1)", text) is None


@SETTINGS
@given(st.datetimes(min_value=dt.datetime(1974, 1, 1), max_value=dt.datetime(2099, 1, 1),
                    timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30)),
                                               dt.timezone(dt.timedelta(hours=-8))])))
def test_iso_and_epoch_agree(db, when):
    # from 1973-03-03 on, epoch milliseconds have 12+ digits and are told from seconds
    utc = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    assert one(db, "SELECT parse_ts($1)", when.isoformat()) == utc
    seconds = int(when.timestamp())
    assert one(db, "SELECT parse_ts($1)", str(seconds)) == utc.replace(microsecond=0)
    millis = seconds * 1000 + when.microsecond // 1000
    assert one(db, "SELECT parse_ts($1)", str(millis)) == utc.replace(microsecond=(when.microsecond // 1000) * 1000)


@pytest.mark.parametrize("text,want", [("12", 12), ("-3", -3), ("+4", 4), ("12.0", 12), ("0", 0),
                                       ("1.5", None), ("x", None), ("", None), ("1e3", None), ("12 ", None)])
def test_integers(db, text, want):
    assert one(db, "SELECT parse_int($1)", text) == want


# -- card-like numbers -------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=1, max_size=19))
def test_luhn_matches_the_reference(db, digits):
    assert one(db, "SELECT luhn_valid($1)", digits) == luhn_ok(digits)


@pytest.mark.parametrize("digits,valid", [("4111111111111111", True), ("4111111111111112", False),
                                          ("79927398713", True), ("0", True), ("378282246310005", True)])
def test_luhn_known_numbers(db, digits, valid):
    assert one(db, "SELECT luhn_valid($1)", digits) is valid


@pytest.mark.parametrize("text,masked", [
    ("4111111111111111", "[card ****1111]"),
    ("card 4111 1111 1111 1111 thanks", "card [card ****1111] thanks"),
    ("4111-1111-1111-1111", "[card ****1111]"),
    ("amex 378282246310005.", "amex [card ****0005]."),
    ("x4111111111111111y", "x[card ****1111]y"),
    ("4111111111111112", "4111111111111112"),            # fails Luhn
    ("411111111111", "411111111111"),                    # 12 digits
    ("41111111111111111111", "41111111111111111111"),    # 20 digits, not a card
    ("order 12 then 4111111111111111", "order 12 then [card ****1111]"),
    ("ts 2026-11-23 10:00:00", "ts 2026-11-23 10:00:00"),
    ("", ""),
])
def test_card_mask(db, text, masked):
    assert one(db, "SELECT card_mask($1)", text) == masked


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.text(max_size=20), st.text(max_size=20))
def test_masked_text_never_holds_the_card(db, body, before, after):
    digits = next(body + d for d in "0123456789" if luhn_ok(body + d))
    assume(not (before[-1:].isdigit() or after[:1].isdigit()))
    assume(not any(c in "- " for c in before[-1:] + after[:1]))
    out = one(db, "SELECT card_mask($1)", before + digits + after)
    assert digits not in out
    assert f"[card ****{digits[-4:]}]" in out
