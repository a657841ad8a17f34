"""The HTML page draws messages, modals and home tabs the way Slack lays them out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from devtools.slack_html import (
    Entry,
    Person,
    color_for,
    mrkdwn_to_html,
    render_blocks,
    render_page,
)

RAVI = Person("U1", "Ravi", "Asia/Kolkata", "report")
ANA = Person("U2", "Ana Lima", "America/New_York", "manager")
NOOR = Person("U3", "Noor", "Europe/Berlin")
PEOPLE = [RAVI, ANA, NOOR]

# Tuesday 1 December 2026, 04:04 UTC: 09:34 in Kolkata, 23:04 on Monday in New York.
TUESDAY = datetime(2026, 12, 1, 4, 4, tzinfo=UTC)


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def md(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


VOID = {"meta", "br", "hr", "img", "input", "link"}


class TagChecker(HTMLParser):
    """Collects every tag and fails on ones closed out of order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def check_tags(page: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    return checker


def page_of(*entries: Entry, people: list[Person] = PEOPLE) -> str:
    return render_page(list(entries), people, "A fortnight with Sprout")


def story_of(page: str) -> str:
    """The story part only, so per-person timelines do not count twice."""
    return page.split('<h2 class="part">Per-person timelines</h2>')[0]


def timeline_of(page: str, name: str) -> str:
    for section in re.findall(
        r'<details class="person".*?</details>\n?(?=<details|</main>)', page, re.S
    ):
        if f'<span class="who">{name}</span>' in section:
            return section
    raise AssertionError(f"no timeline for {name}")


# -- mrkdwn ----------------------------------------------------------------------------------------


def test_bold_italic_strike_and_code_become_their_tags() -> None:
    out = mrkdwn_to_html("*done* _soon_ ~never~ `make demo`")
    assert out == "<b>done</b> <i>soon</i> <s>never</s> <code>make demo</code>"


def test_underscores_inside_words_are_not_italic() -> None:
    assert mrkdwn_to_html("see snake_case_name") == "see snake_case_name"


def test_code_blocks_keep_their_text_unformatted() -> None:
    out = mrkdwn_to_html("before\n```*not bold*\n<b>x</b>```\nafter")
    assert '<pre class="code">*not bold*\n&lt;b&gt;x&lt;/b&gt;</pre>' in out
    assert out.startswith("before<pre") and out.endswith("</pre>after")


def test_mentions_become_names_from_the_people_given() -> None:
    out = mrkdwn_to_html("thanks <@U1> and <@U2|ana>, cc <@U9|zed> <@U8>", PEOPLE)
    assert '<span class="mention">@Ravi</span>' in out
    assert '<span class="mention">@Ana Lima</span>' in out
    assert '<span class="mention">@zed</span>' in out
    assert '<span class="mention">@U8</span>' in out


def test_channels_broadcasts_and_links_render_like_slack() -> None:
    out = mrkdwn_to_html(
        "<#C1|general> <!here> <https://example.com/a?b=1&amp;c=2|the doc> <https://x.org>"
    )
    assert '<span class="mention">#general</span>' in out
    assert '<span class="mention">@here</span>' in out
    assert (
        '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">the doc</a>' in out
    )
    assert '<a href="https://x.org" rel="noopener noreferrer">https://x.org</a>' in out


def test_user_groups_dates_and_unknown_specials() -> None:
    out = mrkdwn_to_html("<!subteam^S1|@leads> <!date^1764561600^{date}|Dec 1> <!-- hi -->")
    assert out == ('<span class="mention">@leads</span> Dec 1 &lt;!-- hi --&gt;')


def test_links_with_other_schemes_are_not_links() -> None:
    out = mrkdwn_to_html("<javascript:alert(1)|click me> <javascript:alert(2)>")
    assert "<a " not in out
    assert "click me" in out
    assert "&lt;javascript:alert(2)&gt;" in out


def test_quote_lines_get_a_quote_bar_whether_escaped_or_raw() -> None:
    out = mrkdwn_to_html("Ravi wrote:\n&gt; shipped the thing\n> and tested it\nnice")
    assert out == (
        'Ravi wrote:<blockquote class="quote">shipped the thing<br>and tested it</blockquote>nice'
    )


def test_a_triple_quote_quotes_the_rest_of_the_message() -> None:
    out = mrkdwn_to_html("intro\n>>>one\ntwo")
    assert out == 'intro<blockquote class="quote">one<br>two</blockquote>'


def test_newlines_become_line_breaks_and_slack_escapes_are_undone_once() -> None:
    assert mrkdwn_to_html("a &amp; b\nc &lt; d") == "a &amp; b<br>c &lt; d"
    assert mrkdwn_to_html("&amp;lt;") == "&amp;lt;"


def test_known_emoji_codes_become_unicode_and_unknown_ones_stay() -> None:
    out = mrkdwn_to_html(
        ":tada: :warning: :white_check_mark: :no_entry: :hourglass: :palm_tree: :blob:"
    )
    assert out == "🎉 ⚠️ ✅ ⛔ ⌛ 🌴 :blob:"


def test_script_tags_are_text_whether_escaped_or_raw() -> None:
    out = mrkdwn_to_html("&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script>")
    assert "<script" not in out
    assert out.count("&lt;script&gt;") == 2
    assert "&lt;/script&gt;" in out


def test_private_use_markers_in_text_cannot_pose_as_rendered_fragments() -> None:
    out = mrkdwn_to_html("\ue0000\ue001 <@U1>", PEOPLE)
    assert out == '0 <span class="mention">@Ravi</span>'


# -- blocks ----------------------------------------------------------------------------------------


def test_header_divider_and_section_with_fields_and_a_button_accessory() -> None:
    out = render_blocks(
        [
            {"type": "header", "text": plain("Weekly summary :tada:")},
            {"type": "divider"},
            {
                "type": "section",
                "text": md("*Ravi* finished 2 of 3"),
                "fields": [md("*Done*\n2"), md("*Open*\n1")],
                "accessory": {"type": "button", "text": plain("Give feedback"), "action_id": "fb"},
            },
        ],
        PEOPLE,
    )
    assert '<div class="blk header">Weekly summary 🎉</div>' in out
    assert '<hr class="blk divider">' in out
    assert '<div class="mrkdwn"><b>Ravi</b> finished 2 of 3</div>' in out
    assert (
        '<div class="fields"><div class="field"><b>Done</b><br>2</div>'
        '<div class="field"><b>Open</b><br>1</div></div>'
    ) in out
    assert '<div class="accessory"><span class="btn">Give feedback</span></div>' in out


def test_accessories_can_be_selects_overflows_and_images() -> None:
    out = render_blocks(
        [
            {
                "type": "section",
                "text": md("pick"),
                "accessory": {
                    "type": "static_select",
                    "placeholder": plain("Choose a priority"),
                    "options": [option("One", "1")],
                },
            },
            {
                "type": "section",
                "text": md("more"),
                "accessory": {
                    "type": "overflow",
                    "options": [option("Snooze", "s"), option("Mute <all>", "m")],
                },
            },
            {
                "type": "section",
                "text": md("face"),
                "accessory": {"type": "image", "image_url": "https://x/y.png", "alt_text": "Ravi"},
            },
        ]
    )
    assert '<span class="placeholder">Choose a priority</span>' in out
    assert '<span class="btn overflow" title="Snooze, Mute &lt;all&gt;">⋯</span>' in out
    assert '<span class="img-el" title="Ravi">🖼 Ravi</span>' in out
    assert "https://x/y.png" not in out


def test_context_shows_small_texts_and_images_in_a_row() -> None:
    out = render_blocks(
        [
            {
                "type": "context",
                "elements": [
                    {"type": "image", "image_url": "https://x/a.png", "alt_text": "sprout"},
                    md("Sent by <@U2>"),
                    plain("2 min read"),
                ],
            }
        ],
        PEOPLE,
    )
    assert out == (
        '<div class="blk context"><span class="img-el" title="sprout">🖼 sprout</span>'
        '<span class="ctx-text">Sent by <span class="mention">@Ana Lima</span></span>'
        '<span class="ctx-text">2 min read</span></div>'
    )


def test_action_buttons_carry_their_style() -> None:
    out = render_blocks(
        [
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": plain("Done"), "style": "primary"},
                    {"type": "button", "text": plain("Drop it"), "style": "danger"},
                    {"type": "button", "text": plain("Later")},
                    {"type": "button", "text": plain("Docs"), "url": "https://x.org"},
                    {"type": "button", "text": plain("Odd"), "style": "purple"},
                ],
            }
        ]
    )
    assert '<span class="btn btn-primary">Done</span>' in out
    assert '<span class="btn btn-danger">Drop it</span>' in out
    assert '<span class="btn">Later</span>' in out
    assert '<span class="btn">Docs <span class="external">↗</span></span>' in out
    assert '<span class="btn">Odd</span>' in out


