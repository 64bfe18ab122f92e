"""Every SQL file declares exactly the parameters it uses, and names its inputs."""

from __future__ import annotations

import re

import pytest

from graphlink.db import load_query, queries_dir

SQL_FILES = sorted(queries_dir().rglob("*.sql"))


def _name(path):
    return path.relative_to(queries_dir()).with_suffix("").as_posix()


def test_queries_are_found():
    assert SQL_FILES, f"no SQL files under {queries_dir()}"
    assert any(_name(p).startswith("schema/") for p in SQL_FILES)


@pytest.mark.parametrize("path", SQL_FILES, ids=_name)
def test_header_declares_params_and_inputs(path):
    q = load_query(_name(path))
    header = q.sql.split("\n\n", 1)[0]
    assert re.search(r"^--\s*params:", q.sql, re.MULTILINE), f"{path} has no '-- params:' line"
    assert re.search(r"^--\s*inputs:", q.sql, re.MULTILINE), f"{path} has no '-- inputs:' line"
    assert header.startswith("-- "), f"{path} does not start with a header comment"
    assert q.declared == q.used, (
        f"{path}: declares {sorted(q.declared)} but uses {sorted(q.used)}"
    )


def test_param_parser_sees_through_comments_and_strings():
    from graphlink.db import Query, _PARAM_RE, _strip_comments

    sql = "-- params: $a\nSELECT $a, '$not_a_param', x -- $nor_this\n"
    assert set(_PARAM_RE.findall(_strip_comments(sql))) == {"a"}


def test_apostrophe_in_comment_does_not_hide_params():
    from graphlink.db import _PARAM_RE, _strip_comments

    sql = "-- the account's window\nSELECT $since, '--not a comment', $until -- it's fine\n"
    assert set(_PARAM_RE.findall(_strip_comments(sql))) == {"since", "until"}
