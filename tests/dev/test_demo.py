"""`make demo` runs the whole script and ends with the Home tab of a manager and a member."""

from __future__ import annotations

import pytest

from bot.dev import demo


def test_the_demo_ends_with_maya_and_ravi_opening_their_home_tab(
    capsys: pytest.CaptureFixture[str],
):
    assert demo.main() == 0
    out = capsys.readouterr().out
    maya = out.index("Maya: (opens Sprout's Home tab)")
    ravi = out.index("Ravi: (opens Sprout's Home tab)")
    assert maya < ravi
    maya_home, ravi_home = out[maya:ravi], out[ravi:]
    assert "(Home tab):" in maya_home and "Your team (3)" in maya_home
    assert "[Give feedback]" in maya_home
    assert "Your priorities" in ravi_home and "Ship the billing page" in ravi_home
    assert "Your team" not in ravi_home