def test_selects_and_pickers_show_the_chosen_value_or_the_placeholder() -> None:
    out = render_blocks(
        [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "static_select",
                        "options": [option("Low", "l"), option("High", "h")],
                        "initial_option": option("High", "h"),
                    },
                    {"type": "users_select", "initial_user": "U1"},
                    {"type": "users_select", "placeholder": plain("Whom?")},
                    {"type": "multi_users_select", "initial_users": ["U2", "U3"]},
                    {"type": "datepicker", "initial_date": "2026-12-04"},
                    {"type": "datepicker", "placeholder": plain("Due when?")},
                    {"type": "timepicker", "initial_time": "09:30"},
                    {"type": "conversations_select", "initial_conversation": "C7"},
                ],
            }
        ],
        PEOPLE,
    )
    assert '<span class="value">High</span>' in out
    assert '<span class="avatar small" style="background:' in out
    assert "</span> Ravi</span>" in out
    assert '<span class="placeholder">Whom?</span>' in out
    assert out.count('<span class="chip">') == 2
    assert '<span class="value">Fri 4 Dec 2026</span>' in out
    assert '<span class="placeholder">Due when?</span>' in out
    assert '<span class="value">09:30</span>' in out
    assert '<span class="value">#C7</span>' in out
    assert out.count('<span class="caret">▾</span>') == 5


