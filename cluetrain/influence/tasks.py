"""Background work of the influence app: recompute influence, e-mail raised alerts.

Both take ids (or nothing) and are safe to run twice: influence is replaced in one swap, and
an alert's e-mail is marked sent with a conditional UPDATE before it goes.
"""

from django.core.mail import send_mass_mail
from django.utils import timezone
from django_tasks import task

from cluetrain.core.links import absolute_url
from cluetrain.influence.alerts import staff_emails
from cluetrain.influence.events import AlertRaised
from cluetrain.influence.forecaster import refit_forecaster
from cluetrain.influence.models import Alert
from cluetrain.influence.scores import compute_influence


@task()
def compute_influence_task() -> int:
    """Recompute every influence score and refit the spread forecaster; returns score rows."""
    rows = compute_influence().rows
    refit_forecaster()
    return rows


@task()
def send_alert_email(alert_id: int) -> int:
    """E-mail every staff member about one alert; returns how many addresses were sent to."""
    alert = Alert.objects.select_related("cascade__thread").filter(pk=alert_id).first()
    recipients = staff_emails()
    if alert is None or not recipients:
        return 0
    claimed = Alert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0  # a rerun: already sent
    thread = alert.cascade.thread
    url = absolute_url("alert", alert.pk)
    body = (
        f"A negative conversation is spreading: “{thread.title}”.\n"
        f"{alert.size_at_raise} replies so far; forecast {alert.forecast_at_raise:.0f} "
        f"(threshold {alert.threshold}).\n\n{url}\n"
    )
    subject = f"[Cluetrain] Spreading complaint: {thread.title[:80]}"
    # One message each: staff do not see each other's addresses.
    return send_mass_mail([(subject, body, None, [address]) for address in recipients])


def on_alert_raised(event: AlertRaised) -> None:
    """Subscribed in InfluenceConfig.ready(): runs after the alert's transaction commits."""
    send_alert_email.enqueue(event.alert_id)
