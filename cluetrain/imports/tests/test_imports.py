import gzip
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from cluetrain.imports.loader import OUTSIDE_SPACE_SLUG, InjectedCrash, Summary
from cluetrain.imports.models import ImportedRating, PendingReply
from cluetrain.imports.records import RowError
from cluetrain.imports.run import run_import
from cluetrain.search.backends import search_posts
from cluetrain.search.indexing import bulk_index_posts
from cluetrain.search.models import SearchEntry
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.threads.models import Post, Thread

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TWCS_HEADER = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)


def load(fmt: str, path: Path, **options: object) -> tuple[Summary, list[RowError]]:
    errors: list[RowError] = []
    summary = run_import(fmt, path, on_error=errors.append, **options)  # type: ignore[arg-type]
    return summary, errors


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tweet(tweet_id: int, author: str, inbound: bool, minute: int, text: str, parent: str) -> str:
    when = f"Tue Oct 31 22:{minute:02d}:00 +0000 2017"
    return f'{tweet_id},{author},{inbound},{when},"{text}",,{parent}\n'


# A conversation written children first (as twcs.csv is), a reply to a tweet that is not in
# the file, and a brand answer to that orphan.
TWCS = (
    TWCS_HEADER
    + tweet(3, "sprintcare", False, 12, "@115712 Please DM us.", "2")
    + tweet(2, "115712", True, 11, "@sprintcare still no signal", "1")
    + tweet(1, "115712", True, 10, "@sprintcare my phone has no signal", "")
    + tweet(10, "115713", True, 20, "@AppleSupport battery drains", "9")
    + tweet(11, "AppleSupport", False, 21, "@115713 Let's look into it", "10")
)


def tree() -> dict[str, str | None]:
    """Each imported tweet id: its parent's tweet id."""
    return {
        str(post.external_id): post.parent.external_id if post.parent else None
        for post in Post.objects.select_related("parent")
    }


def thread_of() -> dict[str, str]:
    """Each tweet id: the title of its thread."""
    return {str(p.external_id): p.thread.title for p in Post.objects.select_related("thread")}


def test_twcs_rebuilds_trees_out_of_order_and_flags_brands(tmp_path: Path) -> None:
    summary, errors = load("twcs", write(tmp_path, "twcs.csv", TWCS))

    assert summary.as_dict() == {"read": 5, "imported": 5, "duplicates": 0, "errors": 0}
    assert errors == []
    assert tree() == {"1": None, "2": "1", "3": "2", "10": None, "11": "10"}
    assert thread_of() == {
        "1": "@sprintcare my phone has no signal",
        "2": "@sprintcare my phone has no signal",
        "3": "@sprintcare my phone has no signal",
        "10": "@AppleSupport battery drains",
        "11": "@AppleSupport battery drains",
    }
    threads = Thread.objects.order_by("created_at")
    assert [(t.reply_count, t.kind, t.space.slug) for t in threads] == [
        (2, "conversation", OUTSIDE_SPACE_SLUG),
        (1, "conversation", OUTSIDE_SPACE_SLUG),
    ]
    assert [t.last_activity_at for t in threads] == [
        datetime(2017, 10, 31, 22, 12, tzinfo=UTC),
        datetime(2017, 10, 31, 22, 21, tzinfo=UTC),
    ]
    assert threads[0].space.visibility == "public"
    source = Source.objects.get(slug="twitter")
    assert (source.name, source.kind) == ("Twitter", "social")
    assert dict(ExternalIdentity.objects.values_list("external_id", "is_brand_account")) == {
        "sprintcare": True,
        "115712": False,
        "115713": False,
        "AppleSupport": True,
    }
    assert set(Post.objects.filter(is_staff_reply=True).values_list("external_id", flat=True)) == {
        "3",
        "11",
    }
    # Tweet 10 answers tweet 9, which is not there: it waits for it.
    assert list(PendingReply.objects.values_list("external_id", "parent_external_id")) == [
        ("10", "9")
    ]


def test_missing_parent_arriving_later_merges_the_waiting_thread(tmp_path: Path) -> None:
    load("twcs", write(tmp_path, "first.csv", TWCS))
    later = TWCS_HEADER + tweet(9, "AppleSupport", False, 19, "@115713 Hi! How can we help?", "")
    summary, _ = load("twcs", write(tmp_path, "later.csv", later))

    assert summary.imported == 1
    assert tree()["10"] == "9"
    assert thread_of()["10"] == thread_of()["11"] == "@115713 Hi! How can we help?"
    assert Thread.objects.count() == 2
    merged = Thread.objects.get(title="@115713 Hi! How can we help?")
    assert (merged.reply_count, merged.last_activity_at) == (
        2,
        datetime(2017, 10, 31, 22, 21, tzinfo=UTC),
    )
    assert PendingReply.objects.count() == 0
    # The former root is re-indexed as a reply: no title of its own any more.
    entry = SearchEntry.objects.get(object_id=Post.objects.get(external_id="10").pk)
    assert entry.title == ""