def test_image_blocks_show_title_and_alt_text_without_loading_anything() -> None:
    out = render_blocks(
        [
            {
                "type": "image",
                "title": plain("Burndown"),
                "image_url": "https://x/c.png",
                "alt_text": "a chart",
            }
        ]
    )
    assert '<figcaption class="image-title">Burndown</figcaption>' in out
    assert '<div class="image-box">🖼 a chart</div>' in out
    assert "<img" not in out and "https://x/c.png" not in out


def test_rich_text_from_people_renders_styles_mentions_and_lists() -> None:
    out = render_blocks(
        [
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "hey "},
                            {"type": "user", "user_id": "U1"},
                            {"type": "text", "text": " look", "style": {"bold": True}},
                            {"type": "emoji", "name": "tada"},
                        ],
                    },
                    {
                        "type": "rich_text_list",
                        "style": "bullet",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [{"type": "text", "text": "a"}],
                            }
                        ],
                    },
                    {"type": "rich_text_quote", "elements": [{"type": "text", "text": "<q>"}]},
                ],
            }
        ],
        PEOPLE,
    )
    assert 'hey <span class="mention">@Ravi</span><b> look</b>🎉' in out
    assert "<ul><li>a</li></ul>" in out
    assert '<blockquote class="quote">&lt;q&gt;</blockquote>' in out


