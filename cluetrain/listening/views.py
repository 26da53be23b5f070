"""Staff-only listening pages: the dashboard, the messages behind any number, root issues."""

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.listening import actions, corrections, retrain
from cluetrain.listening.charts import sparkline, stacked_bars
from cluetrain.listening.labels import label_text
from cluetrain.listening.models import Enrichment, LabelCorrection, RootIssue
from cluetrain.listening.queries import (
    EMOTIONS,
    SENTIMENTS,
    Bucket,
    MessageFilter,
    TrifectaRow,
    time_series,
    top_issues,
    totals,
    trifecta,
)
from cluetrain.listening.tasks import refit
from cluetrain.listening.tasks import retrain as retrain_task
from cluetrain.organizations.models import Product
from cluetrain.sources.models import Source
from cluetrain.spaces.access import readable_spaces
from cluetrain_analytics.text.abstain import UNSURE
from cluetrain_analytics.text.experience import INTENTS

MESSAGES_PER_PAGE = 50
View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not actions.may_manage_issues(signed_in_member(request)):
            raise PermissionDenied(_("Listening is for staff."))
        return view(request, *args, **kwargs)

    return wrapped


def _messages_url(selection: MessageFilter) -> str:
    return f"{reverse('listening_messages')}?{selection.query_string()}"


def _chart(
    buckets: list[Bucket], key: str, series: tuple[str, ...], selection: MessageFilter, weekly: bool
) -> object:
    def href(bucket: Bucket, value: str) -> str:
        return _messages_url(
            selection.with_(
                **{key: value},
                since=bucket.start.isoformat(),
                # Until is inclusive: the period's last day.
                until=(bucket.end - timedelta(days=1)).isoformat(),
            )
        )

    return stacked_bars(buckets, series, href=href, weekly=weekly)


def _weekly(selection: MessageFilter) -> bool:
    """Weeks for a short period, months otherwise."""
    try:
        start = date.fromisoformat(selection.since) if selection.since else None
        end = date.fromisoformat(selection.until) if selection.until else timezone.now().date()
    except ValueError:
        return False
    return start is not None and (end - start).days <= 120


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    selection = MessageFilter.from_query(request.GET).base()
    rows = selection.queryset(member)
    weekly = _weekly(selection)
    issues = top_issues(rows)
    community_model = retrain.latest_report()
    context = {
        "selection": selection,
        "totals": totals(rows),
        "sentiment_chart": _chart(
            time_series(rows, "sentiment", SENTIMENTS, weekly=weekly),
            "sentiment",
            SENTIMENTS,
            selection,
            weekly,
        ),
        "emotion_chart": _chart(
            time_series(rows, "emotion", EMOTIONS, weekly=weekly),
            "emotion",
            EMOTIONS,
            selection,
            weekly,
        ),
        "issues": [(row, sparkline(row.weekly)) for row in issues],
        "trifecta": [_linked(row, selection) for row in trifecta(rows)],
        "total_links": {
            key: _messages_url(selection.with_(sentiment=key if key != "all" else ""))
            for key in (*SENTIMENTS, "all")
        },
        "spaces": readable_spaces(member).order_by("name"),
        "products": Product.objects.order_by("name"),
        "sources": Source.objects.order_by("name"),
        "pending": Enrichment.objects.count(),
        "agreement": corrections.agreement()["all"],
        "community_model": community_model,
        "community_rows": retrain.dashboard_rows(community_model),
    }
    return render(request, "listening/dashboard.html", context)


def _linked(row: TrifectaRow, selection: MessageFilter) -> dict[str, object]:
    """A trifecta row with the link behind each of its numbers."""
    in_topic = selection.with_(topic=str(row.topic.pk))

    def url(**changes: str) -> str:
        return _messages_url(in_topic.with_(**changes))

    return {
        "topic": row.topic,
        "total": row.total,
        "href": url(),
        "sentiments": [(s, row.sentiments.get(s, 0), url(sentiment=s)) for s in SENTIMENTS],
        "emotions": [(e, n, url(emotion=e)) for e, n in row.emotions],
        "products": [(name, n, url(product=slug)) for slug, name, n in row.products],
        "aspects": [(a, n, url(aspect=a)) for a, n in row.aspects],
        "events": [(e, n, url(event=e)) for e, n in row.events],
        "intents": [(i, n, url(intent=i)) for i, n in row.intents],
        "unsure_events": row.unsure_events,
        "unsure_intents": row.unsure_intents,
    }


