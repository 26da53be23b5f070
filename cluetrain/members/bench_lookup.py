"""How long the member picker takes to resolve typed text, among many members.

    python -m cluetrain.members.bench_lookup --db sqlite|postgres --members 100000
        [--texts 10] [--repeat 3] [--seed 1] [--tag after] [--out benchmarks]

Makes a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
`cluetrain_bench_lookup`, dropped and made; `--postgres-url` names the server), migrates it,
writes `--members` active members in bulk (names from the demo's corpus, a tenth of them
accented, and surnames made up from syllables so that they are as varied as a large
community's; usernames as the demo makes them), then times `pick_member` (what the picker's
form fields and the API resolve text with: an exact member, else the people it may mean, else
a guess) on `--texts` texts of each kind below, drawn from the members, each `--repeat` times:

- `one_letter` ("a"), `three_letters` (the start of a surname), `two_words` ("ali arc"),
  `full_name`, `username` ("@name"), `typo` (a first name with two letters swapped), and
  `nobody` (letters no name has);
- `yardstick`: the same number of bare indexed queries, a member by their exact username
  (`Member.objects.filter(username=...).first()`), so that runs on a busy machine can be read
  against what one indexed query costs there and then.

Nothing here is specific to one version of the lookup: the same file times the code before
and after a change (`--tag`). The last line of stdout is the result as one JSON line; with
`--out DIR` it is also written to `DIR/lookup-<db>-<members>[-<tag>].json`, and a table to
the `.md` beside it. On PostgreSQL the tables are analysed after the load, as autovacuum
would do soon after; SQLite has no statistics unless someone runs ANALYZE, so it gets none.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

BENCH_DATABASE = "cluetrain_bench_lookup"
DEMO_DATA = Path(__file__).resolve().parents[1] / "demo" / "data"
BATCH = 5_000
KINDS = (
    "one_letter",
    "three_letters",
    "two_words",
    "full_name",
    "username",
    "typo",
    "nobody",
)
ACCENTED_FIRST = ("José", "Zoë", "Renée", "Søren", "Łukasz", "Åsa", "Çağla", "Jürgen", "Inès")
SYLLABLES = (
    *("ka", "ren", "berg", "mo", "li", "sson", "tan", "vi", "del", "ro", "shi", "ma"),
    *("gu", "ez", "nov", "ski", "ar", "chen", "o", "wen", "fer", "ri", "la", "du"),
)


def _fresh_database(db: str, postgres_url: str) -> str:
    if db == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="bench-lookup-"))
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    server = postgres_url.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return f"{server}/{BENCH_DATABASE}"


def _surnames(rng: random.Random, corpus_names: tuple[str, ...], count: int) -> list[str]:
    made = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        for _ in range(count)
    }
    return [*corpus_names, *sorted(made)]


def _people(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(username, display name) for `count` members, usernames unique."""
    from django.utils.text import slugify

    # The demo's names, read from its data file: the members app may not import the demo.
    corpus = json.loads((DEMO_DATA / "people.json").read_text(encoding="utf-8"))
    firsts = [*corpus["first_names"]]
    lasts = _surnames(rng, tuple(corpus["last_names"]), max(100, count // 10))
    taken: set[str] = set()
    people = []
    for _ in range(count):
        first = rng.choice(ACCENTED_FIRST) if rng.random() < 0.1 else rng.choice(firsts)
        last = rng.choice(lasts)
        plain_first, plain_last = slugify(first).replace("-", ""), slugify(last).replace("-", "")
        username = rng.choice(
            (
                f"{plain_first}.{plain_last}",
                f"{plain_first}{plain_last[0]}",
                f"{plain_first}_{plain_last}",
                f"{plain_first}{rng.randint(1, 99)}",
                f"{plain_first[0]}{plain_last}",
            )
        )
        candidate = username
        while candidate in taken:
            candidate = f"{username}{rng.randint(2, 9999)}"
        taken.add(candidate)
        people.append((candidate, f"{first} {last}"))
    return people


def _load(people: list[tuple[str, str]]) -> float:
    from django.contrib.auth.hashers import make_password

    from cluetrain.members.models import Member

    unusable = make_password(None)  # nobody signs in as them
    started = time.perf_counter()
    for start in range(0, len(people), BATCH):
        Member.objects.bulk_create(
            Member(
                username=username,
                email=f"{username}@bench.invalid",
                password=unusable,
                display_name=name,
                first_name=name.split()[0],
                last_name=name.split()[-1],
            )
            for username, name in people[start : start + BATCH]
        )
    return time.perf_counter() - started


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word + word[-1]
    at = rng.randrange(1, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _texts(people: list[tuple[str, str]], count: int, rng: random.Random) -> dict[str, list[str]]:
    chosen = rng.sample(people, count)
    texts: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for username, name in chosen:
        first, last = name.split()[0], name.split()[-1]
        texts["one_letter"].append(first[0].lower())
        texts["three_letters"].append(last[:3].lower())
        texts["two_words"].append(f"{first[:3]} {last[:3]}".lower())
        texts["full_name"].append(name)
        texts["username"].append("@" + username)
        texts["typo"].append(_typo(first.lower(), rng))
        texts["nobody"].append("".join(rng.choice("qxzvjk") for _ in range(5)))
    return texts


def _by_username(username: str) -> object:
    from cluetrain.members.models import Member

    return Member.objects.filter(username=username).first()


def _timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = _fresh_database(args.db, args.postgres_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluetrain.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cluetrain.members import lookup
    from cluetrain.members.models import Member

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(args.seed)
    people = _people(args.members, rng)
    load_seconds = _load(people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    viewer = Member.objects.order_by("pk").first()
    assert viewer is not None
    texts = _texts(people, args.texts, rng)
    found: dict[str, int] = {}
    kinds: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        times: list[float] = []
        found[kind] = 0
        for text in texts[kind]:
            picked = lookup.pick_member(text, viewer)
            found[kind] += picked.member is not None or bool(picked.choices)
            times += _timed(partial(lookup.pick_member, text, viewer), args.repeat)
        kinds[kind] = _summary(times)
    yardstick: list[float] = []
    for username in texts["username"]:
        plain = username.removeprefix("@")
        yardstick += _timed(partial(_by_username, plain), args.repeat)
    every = [kinds[kind]["median_ms"] for kind in KINDS]
    return {
        "db": args.db,
        "members": args.members,
        "tag": args.tag,
        "texts_per_kind": args.texts,
        "repeat": args.repeat,
        "seed": args.seed,
        "load_seconds": round(load_seconds, 2),
        "kinds": kinds,
        "found": found,
        "median_of_kind_medians_ms": round(statistics.median(every), 2),
        "yardstick": _summary(yardstick),
        "python": platform.python_version(),
        "django": django.__version__,
        "database_version": _database_version(connection),
        "load_average": round(os.getloadavg()[0], 2),
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _database_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def _markdown(result: dict[str, Any], command: str) -> str:
    tag = f" ({result['tag']})" if result["tag"] else ""
    rows = [
        f"# Member lookup, {result['db']}, {result['members']} members{tag}",
        "",
        f"Measured {result['measured']} by `{command}` (Python {result['python']}, Django "
        f"{result['django']}, {result['db']} {result['database_version']}; load average "
        f"{result['load_average']} when it ended). Writing the members took "
        f"{result['load_seconds']} s.",
        "",
        f"Each kind: {result['texts_per_kind']} texts drawn from the members, each resolved "
        f"{result['repeat']} times by `pick_member`; `found`: texts that gave a member or "
        "people to choose from. `yardstick`: a member by exact username, one indexed query.",
        "",
        "| kind | median ms | p95 ms | max ms | found |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        figures = result["kinds"][kind]
        rows.append(
            f"| {kind} | {figures['median_ms']} | {figures['p95_ms']} | {figures['max_ms']} "
            f"| {result['found'][kind]}/{result['texts_per_kind']} |"
        )
    yard = result["yardstick"]
    rows.append(f"| yardstick | {yard['median_ms']} | {yard['p95_ms']} | {yard['max_ms']} | |")
    rows += ["", "What the run said:", "", "```", json.dumps(result), "```", ""]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluetrain.members.bench_lookup")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--texts", type=int, default=10, help="texts of each kind")
    parser.add_argument("--repeat", type=int, default=3, help="times each text is resolved")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tag", default="", help="names the run: before, after")
    parser.add_argument("--out", type=Path, help="write lookup-<db>-<members>[-<tag>].json/.md")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args(argv)
    result = run(args)
    line = json.dumps(result)
    if args.out is not None:
        name = f"lookup-{args.db}-{args.members}" + (f"-{args.tag}" if args.tag else "")
        command = "python -m cluetrain.members.bench_lookup " + " ".join(
            arg for arg in (argv if argv is not None else sys.argv[1:]) if arg
        )
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{name}.json").write_text(line + "\n", encoding="utf-8")
        (args.out / f"{name}.md").write_text(_markdown(result, command), encoding="utf-8")
    sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