def test_unknown_blocks_and_elements_show_as_unsupported_not_as_errors() -> None:
    out = render_blocks(
        [
            {"type": "call", "call_id": "<x>"},
            "not a block",
            {"type": "actions", "elements": [{"type": "magic_wand"}]},
        ]
    )
    assert "Unsupported block: call" in out
    assert "&quot;call_id&quot;: &quot;&lt;x&gt;&quot;" in out
    assert "Unsupported block: str" in out
    assert "Unsupported element: magic_wand" in out


# -- the page --------------------------------------------------------------------------------------


def test_the_page_is_complete_balanced_and_has_no_scripts_or_external_assets() -> None:
    page = page_of(
        Entry(TUESDAY, "note", heading="Tuesday: check-ins arrive"),
        Entry(TUESDAY, "action", actor="U1", text="/sprout"),
        Entry(
            TUESDAY, "dm", recipient="U1", text="hi", blocks=[{"type": "section", "text": md("hi")}]
        ),
    )
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>A fortnight with Sprout</title>" in page
    assert "<h1>A fortnight with Sprout</h1>" in page
    assert 'class="legend"' in page and "only visible to you" in page
    tags = check_tags(page).tags
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert "src=" not in page and "@import" not in page and "url(" not in page


def test_an_action_shows_avatar_name_role_and_the_actors_local_time() -> None:
    page = page_of(Entry(TUESDAY, "action", actor="U1", text="clicked *Done* on <@U2>'s digest"))
    story = story_of(page)
    assert f'<span class="avatar" style="background:{color_for("U1")}">R</span>' in story
    assert '<span class="who">Ravi</span> <span class="tag role">report</span>' in story
    assert ">Tue 1 Dec 09:34 · Kolkata</time>" in story
    assert '<time datetime="2026-12-01T04:04:00+00:00">' in story
    assert 'clicked <b>Done</b> on <span class="mention">@Ana Lima</span>&#x27;s digest' in story


def test_slash_commands_are_monospace_with_mentions_as_names() -> None:
    page = page_of(
        Entry(TUESDAY, "action", actor="U2", text="/team add <@U1|ravi> &amp; *friends*")
    )
    assert (
        '<code class="command">/team add <span class="mention">@Ravi</span> &amp; *friends*</code>'
        in page
    )
    assert ">Mon 30 Nov 23:04 · New York</time>" in page
    assert '<span class="avatar" style="background:' + color_for("U2") + '">AL</span>' in page


def test_a_dm_is_from_the_sprout_app_to_the_recipient_in_their_local_time() -> None:
    page = page_of(
        Entry(
            TUESDAY,
            "dm",
            recipient="U1",
            text="Your check-in",
            blocks=[{"type": "section", "text": md("How is *it* going?")}],
        )
    )
    story = story_of(page)
    assert '<article class="card msg dm">' in story
    assert '<span class="who">Sprout</span> <span class="tag app">APP</span>' in story
    assert "to Ravi · <time" in story and ">Tue 1 Dec 09:34 (Kolkata)</time>" in story
    assert "How is <b>it</b> going?" in story
    assert "<summary>notification text</summary>" in story


def test_ephemeral_and_updated_messages_are_tagged() -> None:
    page = page_of(
        Entry(TUESDAY, "ephemeral", recipient="U3", text="Only *you* see this"),
        Entry(TUESDAY, "dm_update", recipient="U3", text="Marked done :white_check_mark:"),
    )
    story = story_of(page)
    assert '<span class="tag ephemeral">only visible to you</span>' in story
    assert '<span class="tag dm_update">edited</span>' in story
    assert "Only <b>you</b> see this" in story and "Marked done ✅" in story
    assert ">Tue 1 Dec 05:04 (Berlin)</time>" in story


