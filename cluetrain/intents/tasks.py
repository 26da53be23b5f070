"""Background work of personal requests: matching a request to vendors when it is posted."""

from django_tasks import task

from cluetrain.intents.matching import do_match
from cluetrain.intents.models import Intent


@task()
def match_intent(intent_id: int) -> None:
    # Idempotent: vendors already sent the request are skipped and keep their use of the cap.
    intent = Intent.objects.select_related("customer").filter(pk=intent_id).first()
    if intent is not None:
        do_match(intent)
