"""Mixed traffic against a running Cluetrain, as members make it (docs/load.md).

Each simulated member signs in through the sign-in page (CSRF token from the form, the
demo's password), creates a personal API token on the tokens page, then reads (home, spaces,
threads, profiles, people), searches, replies in threads (the page form and the API), votes
for ideas and takes the vote back, and reads through the API with its token, with a pause of
one to four seconds between requests.

Answers the site gives on purpose are not failures: a 429 from a rate limit and a 409 from
a vote the space's budget does not allow are counted apart as `refused` (report.py). Every
other answer that is not a success is a failure, with its status in the file's `errors`.

Run it with `python -m cluetrain_lab.load` (a wrapper that starts locust headless, writes
benchmarks/load-*.json and prints the summary line) or with locust itself:

    locust -f lab/cluetrain_lab/load/locustfile.py --headless -u 20 -r 2 -t 10m \
        --host http://127.0.0.1:8765 --report benchmarks/load-sqlite.json
"""

import itertools
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.clients import ResponseContextManager
from locust.env import Environment
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from cluetrain_lab.load import report

PASSWORD = "cluetrain-demo"  # noqa: S105 - the demo's published password
SEARCH_WORDS = (
    "firmware", "battery", "hub", "bulb", "wifi", "app", "update", "camera", "thermostat",
    "refund", "pairing", "schedule", "offline", "support", "sensor",
)  # fmt: skip
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEW_TOKEN = re.compile(r'<div class="card" id="new-token">.*?<code>([^<]+)</code>', re.S)
# Answers the site gives on purpose (a limit reached, a vote budget used), per kind.
REFUSED: dict[str, Counter[int]] = defaultdict(Counter)
STARTED = time.monotonic()
LOAD_BEFORE = report.load_average()


@dataclass
class Targets:
    """What the members visit, read once from the public API by the first member to start."""

    usernames: list[str] = field(default_factory=list)
    space_slugs: list[str] = field(default_factory=list)
    thread_ids: list[int] = field(default_factory=list)
    open_thread_ids: list[int] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)


_targets: Targets | None = None
_targets_lock = threading.Lock()  # gevent's, once locust has patched threading
_member_numbers = itertools.count()


def _options(parser: Any, **_: Any) -> None:
    parser.add_argument("--report", default="", help="write the summary and detail here (JSON)")
    parser.add_argument("--database", default="", help="what the site runs on, for the report")


events.init_command_line_parser.add_listener(_options)  # type: ignore[no-untyped-call]


