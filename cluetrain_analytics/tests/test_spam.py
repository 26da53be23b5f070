"""The spam scorer: cues, reasons a moderator can read, and retraining from decisions."""

import pytest

from cluetrain_analytics.text.spam import (
    HOLD_THRESHOLD,
    Contribution,
    SpamScorer,
    content_hash,
    cue_values,
    fit_from_decisions,
)

GENUINE = Contribution(
    "We stayed two nights; the room was quiet and the staff found us a late checkout.",
    account_age_days=400,
    author_post_count=25,
)
SCORER = SpamScorer()


def test_an_ordinary_contribution_is_not_held_and_has_no_reasons() -> None:
    verdict = SCORER.score(GENUINE)
    assert not verdict.held
    assert verdict.score < 0.05
    assert verdict.reasons == []


def test_spam_phrases_are_named_in_the_reasons() -> None:
    verdict = SCORER.score(
        Contribution("Make money from home!! Click here and buy now: http://bit.ly/x1")
    )
    assert verdict.held
    assert verdict.score >= HOLD_THRESHOLD
    phrases = next(reason for reason in verdict.reasons if reason.startswith("spam phrases"))
    assert '"buy now"' in phrases
    assert '"click here"' in phrases
    assert "a shortened link hides its target" in verdict.reasons


def test_links_contact_details_and_a_new_account_each_give_their_reason() -> None:
    verdict = SCORER.score(
        Contribution(
            "Great offers http://a.example/1 http://b.example/2 http://c.example/3 "
            "call +1 555 123 4567",
            account_age_days=0.2,
            author_post_count=0,
        )
    )
    assert verdict.held
    assert "3 links in 3 words" in verdict.reasons
    assert "phone numbers or e-mail addresses in the text" in verdict.reasons
    assert "account 0 days old" in verdict.reasons
    # The strongest push comes first.
    assert verdict.reasons[0] == "3 links in 3 words"


def test_text_seen_many_times_before_is_held_for_that_reason() -> None:
    repeated = Contribution(GENUINE.text, times_seen_before=5)
    verdict = SCORER.score(repeated)
    assert verdict.held
    assert verdict.reasons == ["the same text was posted 5 times before"]


def test_an_invented_review_is_held_only_as_a_review() -> None:
    review = Contribution(GENUINE.text, kind="review", deception_probability=0.97)
    verdict = SCORER.score(review)
    assert verdict.held
    assert verdict.reasons == ["reads like an invented review (deception probability 0.97)"]
    as_post = Contribution(GENUINE.text, kind="post", deception_probability=0.97)
    assert not SCORER.score(as_post).held
    doubtful = Contribution(GENUINE.text, kind="review", deception_probability=0.6)
    assert not SCORER.score(doubtful).held


def test_shouting_and_repetition_are_cues() -> None:
    shouting = cue_values(Contribution("THIS IS THE BEST DEAL EVER SEEN ANYWHERE"))
    assert shouting["shouting"] == pytest.approx(1.0)
    assert cue_values(GENUINE)["shouting"] == 0.0
    spammy = cue_values(Contribution("cheap cheap cheap deal deal deal " * 5))
    assert spammy["repetition"] > 0.5
    assert cue_values(GENUINE)["repetition"] == 0.0


def test_every_cue_stays_between_zero_and_one() -> None:
    extreme = Contribution(
        "$$$ WIN $1000 NOW!!!!!!! " * 20 + "http://x.example " * 30 + "a@b.example " * 5,
        kind="review",
        account_age_days=0,
        author_post_count=0,
        times_seen_before=100,
        deception_probability=1.0,
    )
    for value in [*cue_values(extreme).values(), *cue_values(Contribution("")).values()]:
        assert 0.0 <= value <= 1.0


def test_content_hash_ignores_case_spacing_digits_and_links() -> None:
    one = content_hash("Win a FREE phone at http://a.example/123 today 555-0101")
    two = content_hash("win a free   phone at https://other.example/9 today 555-0199")
    assert one == two
    assert content_hash("win a free phone") != content_hash("win a free car")


def posts(template: str, count: int) -> list[Contribution]:
    return [Contribution(template.format(i=i), account_age_days=100) for i in range(count)]


def test_decisions_move_the_scores_their_way() -> None:
    # The moderators of this community release shouting posts (fans of a band) and hold
    # every post that names sums of money.
    shouting = posts("WE LOVE THE NEW ALBUM SO MUCH {i}", 40)
    money = posts("you can have it for $50 or $80 delivered, option {i}", 40)
    plain = posts("the meeting moved to thursday, room {i}", 40)
    decisions = [False] * 40 + [True] * 40 + [False] * 40
    refit = fit_from_decisions([*shouting, *money, *plain], decisions)
    assert refit.decisions == 120
    assert refit.weights["shouting"] < SCORER.weights["shouting"]
    assert refit.weights["money"] > SCORER.weights["money"]
    assert refit.score(money[0]).score > SCORER.score(money[0]).score
    assert refit.score(money[0]).held
    assert refit.score(shouting[0]).score < SCORER.score(shouting[0]).score
    assert not refit.score(plain[0]).held


def test_a_few_decisions_only_nudge_the_documented_weights() -> None:
    money = posts("you can have it for $50 or $80, option {i}", 2)
    refit = fit_from_decisions(money, [True, True])
    assert refit.weights["money"] > SCORER.weights["money"]
    assert refit.weights["money"] - SCORER.weights["money"] < 1.0
    assert refit.weights["spam_phrases"] == pytest.approx(SCORER.weights["spam_phrases"])


def test_fit_from_decisions_refuses_mismatched_input() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        fit_from_decisions([GENUINE], [True, False])
    with pytest.raises(ValueError, match="no decisions"):
        fit_from_decisions([], [])


def test_short_texts_repeat_innocently() -> None:
    thanks = Contribution("Thanks, that worked!", times_seen_before=50)
    assert cue_values(thanks)["seen_before"] == 0.0
    assert not SCORER.score(thanks).held


def test_addresses_and_dates_are_not_phone_numbers() -> None:
    for text in ("my router is at 192.168.1.1 today", "on 2017-10-31 at noon", "1,000,000 views"):
        assert cue_values(Contribution(text))["contact_details"] == 0.0
    assert cue_values(Contribution("call (555) 123-4567 now"))["contact_details"] == 0.5
