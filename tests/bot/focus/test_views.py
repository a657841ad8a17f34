"""How a manager's Home lists their reports' focuses."""

from __future__ import annotations

from bot.focus.views import DONE, WITH_BUTTONS, home_team
from bot.models import Focus


def test_a_long_team_gives_done_to_the_first_focuses_and_packs_the_rest_as_lines():
    focuses = [(Focus(id=n, report_id=f"U{n:04d}", text=f"thing {n}"), 1) for n in range(1, 26)]
    body = home_team(focuses)
    with_done = [b for b in body if (b.get("accessory") or {}).get("action_id") == DONE]
    assert len(with_done) == WITH_BUTTONS
    assert len(body) < len(focuses)  # the rest share a section or two
    assert "thing 25" in " ".join(b["text"]["text"] for b in body)
