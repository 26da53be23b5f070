"""Score a text model on a TweetEval-layout folder: the logic behind ``cluetrain eval text``."""

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.text.tweeteval import scores
from cluetrain_lab.analytics.text.tweeteval import load_split

__all__ = ["BASELINES", "TIERS", "evaluate"]

Predictor = Callable[[Sequence[str]], list[int]]


def _vader(task: str, folder: Path) -> Predictor:
    if task != "sentiment":
        raise ValueError("the VADER baseline only does sentiment")
    from cluetrain_analytics.text.features import lexicon_scores

    lexicon_scores(["warm up"])  # loads the lexicon outside the timed part

    def predict(texts: Sequence[str]) -> list[int]:
        # VADER's own thresholds: compound >= 0.05 positive, <= -0.05 negative.
        compound = lexicon_scores(texts)[:, 0]
        return [2 if c >= 0.05 else 0 if c <= -0.05 else 1 for c in compound]

    return predict


def _tfidf_baseline(task: str, folder: Path) -> Predictor:
    """TF-IDF word 1-2 + char_wb 2-5 grams and a balanced logistic regression, fitted here."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline, make_union  # type: ignore[import-untyped]

    texts, labels = load_split(folder, "train", task=task)
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(class_weight="balanced", max_iter=3000, random_state=42),
    ).fit(texts, labels)
    return lambda batch: [int(label) for label in model.predict(batch)]


def _fast(task: str, folder: Path) -> Predictor:
    from cluetrain_analytics.text.fast import load_fast_tier

    tier = load_fast_tier()
    return lambda texts: tier.predict(task, texts)


def _accurate(task: str, folder: Path) -> Predictor:
    # Raises ImportError naming the 'accurate' extra when torch or the model package is missing.
    from cluetrain_analytics.text.accurate import load_accurate_tier

    tier = load_accurate_tier()
    tier.predict(task, ["warm up"])  # first-call costs (allocations, caches) outside the timing
    return lambda texts: tier.predict(task, texts)


#: ``--tier`` name -> factory(task, folder) of the tier's own predictor.
TIERS: dict[str, Callable[[str, Path], Predictor]] = {"fast": _fast, "accurate": _accurate}


#: ``--model`` name -> factory(task, folder) of a predictor; "default" is the tier itself.
BASELINES: dict[str, Callable[[str, Path], Predictor]] = {
    "vader": _vader,
    "tfidf-baseline": _tfidf_baseline,
}


def evaluate(
    task: str, data: str | Path, split: str, *, tier: str = "fast", model: str = "default"
) -> dict[str, Any]:
    """Scores of one model on ``data/{split}_*``, with its throughput.

    The fast tier and the baselines run on one thread (BLAS limited to 1); the accurate tier
    runs on ``$CLUETRAIN_TORCH_THREADS`` torch threads (default: every core available).
    Raises ``ImportError`` for the accurate tier without its extra installed.
    """
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
    folder = Path(data)
    texts, labels = load_split(folder, split, task=task)
    predictor = TIERS[tier](task, folder) if model == "default" else BASELINES[model](task, folder)
    # torch sets its own thread count; threadpoolctl would cap its BLAS under it too.
    threads = None if model == "default" and tier == "accurate" else 1
    with threadpool_limits(limits=threads):
        started = time.perf_counter()
        predicted = predictor(texts)
        elapsed = time.perf_counter() - started
    return {
        "task": task,
        "split": split,
        "tier": tier,
        "model": model,
        "n": len(labels),
        **scores(task, labels, predicted),
        "messages_per_s": round(len(labels) / elapsed) if elapsed > 0 else None,
    }