def _items(user: HttpUser, url: str) -> list[dict[str, Any]]:
    with user.client.get(url, name="setup: api", catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
            return []
        items: list[dict[str, Any]] = response.json()["items"]
        return items


def _discover(user: HttpUser) -> Targets:
    found = Targets()
    customers = _items(user, "/api/members?role=customer&limit=100")
    found.usernames = [row["username"] for row in customers]
    with user.client.get("/api/jams", name="setup: api", catch_response=True) as response:
        jams = {row["slug"] for row in response.json()} if response.status_code == 200 else set()
    spaces = _items(user, "/api/spaces?limit=100")
    found.space_slugs = [row["slug"] for row in spaces if row["thread_count"]]
    for slug in found.space_slugs:
        for row in _items(user, f"/api/spaces/{slug}/threads?limit=40"):
            found.thread_ids.append(row["id"])
            # Jam spaces take posts only inside their window: replies go elsewhere.
            if not (row["is_locked"] or row["is_hidden"] or row["is_held"] or slug in jams):
                found.open_thread_ids.append(row["id"])
    ideas = _items(user, "/api/ideas?limit=100")
    found.idea_ids = [
        row["id"]
        for row in ideas
        if row["status"] not in {"done", "declined"} and row["merged_into"] is None
    ]
    return found


def targets(user: HttpUser) -> Targets:
    global _targets  # one discovery per load-test process, shared by its members
    with _targets_lock:
        if _targets is None:
            _targets = _discover(user)
        return _targets


def _csrf(html: str) -> str:
    match = CSRF_FIELD.search(html)
    return match.group(1) if match else ""


def _refusable(response: ResponseContextManager, kind: str, *, also: tuple[int, ...] = ()) -> None:
    """Success, a refusal on purpose (429, or a status in `also`), or a failure."""
    if response.status_code in (429, *also):
        REFUSED[kind][response.status_code] += 1
        response.success()  # type: ignore[no-untyped-call]
    elif response.status_code >= 400:
        response.failure(f"HTTP {response.status_code}")  # type: ignore[no-untyped-call]


class Member(HttpUser):
    """A signed-in customer of the demo community."""

    wait_time = between(1, 4)
    token = ""
    username = ""
    voted: set[int]

    def on_start(self) -> None:
        self.voted = set()
        # As a browser does, a GET whose kept-alive connection the server had just closed is
        # sent once more on a new one (gunicorn closes idle connections after 2 s; members
        # pause 1-4 s). Nothing else is retried: POSTs never, and no HTTP status.
        retry = Retry(total=1, connect=1, read=1, status=0, allowed_methods={"GET"})
        self.client.mount("http://", HTTPAdapter(max_retries=retry))
        found = targets(self)
        if not found.usernames:
            raise RuntimeError("no customers found: is this the demo (`cluetrain demo`)?")
        self.username = found.usernames[next(_member_numbers) % len(found.usernames)]
        self._sign_in()
        self._create_token()

    def _csrf(self, html: str) -> str:
        """The form's CSRF token, or the cookie's (a page without a form, say)."""
        return _csrf(html) or str(self.client.cookies.get("csrftoken") or "")

    def _sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="sign in: form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._csrf(page.text),
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Django answers a good sign-in with a redirect; the form again (200) otherwise.
            if response.status_code != 302:
                response.failure(f"not signed in (HTTP {response.status_code})")

    def _create_token(self) -> None:
        page = self.client.get("/settings/tokens/", name="tokens: page")
        with self.client.post(
            "/settings/tokens/",
            data={
                "name": "load test",
                "scope": "write",
                "csrfmiddlewaretoken": self._csrf(page.text),
            },
            name="tokens: create",
            catch_response=True,
        ) as response:
            match = NEW_TOKEN.search(response.text)
            if match:
                self.token = match.group(1).strip()
            else:
                _refusable(response, "tokens: create")

    def _api(self, url: str, name: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        with self.client.get(url, headers=headers, name=name, catch_response=True) as response:
            _refusable(response, name)

    # Reading
    @task(10)
    def home(self) -> None:
        self.client.get("/", name="page: home")

    @task(3)
    def spaces(self) -> None:
        self.client.get("/spaces/", name="page: spaces")

    @task(6)
    def space(self) -> None:
        self.client.get(f"/s/{random.choice(targets(self).space_slugs)}/", name="page: space")

    @task(12)
    def thread(self) -> None:
        self.client.get(f"/t/{random.choice(targets(self).thread_ids)}/", name="page: thread")

    @task(5)
    def profile(self) -> None:
        username = random.choice(targets(self).usernames)
        self.client.get(f"/people/{username}/", name="page: profile")

    @task(2)
    def people(self) -> None:
        self.client.get("/people/", name="page: people")

    @task(3)
    def ideas(self) -> None:
        self.client.get("/ideas/", name="page: ideas")

    # Searching
    @task(5)
    def search(self) -> None:
        words = " ".join(random.sample(SEARCH_WORDS, random.choice((1, 2))))
        self.client.get("/search/", params={"q": words}, name="page: search")

    # Writing
    @task(1)
    def reply(self) -> None:
        thread_id = random.choice(targets(self).open_thread_ids)
        form = self.client.get(f"/t/{thread_id}/reply/", name="reply: form")
        body = (
            f"Load test reply {random.randint(1, 10**9)}: the "
            f"{random.choice(SEARCH_WORDS)} question, seen from here."
        )
        with self.client.post(
            f"/t/{thread_id}/reply/",
            data={"body": body, "csrfmiddlewaretoken": self._csrf(form.text)},
            name="reply: post",
            catch_response=True,
        ) as response:
            _refusable(response, "reply: post")

    @task(1)
    def api_reply(self) -> None:
        thread_id = random.choice(targets(self).open_thread_ids)
        with self.client.post(
            f"/api/threads/{thread_id}/posts",
            json={"body_md": f"API reply {random.randint(1, 10**9)} from the load test."},
            headers={"Authorization": f"Bearer {self.token}"},
            name="api: reply",
            catch_response=True,
        ) as response:
            _refusable(response, "api: reply")

    @task(3)
    def vote(self) -> None:
        idea_id = random.choice(targets(self).idea_ids)
        page = self.client.get(f"/ideas/{idea_id}/why/", name="idea: why")
        action = "unvote" if idea_id in self.voted else "vote"
        with self.client.post(
            f"/ideas/{idea_id}/vote/",
            data={"action": action, "csrfmiddlewaretoken": self._csrf(page.text)},
            name=f"idea: {action}",
            catch_response=True,
        ) as response:
            # 409: the space's vote budget is used, or the member voted before the run.
            _refusable(response, f"idea: {action}", also=(409,))
            if response.status_code < 400:
                self.voted.symmetric_difference_update({idea_id})

    # The API, with the member's token
    @task(4)
    def api_thread_posts(self) -> None:
        thread_id = random.choice(targets(self).thread_ids)
        self._api(f"/api/threads/{thread_id}/posts?limit=20", "api: thread posts")

    @task(2)
    def api_ideas(self) -> None:
        self._api("/api/ideas?limit=20", "api: ideas")

    @task(2)
    def api_search(self) -> None:
        self._api(f"/api/search/posts?q={random.choice(SEARCH_WORDS)}", "api: search")

    @task(1)
    def api_me(self) -> None:
        self._api("/api/me", "api: me")


def _write_report(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    if options is None or not options.report:
        return
    stats = environment.stats
    total = stats.total
    errors: dict[str, dict[str, int]] = defaultdict(dict)
    for error in stats.errors.values():
        errors[error.name][str(error.error)] = error.occurrences
    kinds = [
        report.KindStats(
            name=entry.name,
            requests=entry.num_requests,
            failures=entry.num_failures,
            p50_ms=entry.get_response_time_percentile(0.50) or 0.0,
            p95_ms=entry.get_response_time_percentile(0.95) or 0.0,
            p99_ms=entry.get_response_time_percentile(0.99) or 0.0,
            max_ms=entry.max_response_time or 0.0,
            rps=entry.total_rps,
            refused=sum(REFUSED[entry.name].values()),
            errors=errors.get(entry.name, {}),
        )
        for entry in stats.entries.values()
    ]
    line = report.summary(
        total.num_requests,
        total.num_failures,
        total.total_rps,
        {q: total.get_response_time_percentile(q) or 0.0 for q in (0.50, 0.95, 0.99)},
    )
    run = {
        "database": options.database,
        "users": options.num_users,
        "seconds": round(time.monotonic() - STARTED),
        "load_before": LOAD_BEFORE,
        "load_after": report.load_average(),
        "refused_by_status": {k: dict(v) for k, v in REFUSED.items() if v},
        "machine": "2 cores shared by 8 sessions working at the same time",
    }
    report.write(Path(options.report), report.detail(line, kinds, run=run))


events.quitting.add_listener(_write_report)  # type: ignore[no-untyped-call]
