from __future__ import annotations

import json
import urllib.request

from gunicorn.config import Backlog

from bot.web import BACKLOG
from devtools.cast import MAYA
from devtools.harness import Sprout


def test_healthz_says_the_database_answers(sprout: Sprout):
    with urllib.request.urlopen(f"{sprout.base}/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True, "database": True}


def test_unknown_paths_are_404(sprout: Sprout):
    request = urllib.request.Request(f"{sprout.base}/nope")
    try:
        urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        raise AssertionError("expected 404")


def test_forty_requests_at_once_are_all_answered_none_reset(sprout: Sprout):
    """socketserver's listen backlog of 5 reset about half of such a burst."""
    burst = [sprout.command_body(MAYA.user_id, "/coach", "help") for _ in range(40)]

    replies = sprout.at_once(burst)

    assert [reply.status for reply in replies] == [200] * len(burst)


def test_the_backlog_is_gunicorns():
    assert Backlog.default == BACKLOG
