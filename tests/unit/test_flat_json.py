"""The CLI's fast JSON for lists of flat objects writes exactly what json.dumps(indent=2) does."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from invdesk.cli.output import flat_json

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12)
)


@given(st.lists(st.dictionaries(st.text(max_size=6), SCALARS, min_size=1), min_size=1))
def test_flat_json_is_json_dumps_with_indent(document):
    assert flat_json(document) == json.dumps(document, indent=2, ensure_ascii=False)


def test_anything_nested_or_empty_is_left_to_json():
    assert flat_json([{"a": [1, 2]}]) is None
    assert flat_json([{}]) is None
    assert flat_json([]) is None
    assert flat_json({"a": 1}) is None
    assert flat_json([{"quote": 'say "hi"\n', "é": "ü\u2028"}]) == json.dumps(
        [{"quote": 'say "hi"\n', "é": "ü\u2028"}], indent=2, ensure_ascii=False
    )