def test_a_form_shows_title_inputs_with_their_values_and_submit_and_cancel() -> None:
    view = {
        "type": "modal",
        "title": plain("Give feedback"),
        "submit": plain("Save"),
        "close": plain("Not now"),
        "blocks": [
            {"type": "context", "elements": [md("About <@U1>'s blocker")]},
            {
                "type": "input",
                "label": plain("Person"),
                "element": {"type": "users_select", "initial_user": "U1"},
            },
            {
                "type": "input",
                "label": plain("Kind"),
                "optional": True,
                "hint": plain("Leave empty for a private note"),
                "element": {
                    "type": "radio_buttons",
                    "options": [option("Praise", "praise"), option("Suggestion", "suggestion")],
                    "initial_option": option("Suggestion", "suggestion"),
                },
            },
            {
                "type": "input",
                "label": plain("Topic"),
                "optional": True,
                "element": {"type": "plain_text_input", "placeholder": plain("one word")},
            },
            {
                "type": "input",
                "label": plain("What happened"),
                "element": {
                    "type": "plain_text_input",
                    "multiline": True,
                    "initial_value": "Line one\n<b>two</b>",
                },
            },
            {
                "type": "input",
                "label": plain("Delivery"),
                "optional": True,
                "element": {
                    "type": "checkboxes",
                    "options": [option("Send now", "yes"), option("Copy me", "cc")],
                    "initial_options": [option("Copy me", "cc")],
                },
            },
            {
                "type": "input",
                "label": plain("Priority"),
                "element": {
                    "type": "static_select",
                    "placeholder": plain("Pick one"),
                    "options": [option("Ship", "1")],
                },
            },
        ],
    }
    page = page_of(Entry(TUESDAY, "form", recipient="U2", view=view))
    story = story_of(page)
    assert '<article class="card form">' in story
    assert "Form for Ana Lima · <time" in story
    assert '<span class="modal-name">Give feedback</span>' in story
    assert '<div class="modal-foot"><span class="btn">Not now</span>' in story
    assert '<span class="btn btn-primary">Save</span></div>' in story
    assert '<div class="input-label">Kind <span class="optional">(optional)</span></div>' in story
    assert '<div class="input-label">Person</div>' in story
    assert '<div class="hint">Leave empty for a private note</div>' in story
    assert "</span> Ravi</span>" in story
    assert (
        '<div class="option checked"><span class="radio">●</span><div><div>Suggestion</div>'
        in story
    )
    assert '<div class="option"><span class="radio"></span><div><div>Praise</div>' in story
    assert '<div class="option checked"><span class="checkbox">✓</span><div><div>Copy me' in story
    assert '<div class="option"><span class="checkbox"></span><div><div>Send now' in story
    assert '<div class="textbox"><span class="placeholder">one word</span></div>' in story
    assert (
        '<div class="textbox multiline"><span class="value">Line one\n&lt;b&gt;two&lt;/b&gt;'
        in story
    )
    assert '<span class="placeholder">Pick one</span>' in story


def test_a_form_without_submit_shows_only_the_default_cancel() -> None:
    view = {"type": "modal", "title": plain("Heads up"), "blocks": [{"type": "divider"}]}
    story = story_of(page_of(Entry(TUESDAY, "form", recipient="U1", view=view)))
    assert '<div class="modal-foot"><span class="btn">Cancel</span></div>' in story


def test_forms_and_home_tabs_without_a_recipient_name_nobody() -> None:
    story = story_of(
        page_of(
            Entry(TUESDAY, "form", view={"title": plain("Hi"), "blocks": []}),
            Entry(TUESDAY, "home", blocks=[{"type": "divider"}]),
        )
    )
    assert '<div class="card-meta">Form · <time' in story
    assert '<div class="card-meta">Home tab · <time' in story
    assert ">Tue 1 Dec 04:04 (UTC)</time>" in story
    assert '<hr class="blk divider">' in story


