"""Voter reliability for the idea ranking (registered in ReputationConfig.ready()).

Ideas sit below reputation in the layers, so the ranking asks through
`cluetrain.ideas.ranking.register_reliability` instead of importing this app.
"""

from collections.abc import Iterable

from django.utils.translation import gettext

from cluetrain.core.sentences import stored_in_words
from cluetrain.reputation.models import FlaggedAccount


def flagged_accounts_count_nothing(member_ids: Iterable[int]) -> dict[int, tuple[float, str]]:
    """Accounts the reputation defences flagged (coordinated groups) add no weight; the
    reason names the flag's first, in the active language."""
    flagged = FlaggedAccount.objects.filter(member_id__in=list(member_ids))
    return {
        member_id: (
            0.0,
            gettext("flagged by the reputation defences: %(reason)s")
            % {"reason": stored_in_words(reasons[0]) if reasons else ""},
        )
        for member_id, reasons in flagged.values_list("member_id", "reasons")
    }