def test_one_batch_merges_a_chain_of_waiting_threads(tmp_path: Path) -> None:
    # Two threads wait: 4 for 3, and 2 for 1. Then one batch brings 3 (a reply to 2, so it
    # joins 2's thread) and 1: 4's thread goes into 2's, which goes into 1's.
    load("twcs", write(tmp_path, "a.csv", TWCS_HEADER + tweet(4, "u1", True, 14, "four", "3")))
    load("twcs", write(tmp_path, "b.csv", TWCS_HEADER + tweet(2, "u2", True, 12, "two", "1")))
    later = (
        TWCS_HEADER + tweet(3, "u1", True, 13, "three", "2") + tweet(1, "u2", True, 11, "one", "")
    )
    summary, _ = load("twcs", write(tmp_path, "c.csv", later))

    assert summary.imported == 2
    assert tree() == {"1": None, "2": "1", "3": "2", "4": "3"}
    assert set(thread_of().values()) == {"one"}
    thread = Thread.objects.get()
    assert (thread.reply_count, thread.last_activity_at) == (
        3,
        datetime(2017, 10, 31, 22, 14, tzinfo=UTC),
    )
    assert PendingReply.objects.count() == 0
    written = set(SearchEntry.objects.values_list("object_id", "title"))
    SearchEntry.objects.all().delete()
    bulk_index_posts(Post.objects.select_related("thread__space"))
    assert written == set(SearchEntry.objects.values_list("object_id", "title"))


def test_an_author_seen_in_an_earlier_batch_is_reused_and_can_become_a_brand(
    tmp_path: Path,
) -> None:
    text = (
        TWCS_HEADER
        + tweet(1, "acme", True, 10, "first as a customer", "")
        + tweet(2, "acme", False, 11, "then for the brand", "")
        + tweet(3, "acme", True, 12, "a customer again", "")
    )
    summary, _ = load("twcs", write(tmp_path, "twcs.csv", text), batch_size=1)

    assert summary.imported == 3
    author = ExternalIdentity.objects.get()
    assert author.is_brand_account
    assert set(Post.objects.values_list("external_author_id", flat=True)) == {author.pk}


def test_batches_of_one_give_the_same_trees(tmp_path: Path) -> None:
    summary, _ = load("twcs", write(tmp_path, "twcs.csv", TWCS), batch_size=1)

    assert summary.imported == 5
    assert tree() == {"1": None, "2": "1", "3": "2", "10": None, "11": "10"}
    assert list(Thread.objects.order_by("created_at").values_list("reply_count", flat=True)) == [
        2,
        1,
    ]


def test_reimport_adds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "twcs.csv", TWCS)
    load("twcs", path)
    summary, _ = load("twcs", path)

    assert summary.as_dict() == {"read": 5, "imported": 0, "duplicates": 5, "errors": 0}
    assert (Post.objects.count(), Thread.objects.count(), SearchEntry.objects.count()) == (5, 2, 5)
    assert ExternalIdentity.objects.count() == 4


def test_bad_rows_are_reported_by_line_and_good_rows_kept(tmp_path: Path) -> None:
    text = (
        TWCS_HEADER
        + tweet(1, "115712", True, 10, "first line\nsecond line", "")
        + "2,115712,maybe,Tue Oct 31 22:11:00 +0000 2017,hello,,1\n"
        + "3,115712,True,yesterday,hello,,1\n"
        + "4,115712,True\n"
        + tweet(5, "sprintcare", False, 15, "@115712 hi", "1")
        + tweet(5, "sprintcare", False, 15, "@115712 hi again", "1")
    )
    summary, errors = load("twcs", write(tmp_path, "bad.csv", text))

    assert summary.as_dict() == {"read": 6, "imported": 2, "duplicates": 1, "errors": 3}
    assert [str(error) for error in errors] == [
        "line 4: inbound must be True or False, not 'maybe'",
        "line 5: created_at 'yesterday' is not like 'Tue Oct 31 22:10:47 +0000 2017'",
        "line 6: expected at least 7 columns, found 3",
    ]
    assert Post.objects.get(external_id="1").body_md == "first line\nsecond line"
    assert Post.objects.get(external_id="1").body_html == "<p>first line<br>second line</p>"