def test_a_home_tab_is_a_wide_card_named_for_its_owner() -> None:
    view = {
        "type": "home",
        "blocks": [
            {"type": "header", "text": plain("Your priorities")},
            {"type": "section", "text": md("1. Ship the thing :hourglass:")},
        ],
    }
    story = story_of(page_of(Entry(TUESDAY, "home", recipient="U3", view=view)))
    assert '<article class="card home"><div class="card-meta">Home tab of Noor · <time' in story
    assert '<div class="blk header">Your priorities</div>' in story
    assert "1. Ship the thing ⌛" in story


def test_notes_head_the_scenes_and_list_in_the_table_of_contents() -> None:
    page = page_of(
        Entry(TUESDAY - timedelta(hours=1), "action", actor="U1", text="before any scene"),
        Entry(TUESDAY, "note", heading="Tuesday: check-ins arrive"),
        Entry(TUESDAY, "dm", recipient="U1", text="first"),
        Entry(TUESDAY + timedelta(days=1), "note", heading="Wednesday <calm>"),
        Entry(TUESDAY + timedelta(days=1), "dm", recipient="U1", text="second"),
    )
    story = story_of(page)
    assert story.count('<section class="scene">') == 3
    assert '<h2 class="scene-heading" id="scene-1">Tuesday: check-ins arrive' in story
    assert '<h2 class="scene-heading" id="scene-2">Wednesday &lt;calm&gt;' in story
    assert '<li><a href="#scene-1">Tuesday: check-ins arrive</a></li>' in page
    assert story.index("before any scene") < story.index('id="scene-1"')
    assert story.index("first") < story.index('id="scene-2"') < story.index("second")


def test_every_person_gets_a_folding_timeline_in_their_own_local_time() -> None:
    page = page_of(
        Entry(TUESDAY, "note", heading="Tuesday"),
        Entry(TUESDAY + timedelta(minutes=5), "action", actor="U1", text="/sprout checkin"),
        Entry(TUESDAY, "dm", recipient="U1", text="How is it going?"),
        Entry(TUESDAY + timedelta(minutes=9), "dm", recipient="U2", text="Ravi checked in"),
    )
    ravi = timeline_of(page, "Ravi")
    assert ravi.startswith('<details class="person" id="person-1"><summary>')
    assert "Kolkata (Asia/Kolkata) · 2 items" in ravi
    assert '<div class="day"><span>Tue 1 Dec</span></div>' in ravi
    assert ravi.index("How is it going?") < ravi.index("/sprout checkin")
    assert "Ravi checked in" not in ravi and "Tuesday" not in ravi.split("</summary>")[1]
    ana = timeline_of(page, "Ana Lima")
    assert '<div class="day"><span>Mon 30 Nov</span></div>' in ana
    assert ">Mon 30 Nov 23:13 (New York)</time>" in ana
    assert "1 item</span>" in ana
    noor = timeline_of(page, "Noor")
    assert "Nothing happened for this person." in noor


def test_an_entry_aimed_at_someone_else_shows_in_the_timeline_in_that_persons_time() -> None:
    page = page_of(Entry(TUESDAY, "action", actor="U1", recipient="U2", text="nudged Ana"))
    assert ">Tue 1 Dec 09:34 · Kolkata</time>" in timeline_of(page, "Ravi")
    assert ">Mon 30 Nov 23:04 · New York</time>" in timeline_of(page, "Ana Lima")


def test_ids_not_among_the_people_still_get_a_timeline_in_utc() -> None:
    page = page_of(Entry(TUESDAY, "dm", recipient="U77", text="hello stranger"))
    stranger = timeline_of(page, "U77")
    assert "UTC (UTC) · 1 item" in stranger
    assert ">Tue 1 Dec 04:04 (UTC)</time>" in stranger


def test_colors_are_stable_per_person_and_differ_between_most_people() -> None:
    assert color_for("U1") == color_for("U1")
    first = page_of(Entry(TUESDAY, "action", actor="U1", text="x"))
    second = page_of(Entry(TUESDAY, "action", actor="U1", text="y"), people=[RAVI])
    pattern = r'<span class="avatar" style="background:(#[0-9a-f]{6})">R</span>'
    assert set(re.findall(pattern, first)) == set(re.findall(pattern, second)) == {color_for("U1")}
    assert len({color_for(f"U{n:03}") for n in range(40)}) >= 8


