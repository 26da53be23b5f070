"""`cluetrain eval themes --data DIR`: the jam theme clustering on OpenIDEO concepts.

Every concept (type "concept") of every challenge in DIR (the layout of
../shared/data/ideas_openideo: concepts.jsonl(.gz)) is clustered together, with as many
themes as there are challenges, by the platform's own theme code
(`cluetrain_analytics.text.themes.fit_themes`, what a jam's first clustering runs). The
clusters are scored against the challenge each concept was posted to, by normalized mutual
information and the adjusted Rand index, beside TF-IDF + k-means (scikit-learn defaults,
English stop words, 10 starts) on the same texts in the same run. One JSON line on stdout.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sklearn.cluster import KMeans  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.metrics import (  # type: ignore[import-untyped]
    adjusted_rand_score,
    normalized_mutual_info_score,
)
from tqdm import tqdm

from cluetrain_analytics.text.themes import fit_themes, theme_text
from cluetrain_lab.files import find_file, jsonl_rows


def read_concepts(folder: Path) -> list[tuple[int, str, str]]:
    """(challenge, title, description) of every concept in the folder."""
    path = find_file(folder, "concepts.jsonl") if folder.is_dir() else None
    if path is None:
        raise FileNotFoundError(f"{folder} has no concepts.jsonl(.gz)")
    rows = []
    for number, row in jsonl_rows(path):
        if not isinstance(row, dict):
            raise ValueError(f"{path} line {number}: not a JSON object")
        if row.get("type") == "concept":
            try:
                challenge = int(row["challenge"])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"{path} line {number}: a concept without its challenge") from None
            rows.append((challenge, row.get("title") or "", row.get("description") or ""))
    if not rows:
        raise ValueError(f"{path} holds no concepts")
    return rows


def _scores(truth: list[int], labels: Any) -> dict[str, float]:
    return {
        "nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
        "ari": round(float(adjusted_rand_score(truth, labels)), 4),
    }


def evaluate(rows: list[tuple[int, str, str]], seed: int = 0) -> dict[str, Any]:
    truth = [challenge for challenge, _, _ in rows]
    k = len(set(truth))
    with tqdm(total=2, desc="clustering", file=sys.stderr) as bar:
        ours = fit_themes([theme_text(title, body) for _, title, body in rows], k, seed=seed)
        bar.update()
        tfidf = TfidfVectorizer(stop_words="english").fit_transform(
            [f"{title}. {body}" for _, title, body in rows]
        )
        baseline = KMeans(k, n_init=10, random_state=seed).fit_predict(tfidf)
        bar.update()
    return {
        "n": len(rows),
        **_scores(truth, ours.labels),
        "baselines": {"tfidf_kmeans": _scores(truth, baseline)},
    }


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval themes",
        description="Cluster all concepts of the challenges in --data into as many themes as "
        "challenges; print one JSON line with n, nmi, ari and the TF-IDF + k-means baseline.",
    )
    parser.add_argument("--data", required=True, metavar="DIR", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        rows = read_concepts(options.data)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval themes: {error}\n")
        return 2
    if len({challenge for challenge, _, _ in rows}) < 2:
        sys.stderr.write(
            "one challenge: one theme holds every concept, so NMI and ARI are 1 for any method\n"
        )
    result = evaluate(rows, options.seed)
    sys.stderr.write(f"clustered {result['n']} concepts in {time.perf_counter() - started:.1f} s\n")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