def test_crash_after_a_batch_then_rerun_completes_exactly(tmp_path: Path) -> None:
    path = write(tmp_path, "twcs.csv", TWCS)
    with pytest.raises(InjectedCrash):
        load("twcs", path, batch_size=2, crash_after_batches=2)
    assert Post.objects.count() == 4

    summary, _ = load("twcs", path, batch_size=2)

    assert summary.as_dict() == {"read": 5, "imported": 1, "duplicates": 4, "errors": 0}
    assert tree() == {"1": None, "2": "1", "3": "2", "10": None, "11": "10"}
    assert list(Thread.objects.order_by("created_at").values_list("reply_count", flat=True)) == [
        2,
        1,
    ]
    assert SearchEntry.objects.filter(kind="post").count() == 5


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "twcs.csv.gz"
    path.write_bytes(gzip.compress(TWCS.encode()))

    summary, _ = load("twcs", path)

    assert summary.imported == 5


def test_search_finds_imported_text_with_the_same_entries_as_the_indexer(
    tmp_path: Path,
) -> None:
    load("twcs", write(tmp_path, "twcs.csv", TWCS))
    written = {
        e.object_id: (e.title, e.body, e.visibility, e.created_at)
        for e in SearchEntry.objects.all()
    }
    SearchEntry.objects.all().delete()
    bulk_index_posts(Post.objects.select_related("thread__space"))
    indexed = {
        e.object_id: (e.title, e.body, e.visibility, e.created_at)
        for e in SearchEntry.objects.all()
    }

    assert written == indexed
    results = search_posts(AnonymousUser(), "battery")
    assert [hit.post.external_id for hit in results.hits if hit.post] == ["10"]


def jsonl_line(**fields: object) -> str:
    message: dict[str, object] = {
        "id": "m1",
        "source": "Community Forum X",
        "author": "u1",
        "created_at": "2024-05-01T10:00:00Z",
        "text": "Hello",
    }
    message.update(fields)
    return json.dumps(message) + "\n"


def test_jsonl_happy_path_with_ratings(tmp_path: Path, places: object) -> None:
    text = (
        jsonl_line(id=1, author="u1", author_name="Una", title="Pairing trouble", language="en")
        + "\n"
        + jsonl_line(id="2", author="lumen", brand=True, text="Try a reset", in_reply_to=1)
        + jsonl_line(id="r1", author="u2", text="Four stars", rating=4, product="Lumen Hub")
    )
    summary, errors = load("jsonl", write(tmp_path, "m.jsonl", text))

    assert summary.as_dict() == {"read": 3, "imported": 3, "duplicates": 0, "errors": 0}
    assert errors == []
    assert tree() == {"1": None, "2": "1", "r1": None}
    first = Post.objects.get(external_id="1")
    assert (first.thread.title, first.language, first.source.slug) == (
        "Pairing trouble",
        "en",
        "community-forum-x",
    )
    assert first.external_author is not None
    assert first.external_author.display_name == "Una"
    rating = ImportedRating.objects.get()
    assert (rating.post.external_id, rating.product.name, rating.stars) == ("r1", "Lumen Hub", 4)
    assert rating.post.thread.kind == "review"


def test_jsonl_bad_lines_name_the_field(tmp_path: Path, places: object) -> None:
    text = (
        jsonl_line(id="ok")
        + "{not json\n"
        + jsonl_line(id="a", rating=9, product="Lumen Hub")
        + jsonl_line(id="b", created_at="2024-05-01T10:00:00")
        + jsonl_line(id="c", colour="red")
        + jsonl_line(id="d", rating=3)
        + jsonl_line(id="e", rating=3, product="Lumen Toaster")
    )
    summary, errors = load("jsonl", write(tmp_path, "m.jsonl", text))

    assert summary.as_dict() == {"read": 7, "imported": 1, "duplicates": 0, "errors": 6}
    assert [str(e) for e in errors] == [
        "line 2: Invalid JSON: key must be a string at line 1 column 2",
        "line 3: rating: Input should be less than or equal to 5",
        "line 4: created_at: Input should have timezone info",
        "line 5: colour: Extra inputs are not permitted",
        "line 6: rating: a rating needs a product",
        "line 7: unknown product 'Lumen Toaster': no product has that name or slug",
    ]
    assert list(Post.objects.values_list("external_id", flat=True)) == ["ok"]


