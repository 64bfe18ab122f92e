"""The tables of the data contract (``DATA_CONTRACT.md``) as the ingest stage sees them.

Each table lists its required and optional input columns, which of them are
timestamps or integers, the columns that identify a row (a second row with the
same identity is a duplicate or a conflicting duplicate), and the SQL that
checks, looks up and stores it (``queries/ingest/<table>_checked.sql``,
``<table>_stored.sql`` and ``<table>.sql``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["TableSpec", "CONTRACT", "TABLE_NAMES", "table_from_name", "known_columns"]


@dataclass(frozen=True)
class TableSpec:
    """One input table of the data contract."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]
    """Columns that identify a row."""
    types: Mapping[str, str] = field(default_factory=dict)
    """Columns that are not text: ``timestamp`` or ``integer``."""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


CONTRACT: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "accounts",
            required=("account_id", "created_at"),
            optional=("org_id", "email_domain", "country", "tier", "status"),
            key=("account_id",),
            types={"created_at": "timestamp"},
        ),
        TableSpec(
            "payment_methods",
            required=("account_id", "payment_fingerprint"),
            optional=("method_type", "card_bin", "billing_country", "added_at"),
            key=("account_id", "payment_fingerprint"),
            types={"added_at": "timestamp"},
        ),
        TableSpec(
            "requests",
            required=("request_id", "account_id", "ts", "ip"),
            optional=(
                "device_fingerprint", "user_agent", "api_key_id", "model", "prompt",
                "prompt_template_id", "prompt_tokens", "completion_tokens",
            ),
            key=("request_id",),
            types={"ts": "timestamp", "prompt_tokens": "integer", "completion_tokens": "integer"},
        ),
        TableSpec(
            "ip_intel",
            required=("cidr",),
            optional=("asn", "as_org", "ip_type"),
            key=("cidr",),
            types={"asn": "integer"},
        ),
        TableSpec(
            "labels",
            required=("account_id", "label"),
            optional=("campaign_id", "source", "labeled_at"),
            key=("account_id", "source"),
            types={"labeled_at": "timestamp"},
        ),
    )
}

TABLE_NAMES: tuple[str, ...] = tuple(CONTRACT)

# A name says its table when it is the table's name, alone or followed by a
# separator and anything: requests.csv, requests-2026-11-23, payment_methods_w47.
_NAME_RE = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, TABLE_NAMES), key=len, reverse=True)) + r")(?:$|[^a-z0-9])"
)


def table_from_name(name: str) -> str | None:
    """The contract table a file or folder name stands for, or ``None``.

    >>> table_from_name("requests-2026-11-23")
    'requests'
    >>> table_from_name("Payment_Methods") is None
    False
    >>> table_from_name("part-0001") is None
    True
    """
    m = _NAME_RE.match(name.lower())
    return m.group(1) if m else None


def known_columns() -> frozenset[str]:
    """Every column name of every contract table (valid targets of a column mapping)."""
    return frozenset(c for spec in CONTRACT.values() for c in spec.columns)
