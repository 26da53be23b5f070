"""Synthetic cascades with a known law, and a writer for the ``cascades_twitter1516`` layout.

Used by the tests (no shared data needed) and handy for demos. Each cascade draws a final size
and a time scale independently; its shares arrive at exponential delays of that time scale, so
how fast the early shares came tells how much of the cascade is still to come.

>>> cascades = synthetic_cascades(3, seed=1)
>>> sorted(cascades)[0], all(cascade.size >= 3 for cascade in cascades.values())
(('synthetic', '1000'), True)
"""

import csv
import gzip
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

import numpy as np

from cluetrain_analytics.spread.cascades import (
    EDGE_COLUMNS,
    LABEL_COLUMNS,
    Cascade,
    CascadeKey,
    Share,
)

__all__ = ["synthetic_cascades", "write_cascades"]


def synthetic_cascades(
    n: int,
    *,
    seed: int = 0,
    log_size_range: tuple[float, float] = (1.0, 5.5),
    minutes_range: tuple[float, float] = (20.0, 600.0),
    root_share_probability: float = 0.6,
    dataset: str = "synthetic",
) -> dict[CascadeKey, Cascade]:
    """``n`` random cascades keyed ``(dataset, str(1000 + i))``.

    Parameters
    ----------
    n : int
        How many.
    seed : int
        Seed of numpy's generator: the same seed gives the same cascades.
    log_size_range : (float, float)
        The final size is ``round(exp(u))`` for ``u`` uniform in this range (at least 1).
    minutes_range : (float, float)
        The mean delay is log-uniform in this range.
    root_share_probability : float
        Chance that a share comes from the root rather than from an earlier share.
    dataset : str
        First part of every key.
    """
    rng = np.random.default_rng(seed)
    cascades: dict[CascadeKey, Cascade] = {}
    low, high = np.log(minutes_range[0]), np.log(minutes_range[1])
    for index in range(n):
        tweet = str(1000 + index)
        root = f"root{index}:{tweet}"
        size = max(1, round(float(np.exp(rng.uniform(*log_size_range)))))
        scale = float(np.exp(rng.uniform(low, high)))
        delays = np.sort(np.round(rng.exponential(scale, size), 2))
        nodes = [root]
        shares = []
        for position, delay in enumerate(delays):
            child = f"u{index}_{position}:{tweet}"
            from_root = rng.random() < root_share_probability
            parent = root if from_root else nodes[int(rng.integers(len(nodes)))]
            shares.append(Share(parent, child, float(delay), f"u{index}_{position}"))
            nodes.append(child)
        cascades[(dataset, tweet)] = Cascade.from_shares(root, shares, label="synthetic")
    return cascades


def _split_node(node: str, tweet: str) -> tuple[str, str]:
    user, _colon, node_tweet = node.rpartition(":")
    return (user, node_tweet) if user else (node, tweet)


def write_cascades(
    folder: str | Path, cascades: Mapping[CascadeKey, Cascade], *, gz: bool = True
) -> None:
    """Write ``edges.csv[.gz]`` and ``labels.csv[.gz]`` that :func:`read_cascades` reads back.

    Node ids of the form ``user:tweet`` are split into the uid and tweet-id columns; others
    become the uid, with the root's tweet id.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".csv.gz" if gz else ".csv"

    with ExitStack() as stack:
        files: dict[str, TextIO] = {}
        for stem in ("edges", "labels"):
            path = folder / f"{stem}{suffix}"
            if gz:
                files[stem] = stack.enter_context(
                    gzip.open(path, "wt", encoding="utf-8", newline="")
                )
            else:
                files[stem] = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        edges = csv.writer(files["edges"], lineterminator="\n")
        labels = csv.writer(files["labels"], lineterminator="\n")
        edges.writerow(EDGE_COLUMNS)
        labels.writerow(LABEL_COLUMNS)
        for (dataset, tweet), cascade in cascades.items():
            labels.writerow([dataset, tweet, cascade.label])
            root_user, root_tweet = _split_node(cascade.root, tweet)
            edges.writerow([dataset, tweet, "ROOT", "ROOT", 0.0, root_user, root_tweet, 0.0])
            delays = {cascade.root: 0.0} | {
                share.child: share.delay_min for share in cascade.shares
            }
            for share in cascade.shares:
                parent_user, parent_tweet = _split_node(share.parent, tweet)
                child_user, child_tweet = _split_node(share.child, tweet)
                edges.writerow(
                    [
                        dataset,
                        tweet,
                        parent_user,
                        parent_tweet,
                        delays.get(share.parent, 0.0),
                        child_user,
                        child_tweet,
                        share.delay_min,
                    ]
                )