def test_jsonl_bad_url_says_what_an_address_looks_like(tmp_path: Path, places: object) -> None:
    # It named the regular expression the field was checked with ('^(https?://\\S+)?$').
    text = jsonl_line(id="a", url="javascript:alert(1)") + jsonl_line(
        id="b", url="https://x.example/a b"
    )
    summary, errors = load("jsonl", write(tmp_path, "m.jsonl", text))

    assert summary.errors == 2
    assert [str(e) for e in errors] == [
        "line 1: url: should be an http:// or https:// address, without spaces",
        "line 2: url: should be an http:// or https:// address, without spaces",
    ]


def test_a_gz_file_that_is_not_gzip_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # It raised BadGzipFile: a 500 on the upload page, a traceback from the command.
    path = tmp_path / "m.jsonl.gz"
    path.write_bytes(jsonl_line().encode())

    summary, errors = load("jsonl", path)

    assert summary.as_dict() == {"read": 1, "imported": 0, "duplicates": 0, "errors": 1}
    assert [str(e) for e in errors] == [
        "line 1: not a readable .gz file: Not a gzipped file (b'{\"')"
    ]


def test_a_truncated_gz_file_keeps_the_rows_before_the_damage(tmp_path: Path) -> None:
    lines = "".join(jsonl_line(id=f"m{n}", text="x" * 2000 + str(n)) for n in range(50))
    whole = gzip.compress(lines.encode(), compresslevel=1)
    path = tmp_path / "m.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])

    summary, errors = load("jsonl", path)

    assert summary.imported > 0
    assert summary.errors == 1
    assert "not a readable .gz file" in str(errors[-1])
    assert Post.objects.count() == summary.imported


def test_source_option_overrides_the_file(tmp_path: Path) -> None:
    summary, _ = load("jsonl", write(tmp_path, "m.jsonl", jsonl_line()), source="Forum Y")

    assert summary.imported == 1
    assert Post.objects.get().source.slug == "forum-y"


def test_atom_feed_with_comments(tmp_path: Path) -> None:
    summary, errors = load("feed", DATA / "blog.atom")

    assert summary.as_dict() == {"read": 3, "imported": 2, "duplicates": 0, "errors": 1}
    assert [str(e) for e in errors] == ["line 3: no published or updated date"]
    post = Post.objects.get(external_id="tag:smarthome.example,2024:post-1")
    comment = Post.objects.get(external_id="tag:smarthome.example,2024:comment-7")
    assert comment.parent == post
    assert post.thread == comment.thread
    assert (post.thread.title, post.thread.kind, post.thread.reply_count) == (
        "Lumen Hub review: bright ideas, dim pairing",
        "article",
        1,
    )
    assert post.body_html == "<p>The hub is <strong>great</strong> but pairing took an hour.</p>"
    assert post.body_md == "The hub is great but pairing took an hour."
    assert post.url == "https://smarthome.example/2024/lumen-hub-review"
    assert (post.source.name, post.source.kind) == ("Smart Home Weekly", "blog")


def test_rss_feed_entries_become_threads(tmp_path: Path) -> None:
    summary, _ = load("feed", DATA / "news.rss")

    assert summary.as_dict() == {"read": 2, "imported": 2, "duplicates": 0, "errors": 0}
    assert sorted(Thread.objects.values_list("title", flat=True)) == [
        "Lumen launches a new hub",
        "Thermostats compared",
    ]
    assert Source.objects.get(slug="gadget-news").kind == "blog"


REVIEWS = (
    "reviewer,product,stars,title,text,time\n"
    "Kim,Lumen Hub,5,Love it,Works with everything,2024-02-01T10:00:00Z\n"
    "Lee,lumen-hub,2,Meh,Pairing is slow,2024-02-02\n"
    "Max,Lumen Toaster,4,Toasty,Nice toast,2024-02-03\n"
    "Ned,Lumen Hub,6,Too good,Six stars,2024-02-04\n"
)


def test_reviews_match_products_by_name_or_slug(tmp_path: Path, places: object) -> None:
    path = write(tmp_path, "reviews.csv", REVIEWS)
    summary, errors = load("reviews", path)

    assert summary.as_dict() == {"read": 4, "imported": 2, "duplicates": 0, "errors": 2}
    assert [str(e) for e in errors] == [
        "line 5: stars must be 1 to 5, not 6",
        "line 4: unknown product 'Lumen Toaster': no product has that name or slug",
    ]
    ratings = ImportedRating.objects.select_related("post__external_author", "post__thread")
    assert sorted(
        (r.post.external_author.external_id, r.stars, r.post.thread.title, r.post.body_md)
        for r in ratings
        if r.post.external_author
    ) == [("Kim", 5, "Love it", "Works with everything"), ("Lee", 2, "Meh", "Pairing is slow")]
    assert Post.objects.get(body_md="Pairing is slow").created_at == datetime(
        2024, 2, 2, tzinfo=UTC
    )
    again, _ = load("reviews", path)
    assert (again.imported, again.duplicates, again.errors) == (0, 2, 2)


