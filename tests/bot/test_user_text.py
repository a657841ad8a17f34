"""Typed text is stored plainly and echoed so that nothing in it can break a message."""

from __future__ import annotations

from bot.user_text import echo, excerpt, from_slack, quote, shorten


def test_slack_entities_become_the_characters_that_were_typed():
    assert from_slack("a &lt; b &amp;&amp; c &gt; d") == "a < b && c > d"


def test_people_and_channels_stay_references_without_their_labels():
    assert from_slack("thanks <@U123ABC|ravi> in <#C0LAUNCH|launch>") == (
        "thanks <@U123ABC> in <#C0LAUNCH>"
    )


def test_special_mentions_become_plain_words_that_ping_nobody():
    text = from_slack("<!channel> <!here|here> <!subteam^S123|@devs> <!everyone>")
    assert text == "@channel @here @devs @everyone"
    assert "<!" not in echo(text)


def test_links_keep_their_address_not_a_label_that_could_disguise_it():
    assert from_slack("see <https://example.com/a?b=1&amp;c=2|the doc>") == (
        "see https://example.com/a?b=1&c=2"
    )


def test_echo_escapes_everything_except_people_and_channels():
    text = "fixed <b>&</b> for <@U123ABC> in <#C0LAUNCH> <!channel> <https://x.io|y>"
    assert echo(text) == (
        "fixed &lt;b&gt;&amp;&lt;/b&gt; for <@U123ABC> in <#C0LAUNCH> "
        "&lt;!channel&gt; &lt;https://x.io|y&gt;"
    )


def test_shortening_never_cuts_a_reference_in_half():
    text = "great work with <@U123ABC> on the launch"
    assert shorten(text, 20) == "great work with…"
    assert shorten(text, 200) == text
    assert shorten("line one\n\nline two", 100) == "line one line two"


def test_an_excerpt_is_safe_and_short():
    assert excerpt("<script>" * 100, 20) == "&lt;script&gt;&lt;script&gt;…"


def test_quotes_mark_every_line_and_escape_the_typed_ones():
    assert quote("first\n\n> not a quote\n<!here>") == (
        ">first\n>\n>&gt; not a quote\n>&lt;!here&gt;"
    )


def test_a_mention_typed_by_hand_never_becomes_a_live_one():
    typed = from_slack("ping &lt;@U123ABC&gt; and &lt;#C0LAUNCH&gt; and &lt;!channel&gt;")

    shown = str(echo(typed))
    assert "<@U123ABC>" not in shown and "<#C0LAUNCH>" not in shown and "<!channel>" not in shown
    assert "@U123ABC" in shown  # still readable as what was typed
