from __future__ import annotations

import urllib.request

from devtools.cast import JULES, MAYA
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack


def scrape(sprout: Sprout) -> str:
    with urllib.request.urlopen(f"{sprout.base}/metrics", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()


def test_metrics_count_requests_ack_latency_the_outbox_and_429s(sprout: Sprout, slack: LocalSlack):
    slack.fail("chat.postMessage", status=429, retry_after=1)
    sprout.command(MAYA.user_id, "/team", f"add <@{JULES.user_id}>")

    text = scrape(sprout)

    assert 'sprout_http_requests_total{path="/slack/events",status="200"} 1' in text
    assert 'sprout_ack_seconds_bucket{le="+Inf"} 1' in text and "sprout_ack_seconds_sum" in text
    assert "sprout_outbox_planned_total 1" in text
    assert "sprout_outbox_sent_total 1" in text
    assert "sprout_slack_ratelimited_total 1" in text
    assert "# TYPE sprout_ack_seconds histogram" in text
