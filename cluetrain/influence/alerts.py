"""Spread alerts: a negative cascade whose forecast crosses the community's threshold.

`do_raise_alerts(cascades)` runs right after `listen` reads new messages (the MessagesRead
event). A cascade raises at most one alert, ever (a one-to-one row, so a second run or a
concurrent one adds nothing). Raising puts it in the staff alerts inbox and publishes
AlertRaised: staff are e-mailed and webhooks carry `alert.raised`, both after commit.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.influence.cascades import LIVE_MINUTES, threads_enriched_since, track_cascades
from cluetrain.influence.events import AlertRaised
from cluetrain.influence.models import Alert, Cascade, SpreadPolicy
from cluetrain.listening.events import MessagesRead
from cluetrain.members.models import COMPANY_STAFF_ROLES, Member

THRESHOLD_MAX = 1_000_000


def spread_policy() -> SpreadPolicy:
    """The community's policy row, created with the defaults on first use."""
    return SpreadPolicy.objects.get_or_create(pk=1)[0]


def may_handle_alerts(member: Member) -> bool:
    return member.is_authenticated and member.is_company_staff


def check_set_threshold(member: Member, raw: str) -> SpreadPolicy:
    """Staff change the alert threshold; refused unless it is a whole number from 1."""
    if not may_handle_alerts(member):
        raise ActionError(gettext("Only staff change the alert policy."), status=403)
    try:
        threshold = int(raw.strip())
    except ValueError:
        raise ActionError(
            gettext("The threshold must be a whole number."), field="threshold"
        ) from None
    if not 1 <= threshold <= THRESHOLD_MAX:
        raise ActionError(
            gettext("The threshold must be between 1 and %(max)s.")
            % {"max": number_format(THRESHOLD_MAX, force_grouping=True)},
            field="threshold",
        )
    return do_set_threshold(member, threshold)


def do_set_threshold(member: Member, threshold: int) -> SpreadPolicy:
    policy = spread_policy()
    policy.alert_threshold = threshold
    policy.updated_by = member
    policy.updated_at = timezone.now()
    policy.save()
    return policy


def should_alert(cascade: Cascade, threshold: int) -> bool:
    """A negative cascade still live (a day at most) whose forecast reached the threshold."""
    live = cascade.age_minutes <= LIVE_MINUTES
    return live and cascade.is_negative and cascade.forecast >= threshold


def do_raise_alerts(cascades: Iterable[Cascade]) -> list[Alert]:
    """Raise the alerts these cascades call for; returns only the ones raised now."""
    threshold = spread_policy().alert_threshold
    raised = []
    for cascade in cascades:
        if should_alert(cascade, threshold) and not Alert.objects.filter(cascade=cascade).exists():
            alert = do_raise_alert(cascade, threshold)
            if alert is not None:
                raised.append(alert)
    return raised


def do_raise_alert(cascade: Cascade, threshold: int) -> Alert | None:
    """Create the cascade's alert and its notices; None if it already had one."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                cascade=cascade,
                size_at_raise=cascade.size,
                forecast_at_raise=cascade.forecast,
                threshold=threshold,
                raised_at=timezone.now(),
            )
            publish(AlertRaised(alert_id=alert.pk, cascade_id=cascade.pk))
    except IntegrityError:
        return None  # another run raised it first
    return alert


def check_change_alert(member: Member, alert: Alert, verb: str) -> Alert:
    """Acknowledge or resolve an alert; a resolved alert stays resolved."""
    if not may_handle_alerts(member):
        raise ActionError(gettext("Only staff handle alerts."), status=403)
    if verb not in {"acknowledge", "resolve"}:
        raise ActionError(gettext("Unknown action on an alert."), status=404)
    if not do_change_alert(member, alert, verb):
        if verb == "acknowledge":
            raise ActionError(
                gettext("This alert was already acknowledged or resolved."), status=409
            )
        raise ActionError(gettext("This alert is already resolved."), status=409)
    return alert


def do_change_alert(member: Member, alert: Alert, verb: str) -> bool:
    """Acknowledge (only an open alert) or resolve; False when there was nothing to change,
    as when another staff member got there first. `alert` is refreshed when it changed."""
    now = timezone.now()
    if verb == "acknowledge":
        changed = Alert.objects.filter(pk=alert.pk, status=Alert.Status.OPEN).update(
            status=Alert.Status.ACKNOWLEDGED, acknowledged_by=member, acknowledged_at=now
        )
    else:
        changed = (
            Alert.objects.filter(pk=alert.pk)
            .exclude(status=Alert.Status.RESOLVED)
            .update(status=Alert.Status.RESOLVED, resolved_by=member, resolved_at=now)
        )
    if changed:
        alert.refresh_from_db()
    return changed > 0


def staff_emails() -> list[str]:
    return list(
        Member.objects.filter(
            is_active=True,
            role__in=COMPANY_STAFF_ROLES,
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def on_messages_read(event: MessagesRead) -> None:
    """Subscribed in InfluenceConfig.ready(): threads that got new messages update their
    cascades, which may raise alerts."""
    do_raise_alerts(track_cascades(threads_enriched_since(event.started_at)))