def test_command_prints_one_json_line_and_errors_with_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", TWCS + "99,x,perhaps,Tue Oct 31 22:11:00 +0000 2017,a,,\n")
    errors_file = tmp_path / "errors.txt"
    out, err = StringIO(), StringIO()

    call_command("import", "twcs", str(path), "--errors", str(errors_file), "-v0", stdout=out)

    assert json.loads(out.getvalue()) == {
        "read": 6,
        "imported": 5,
        "duplicates": 0,
        "errors": 1,
    }
    assert out.getvalue().count("\n") == 1
    assert errors_file.read_text() == "line 7: inbound must be True or False, not 'perhaps'\n"
    assert err.getvalue() == ""


def test_stats_for_the_benchmark_give_times_memory_and_the_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.csv", TWCS)
    stats_file = tmp_path / "stats.json"
    call_command("import", "twcs", str(path), "--stats", str(stats_file), "-v0", stdout=StringIO())
    stats = json.loads(stats_file.read_text())
    assert (stats["read"], stats["imported"], stats["errors"]) == (5, 5, 0)
    assert stats["seconds"] > 0
    assert stats["cpu_seconds"] > 0
    assert stats["close_seconds"] >= 0
    assert stats["peak_rss_kib"] > 10_000


def test_overlong_ids_are_errors_and_nul_characters_dropped(tmp_path: Path, places: object) -> None:
    text = (
        "id,reviewer,product,stars,title,text,time\n"
        f"{'x' * 201},Kim,Lumen Hub,5,Long,Long id,2024-02-01\n"
        "ok-1,Lee,Lumen Hub,4,Nul,A\x00B,2024-02-02\n"
    )
    summary, errors = load("reviews", write(tmp_path, "r.csv", text))

    assert summary.as_dict() == {"read": 2, "imported": 1, "duplicates": 0, "errors": 1}
    assert [str(e) for e in errors] == ["line 2: id longer than 200 characters"]
    assert Post.objects.get().body_md == "AB"


def test_reading_the_messages_after_the_summary_shows_progress(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from cluetrain.listening.models import Enrichment

    path = write(tmp_path, "ok.csv", TWCS)
    out = StringIO()
    # Without a worker (the immediate backend) listening reads them in the command itself.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "twcs", str(path), stdout=out)
    assert json.loads(out.getvalue())["imported"] == 5
    assert out.getvalue().count("\n") == 1  # stdout keeps its one JSON line
    progress = capsys.readouterr().err
    assert "Reading the messages" in progress
    assert "5/5" in progress
    assert Enrichment.objects.count() == 5


def test_every_row_error_cue_is_worded_as_its_english_record() -> None:
    from django.utils import translation

    from cluetrain.imports.reasons import SENTENCES, in_words
    from cluetrain.imports.records import ENGLISH

    # The parsers' English (the command's stderr) and the page's English must not drift.
    values: dict[str, str | int] = {
        "columns": "text",
        "width": 7,
        "found": 3,
        "value": "'x'",
        "stars": 6,
        "example": "'Tue Oct 31 22:10:47 +0000 2017'",
        "detail": "broken",
        "limit": 200,
        "product": "'Lumen Toaster'",
    }
    own = set(ENGLISH) - {"invalid_json", "invalid_field", "unreadable_row"}
    assert set(SENTENCES) == own
    with translation.override("en"):
        for cue in own:
            assert in_words(RowError(3, cue, values)) == RowError(3, cue, values).reason


def test_the_command_reports_row_errors_in_english_whatever_the_language(
    tmp_path: Path,
) -> None:
    from django.utils import translation

    path = write(tmp_path, "bad.csv", TWCS + "99,x,perhaps,Tue Oct 31 22:11:00 +0000 2017,a,,\n")
    errors_file = tmp_path / "errors.txt"
    with translation.override("fr"):
        call_command(
            "import", "twcs", str(path), "--errors", str(errors_file), "-v0", stdout=StringIO()
        )

    assert errors_file.read_text() == "line 7: inbound must be True or False, not 'perhaps'\n"
