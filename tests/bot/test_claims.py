"""Ids that come back from Slack are read the same way everywhere, whatever a client sends."""

from __future__ import annotations

import pytest

from bot.claims import ID_LIMIT, claimed_id


def test_a_plain_id_is_read():
    assert claimed_id("42") == 42
    assert claimed_id(str(ID_LIMIT)) == ID_LIMIT


@pytest.mark.parametrize("text", ["", "-1", "4 2", "²", "٤٢", "1e3", str(ID_LIMIT + 1), "9" * 40])
def test_anything_that_cannot_name_a_row_names_nothing(text: str):
    assert claimed_id(text) is None
