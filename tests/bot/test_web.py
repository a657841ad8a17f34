from __future__ import annotations

import json
import urllib.request

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
