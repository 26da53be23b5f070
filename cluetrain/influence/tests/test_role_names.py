"""Role badges are words in the page's language, not the stored codes."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cluetrain.influence.models import InfluenceScore
from cluetrain.members.models import Member


def test_role_badges_are_translated() -> None:
    score = InfluenceScore(
        member=Member(username="ada", display_name="Ada"),
        score=0.5,
        rank=1,
        roles="connector,amplifier",
        computed_at=timezone.now(),
    )
    with translation.override("fr"):
        assert score.role_names == ["Connecteur", "Amplificateur"]
        html = render_to_string("influence/_leaderboard_table.html", {"rows": [score]})
    assert '<span class="badge">Connecteur</span>' in html
    assert ">connector<" not in html
