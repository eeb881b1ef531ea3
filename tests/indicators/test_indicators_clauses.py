"""Tests for analysis.indicators.clauses: clause and sentence scans against plain loops."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators.clauses import BOUNDARY, SENT_END_RE, clause_start, is_boundary, post_end, sentence_ends
from analysis.numbers import normalize_width

from .helpers import as_read, fast_text


def _clause_start_reference(t: str, pos: int, limit: int = 60) -> int:
    lo, depth, i = max(0, pos - limit), 0, pos - 1
    while i >= lo:
        if t[i] in BOUNDARY and is_boundary(t, i):
            return i + 1
        if t[i] == ")":
            depth += 1
        elif t[i] == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        i -= 1
    return lo


def _post_end_reference(t: str, pos: int, stop: int, limit: int = 40) -> int:
    hi, depth, i = min(len(t), pos + limit, stop), 0, pos
    while i < hi:
        if t[i] in BOUNDARY and is_boundary(t, i):
            break
        if t[i] == "(":
            depth += 1
        elif t[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i


_CLAUSE_TEXT = st.lists(st.sampled_from(list(",;:!?。\n()1234 ,的立案宗") + ["1,2", "(1)", "((", "))"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(fast_text(), _CLAUSE_TEXT), st.data())
def test_fast_clause_scans_equal_reference(text: str, data: st.DataObject) -> None:
    t = normalize_width(as_read(text))
    assert sentence_ends(t) == [m.start() for m in SENT_END_RE.finditer(t)]
    for pos in range(len(t) + 1):
        assert clause_start(t, pos) == _clause_start_reference(t, pos)
        limit = data.draw(st.integers(0, 70))
        assert clause_start(t, pos, limit) == _clause_start_reference(t, pos, limit)
        stop = data.draw(st.integers(-2, len(t) + 2))
        assert post_end(t, pos, stop) == _post_end_reference(t, pos, stop)


def test_thousands_comma_is_no_boundary() -> None:
    assert not is_boundary("1,236", 1)
    assert is_boundary("1,a", 1) and is_boundary(",1", 0)