@staff_required
def message_list(request: HttpRequest) -> HttpResponse:
    selection = MessageFilter.from_query(request.GET)
    rows = (
        selection.queryset(signed_in_member(request))
        .select_related("post__thread__space", "post__author", "post__external_author", "topic")
        .select_related("root_issue")
        .prefetch_related("products", "aspects")
        .order_by("-created_at", "-post_id")
    )
    page = Paginator(rows, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    chips = [
        (_filter_name(key), label_text(value) if key in WORDED_FILTERS else value)
        for key, value in vars(selection).items()
        if value
    ]
    return render(
        request,
        "listening/messages.html",
        {"page": page, "selection": selection, "chips": chips},
    )


WORDED_FILTERS = ("sentiment", "emotion", "intent")


def _filter_name(key: str) -> str:
    """The filter's name as the dashboard's form and labels say it, in the page's language."""
    names = {
        "space": _("Space"),
        "product": _("Product"),
        "source": _("Source"),
        "sentiment": _("Sentiment"),
        "emotion": _("Emotion"),
        "topic": _("Topic"),
        "issue": _("Root issue"),
        "aspect": _("Aspect"),
        "event": _("Event"),
        "intent": _("Intent"),
        "since": _("From"),
        "until": _("Until"),
    }
    return names.get(key, key)


@staff_required
def issue_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", RootIssue.Status.OPEN)
    if status not in RootIssue.Status.values:
        status = RootIssue.Status.OPEN
    issues = (
        RootIssue.objects.filter(status=status).select_related("merged_into").order_by("-last_seen")
    )
    page = Paginator(issues, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(RootIssue.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "listening/issues.html",
        {
            "page": page,
            "status": status,
            "tabs": [(v, label, counts.get(v, 0)) for v, label in RootIssue.Status.choices],
        },
    )


@staff_required
def issue_detail(request: HttpRequest, issue_id: int) -> HttpResponse:
    return _issue_page(request, issue_id)


def _issue_page(
    request: HttpRequest, issue_id: int, error: ActionError | None = None
) -> HttpResponse:
    member = signed_in_member(request)
    issue = get_object_or_404(RootIssue, pk=issue_id)
    selection = MessageFilter(issue=str(issue.pk))
    rows = selection.queryset(member)
    weekly = (issue.last_seen - issue.first_seen) <= timedelta(days=120)
    chart = _chart(
        time_series(rows, "sentiment", SENTIMENTS, weekly=weekly),
        "sentiment",
        SENTIMENTS,
        selection,
        weekly,
    )
    examples = list(
        rows.select_related("post__thread", "post__author", "post__external_author")
        .prefetch_related("products")
        .order_by("-created_at")[:60]
    )
    events = Counter(e.event for e in examples if e.event not in ("", UNSURE)).most_common(6)
    products = Counter(p.name for e in examples for p in e.products.all()).most_common(5)
    now = timezone.now()
    recent = rows.filter(created_at__gte=now - timedelta(days=30)).count()
    previous = rows.filter(
        created_at__gte=now - timedelta(days=60), created_at__lt=now - timedelta(days=30)
    ).count()
    others = RootIssue.objects.exclude(pk=issue.pk).exclude(status=RootIssue.Status.MERGED)
    return render(
        request,
        "listening/issue.html",
        {
            "issue": issue,
            "chart": chart,
            "examples": examples,
            "events": events,
            "products": products,
            "recent": recent,
            "previous": previous,
            "others": others.order_by("name"),
            "log": issue.events.select_related("actor")[:20],
            "messages_url": _messages_url(selection),
            "error": error,
        },
        status=error.status if error else 200,
    )


@staff_required
@require_POST
def issue_act(request: HttpRequest, issue_id: int, verb: str) -> HttpResponse:
    member = signed_in_member(request)
    issue = get_object_or_404(RootIssue, pk=issue_id)
    data = request.POST
    try:
        if verb == "rename":
            actions.check_rename_issue(member, issue, data.get("name", ""))
            flash.success(request, _("Renamed."))
        elif verb == "close":
            actions.check_close_issue(member, issue, data.get("note", "").strip())
            flash.success(request, _("Closed. It reopens if new complaints match it."))
        elif verb == "reopen":
            actions.check_reopen_issue(member, issue)
            flash.success(request, _("Reopened."))
        elif verb == "merge":
            target_id = data.get("target", "")
            target = RootIssue.objects.filter(pk=int(target_id) if target_id.isdigit() else 0)
            if not target.exists():
                raise ActionError(_("Choose the issue to merge into."), field="target")
            issue = actions.check_merge_issues(member, issue, target.get())
            flash.success(request, _("Merged."))
        elif verb == "split":
            ids = [int(v) for v in data.getlist("messages") if v.isdigit()]
            issue = actions.check_split_issue(member, issue, ids, data.get("name", ""))
            flash.success(request, _("Split into a new issue."))
        else:
            raise ActionError(_("Unknown action “%(verb)s”.") % {"verb": verb}, status=404)
    except ActionError as error:
        return _issue_page(request, issue_id, error)
    return redirect("listening_issue", issue_id=issue.pk)


@staff_required
@require_POST
def refit_models(request: HttpRequest) -> HttpResponse:
    refit.enqueue()
    flash.success(request, _("Relearning topics and product names in the background."))
    return redirect("listening")


@staff_required
@require_POST
def retrain_models(request: HttpRequest) -> HttpResponse:
    """Retrain the sentiment and emotion heads from staff's labels, in the background."""
    try:
        retrain.check_retrain(signed_in_member(request))
    except ActionError as refused:
        flash.error(request, refused.message)
        return redirect("listening")
    retrain_task.enqueue()
    flash.success(
        request,
        _(
            "Retraining sentiment and emotion from staff's labels in the background; "
            "messages are read again with them."
        ),
    )
    return redirect("listening")


LABEL_NAMES = corrections.Label


@staff_required
def message_labels(request: HttpRequest, post_id: int) -> HttpResponse:
    """Check one message's labels: confirm or correct each (GET shows, POST saves)."""
    member = signed_in_member(request)
    enrichment = get_object_or_404(
        Enrichment.objects.select_related("post__thread__space"),
        post_id=post_id,
        post__thread__space__in=readable_spaces(member),
    )
    error: ActionError | None = None
    if request.method == "POST":
        values = {label: request.POST.get(label, "") for label in LABEL_NAMES.values}
        try:
            checked = corrections.check_correct_labels(member, enrichment.post, values)
        except ActionError as refused:
            error = refused
        else:
            flash.success(
                request,
                ngettext(
                    "%(count)s label checked. Thank you.",
                    "%(count)s labels checked. Thank you.",
                    checked,
                )
                % {"count": checked},
            )
            return redirect("listening_labels", post_id=post_id)
    current = corrections.current_labels(enrichment)
    if error is not None:
        current |= {k: request.POST.get(k, "") for k in current}
    machine = {c.label: c.machine_value for c in LabelCorrection.objects.filter(post_id=post_id)}
    choices = {"sentiment": corrections.SENTIMENTS, "emotion": EMOTIONS, "intent": ("", *INTENTS)}
    context = {
        "e": enrichment,
        "current": current,
        "error": error,
        "selects": [
            {
                "name": name,
                "title": LABEL_NAMES(name).label,
                "options": options,
                "value": current[name],
                "machine": machine.get(name),
            }
            for name, options in choices.items()
        ],
        "products": Product.objects.order_by("name"),
        "issues": RootIssue.objects.exclude(status=RootIssue.Status.MERGED).order_by("name"),
    }
    return render(request, "listening/labels.html", context, status=error.status if error else 200)
