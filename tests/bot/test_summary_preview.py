"""`/coach summary`: a preview for a manager, and a pointer to `/team add` for anyone else."""

from __future__ import annotations

import pytest

from bot import summary_preview
from bot.refusal import Refusal
from devtools.cast import MAYA, RAVI


def test_a_manager_gets_a_preview_queued_to_send_at_once(act, build_team):
    build_team(MAYA, RAVI)
    outcome = act(summary_preview.send_preview, MAYA)
    assert len(outcome.send) == 1 and "preview" in outcome.text


def test_someone_without_reports_is_told_how_to_build_a_team(act):
    with pytest.raises(Refusal) as refused:
        act(summary_preview.send_preview, RAVI)
    assert "/team add" in refused.value.render()