def test_nothing_unescaped_sneaks_through_names_texts_blocks_or_views() -> None:
    evil = '<script>alert("x")</script>'
    people = [Person("U1", '<img src=x onerror="boom">', "Asia/Kolkata", "<b>role</b>"), ANA]
    block_text = "&lt;script&gt;alert(1)&lt;/script&gt; " + evil
    page = render_page(
        [
            Entry(TUESDAY, "note", heading=evil, text=evil),
            Entry(TUESDAY, "action", actor="U1", text=evil),
            Entry(TUESDAY, "action", actor="U1", text="/cmd " + evil),
            Entry(
                TUESDAY,
                "dm",
                recipient="U1",
                text=evil,
                blocks=[
                    {"type": "header", "text": plain(evil)},
                    {"type": "section", "text": md(block_text), "fields": [plain(evil)]},
                    {"type": "context", "elements": [{"type": "image", "alt_text": evil}]},
                    {"type": "actions", "elements": [{"type": "button", "text": plain(evil)}]},
                    {"type": evil},
                ],
            ),
            Entry(
                TUESDAY,
                "form",
                recipient="U1",
                view={
                    "title": plain(evil),
                    "submit": plain(evil),
                    "blocks": [
                        {
                            "type": "input",
                            "label": plain(evil),
                            "element": {"type": "plain_text_input", "initial_value": evil},
                        }
                    ],
                },
            ),
            Entry(
                TUESDAY,
                "home",
                recipient="U1",
                view={"blocks": [{"type": "header", "text": plain(evil)}]},
            ),
            Entry(TUESDAY, evil, recipient="U1", text=evil),
        ],
        people,
        title=evil,
    )
    checker = check_tags(page)
    assert "script" not in checker.tags and "img" not in checker.tags
    assert "<script" not in page and "<img" not in page and 'onerror="' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;boom&quot;&gt;" in page
    assert '<span class="tag role">&lt;b&gt;role&lt;/b&gt;</span>' in page


@pytest.mark.parametrize("tz", ["Not/AZone", ""])
def test_an_unknown_time_zone_falls_back_to_utc(tz: str) -> None:
    page = page_of(
        Entry(TUESDAY, "action", actor="U9", text="hi"), people=[Person("U9", "Zed", tz)]
    )
    assert ">Tue 1 Dec 04:04 · UTC</time>" in page


def test_naive_times_are_taken_as_utc() -> None:
    page = page_of(Entry(TUESDAY.replace(tzinfo=None), "action", actor="U1", text="hi"))
    assert ">Tue 1 Dec 09:34 · Kolkata</time>" in page


def test_five_hundred_entries_render_in_one_page() -> None:
    blocks = [
        {"type": "header", "text": plain("Digest")},
        {"type": "section", "text": md("*Done* <@U1>"), "fields": [md("a"), md("b")]},
        {
            "type": "actions",
            "elements": [{"type": "button", "text": plain("Ok"), "style": "primary"}],
        },
    ]
    entries = []
    for n in range(500):
        at = TUESDAY + timedelta(minutes=37 * n)
        if n % 50 == 0:
            entries.append(Entry(at, "note", heading=f"Scene {n // 50}"))
        elif n % 3 == 0:
            entries.append(Entry(at, "action", actor=PEOPLE[n % 3].user_id, text=f"/sprout {n}"))
        else:
            entries.append(
                Entry(at, "dm", recipient=PEOPLE[n % 3].user_id, text=str(n), blocks=blocks)
            )
    page = render_page(entries, PEOPLE, "Busy fortnight")
    check_tags(page)
    assert page.count('<section class="scene">') == 10
    assert page.count('<details class="person"') == 3
