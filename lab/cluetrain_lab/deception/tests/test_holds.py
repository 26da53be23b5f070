"""The false-hold measurement counts repeats as the platform does and names what held."""

from cluetrain_analytics.text.spam import SpamScorer
from cluetrain_lab.deception.holds import hold_rate, with_repeats

PITCH = "Work from home and make money fast, visit http://a.example/{i} today"


def test_repeats_are_counted_in_order_by_content_hash() -> None:
    texts = [PITCH.format(i=i) for i in range(4)] + ["a plain message about the meeting"]
    contributions = with_repeats(texts)
    assert [c.times_seen_before for c in contributions] == [0, 1, 2, 3, 0]


def test_hold_rate_reports_the_share_and_the_kinds_of_reasons() -> None:
    texts = (
        [PITCH.format(i=i) for i in range(3)]
        + ["see you at the meeting on friday"]
        + ["thanks!"] * 4
    )
    result = hold_rate(with_repeats(texts), SpamScorer())
    assert result["n"] == 8
    assert result["held"] == 3
    assert result["share_held"] == 0.375
    assert result["reasons_of_held"]["spam_phrases"] == 3
    assert result["reasons_of_held"]["link_density"] == 3
