"""Reputation analytics on planted graphs: fairness, signed edges, ratings with trust, defences."""

from collections.abc import Iterator

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.defences import (
    FLAG_CUES,
    DefenceSettings,
    FlagReason,
    compute_reputation,
    plain_average,
)
from cluetrain_analytics.reputation.fairness import SignedEdges, fairness_goodness
from cluetrain_analytics.reputation.gaming import gaming_test, inject_ring
from cluetrain_analytics.reputation.ratings import (
    Ratings,
    SVDModel,
    TrustBlendModel,
    TrustEdges,
    trust_prior_bias,
)
from cluetrain_analytics.reputation.signed import (
    FEATURE_NAMES,
    FairnessGoodnessBaseline,
    SignedEdgeModel,
    edge_features,
    out_of_fold_features,
)

DAY = 86400.0


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """Boosting's OpenMP threads spin-wait: on a shared machine one thread is much faster."""
    with threadpool_limits(1):
        yield


def planted_signed_graph(
    seed: int = 0, nodes: int = 150, edges: int = 3000, liars: int = 15
) -> tuple[SignedEdges, np.ndarray, np.ndarray]:
    """Nodes with a hidden quality; honest raters rate it (with noise), liars its opposite."""
    rng = np.random.default_rng(seed)
    quality = np.where(rng.random(nodes) < 0.8, 0.7, -0.7)
    liar = np.zeros(nodes, dtype=bool)
    liar[rng.choice(nodes, liars, replace=False)] = True
    source = rng.integers(0, nodes, edges)
    target = rng.integers(0, nodes, edges)
    keep = source != target
    source, target = source[keep], target[keep]
    honest_rating = quality[target] + rng.normal(0, 0.15, len(target))
    weight = np.clip(np.where(liar[source], -honest_rating, honest_rating), -1, 1)
    time = np.sort(rng.uniform(0, 400 * DAY, len(target)))
    return SignedEdges(source, target, weight, time), quality, liar


def test_fairness_goodness_tells_honest_raters_from_liars() -> None:
    edges, quality, liar = planted_signed_graph()
    fairness, goodness = fairness_goodness(edges, len(quality))
    rated = np.bincount(edges.target, minlength=len(quality)) > 0
    assert fairness[~liar].mean() > fairness[liar].mean() + 0.3
    # Goodness agrees in sign with the hidden quality for nearly every rated node.
    assert np.mean(np.sign(goodness[rated]) == np.sign(quality[rated])) > 0.95


def test_edge_features_never_use_the_edge_itself() -> None:
    edges, quality, _ = planted_signed_graph(nodes=40, edges=120)
    features = out_of_fold_features(edges, len(quality), folds=len(edges))
    # A rater's out-count leaves out at least the edge itself (and, with about one edge per
    # fold, little else).
    out_count = features[:, FEATURE_NAMES.index("u_out_count")]
    others = np.bincount(edges.source, minlength=len(quality))[edges.source] - 1
    assert np.all(out_count <= others)
    assert np.mean(others - out_count) < 0.5


def test_signed_model_beats_fairness_goodness_on_a_planted_graph() -> None:
    edges, quality, _ = planted_signed_graph(edges=4000)
    test_rows = np.arange(len(edges)) % 5 == 0
    train, test = edges.take(~test_rows), edges.take(test_rows)
    train_features = out_of_fold_features(train, len(quality))
    test_features = edge_features(train, test, len(quality))
    ours = SignedEdgeModel(max_iter=100).fit(train_features, train.weight).predict(test_features)
    fxg = FairnessGoodnessBaseline().fit(train_features, train.weight).predict(test_features)
    positive = test.weight > 0
    assert roc_auc_score(positive, ours.sign_score) > 0.9
    assert roc_auc_score(positive, ours.sign_score) >= roc_auc_score(positive, fxg.sign_score)
    rmse = np.sqrt(np.mean((ours.weight - test.weight) ** 2))
    assert rmse < np.sqrt(np.mean((fxg.weight - test.weight) ** 2))


def planted_ratings(seed: int = 0) -> tuple[Ratings, Ratings, TrustEdges, int, int, np.ndarray]:
    """Taste clusters; members trust their own cluster; some members are cold-start (2 ratings).

    Returns train, test, trust, user and item counts, and the cold-start users.
    """
    rng = np.random.default_rng(seed)
    users, items, clusters = 400, 120, 4
    cluster = rng.integers(0, clusters, users)
    taste = rng.choice([1.5, 4.5], size=(clusters, items))
    cold = rng.random(users) < 0.3
    rows: list[tuple[int, int, float]] = []
    for user in range(users):
        count = 2 if cold[user] else 40
        for item in rng.choice(items, count + 8, replace=False):
            rating = float(np.clip(round(taste[cluster[user], item] + rng.normal(0, 0.5)), 1, 5))
            rows.append((user, int(item), rating))
    rater = np.array([row[0] for row in rows], dtype=np.int64)
    rated = np.array([row[1] for row in rows], dtype=np.int64)
    stars = np.array([row[2] for row in rows], dtype=np.float64)
    # The first `count` ratings of each user are train, the other 8 test.
    position = np.concatenate([np.arange(2 + 8 if c else 40 + 8) for c in cold])
    train_rows = position < np.where(cold[rater], 2, 40)
    truster, trustee = [], []
    for member in range(users):
        peers = np.flatnonzero(cluster == cluster[member])
        for peer in rng.choice(peers, 5, replace=False):
            if peer != member:
                truster.append(member)
                trustee.append(int(peer))
    all_ratings = Ratings(rater, rated, stars)
    trust = TrustEdges(np.array(truster, dtype=np.int64), np.array(trustee, dtype=np.int64))
    return (
        all_ratings.take(train_rows),
        all_ratings.take(~train_rows),
        trust,
        users,
        items,
        cold,
    )


def test_trust_helps_cold_start_users_on_planted_tastes() -> None:
    train, test, trust, users, items, cold = planted_ratings()
    svd = SVDModel().fit(train, users, items)
    ours = TrustBlendModel().fit(train, trust, users, items)
    cold_rows = cold[test.user]

    def mae(predicted: np.ndarray, rows: np.ndarray) -> float:
        return float(np.mean(np.abs(predicted[rows] - test.rating[rows])))

    svd_predicted = svd.predict(test.user, test.item)
    ours_predicted = ours.predict(test.user, test.item)
    cold_gain = mae(svd_predicted, cold_rows) - mae(ours_predicted, cold_rows)
    warm_rows = ~cold_rows
    warm_gain = mae(svd_predicted, warm_rows) - mae(ours_predicted, warm_rows)
    assert cold_gain > 0.2
    assert cold_gain > warm_gain


def test_a_member_without_ratings_borrows_the_bias_of_those_they_trust() -> None:
    # Member 0 rated everything 5 (a generous rater), member 1 everything 1; 2 trusts 0 and
    # has no ratings; 3 trusts 0 but rated 40 items low; 4 trusts nobody and has no ratings.
    items = np.arange(40)
    known = Ratings(
        np.repeat([0, 1, 3], 40),
        np.tile(items, 3),
        np.concatenate([np.full(40, 5.0), np.full(40, 1.0), np.full(40, 1.0)]),
    )
    trust = TrustEdges(np.array([2, 3]), np.array([0, 0]))
    svd = SVDModel(epochs=5).fit(known, 5, 40)
    bias = trust_prior_bias(known, trust, svd, 5)
    assert bias[2] > 0.5
    assert bias[3] < 0
    assert bias[4] == 0


def honest_community(seed: int = 0, members: int = 300) -> list[tuple[str, str, float, float]]:
    """Members joining over a year who rate a few others, mostly positively; the first ten
    members are disliked (rated negatively), so that a pump has someone to lift."""
    rng = np.random.default_rng(seed)
    joined = np.sort(rng.uniform(0, 365 * DAY, members))
    rows = []
    for member in range(members):
        for other in rng.choice(members, 6, replace=False):
            if other == member:
                continue
            value = 0.8 if rng.random() < 0.85 and other >= 10 else -0.6
            when = max(joined[member], joined[other]) + rng.uniform(DAY, 60 * DAY)
            rows.append((f"m{member}", f"m{other}", value, float(when)))
    return rows


def test_every_flag_cue_has_english_words_naming_its_figures() -> None:
    for cue, names in FLAG_CUES.items():
        values = dict.fromkeys(names, 7)
        words = FlagReason(cue, values).english()
        assert "7" in words
        assert "{" not in words
    with pytest.raises(ValueError, match="made_up"):
        FlagReason("made_up", {}).english()


def test_a_planted_ring_is_flagged_with_reasons_and_honest_members_are_not() -> None:
    rows = honest_community()
    attacked, fakes = inject_ring(rows, "m7", 12, -1.0)
    report = compute_reputation(attacked)
    assert set(fakes) <= set(report.flagged)
    honest_flagged = [account for account in report.flagged if account not in fakes]
    assert len(honest_flagged) <= 3  # at most 1 % of 300
    reasons = {reason.cue: dict(reason.values) for reason in report.flagged[fakes[0]]}
    assert reasons == {
        "near_identical_neighbourhoods": {"count": 12, "similarity": 0.6},
        "dense_inside": {"percent": 100},
        "links_leaving": {"percent": 8, "limit": 25},
        "rates_outside": {"count": 1},  # the target
        "created_together": {"count": 12, "hours": 24},
    }
    english = [str(reason) for reason in report.flagged[fakes[0]]]
    assert english[0] == "one of 12 accounts with near-identical neighbourhoods (Jaccard >= 0.6)"
    assert english[-1] == "12 of the group's accounts first appeared within 24 h of each other"
    explanation = report.scores["m7"].explanation
    assert explanation["dropped_from_flagged_raters"] == 12


def test_defences_count_one_rating_per_rater_and_shrink_small_samples() -> None:
    rows = [("a", "t", 1.0, float(n)) for n in range(10)] + [("b", "u", -1.0, 0.0)]
    rows += [(f"r{n}", "v", 0.5, 10 * DAY) for n in range(3)]
    report = compute_reputation(rows)
    assert report.scores["t"].explanation["ratings_counted"] == 1
    assert report.scores["t"].explanation["repeat_ratings_dropped"] == 9
    # One rating cannot pull a score to the end of the scale: the prior holds it back.
    prior_mean = report.scores["u"].explanation["prior"]["mean"]
    assert -1.0 < report.scores["u"].score < prior_mean
    assert plain_average(rows)["u"] == -1.0


def test_the_daily_cap_limits_a_flood_of_ratings_in_one_day() -> None:
    rows = honest_community(members=120)
    flood = [(f"new{n}", "m50", -1.0, 400 * DAY + n) for n in range(30)]
    settings = DefenceSettings(min_group=10_000)  # no ring detection: the caps alone
    before = compute_reputation(rows, settings=settings).scores["m50"].score
    after = compute_reputation(rows + flood, settings=settings).scores["m50"].score
    plain_move = abs(plain_average(rows + flood)["m50"] - plain_average(rows)["m50"])
    assert abs(after - before) < plain_move / 2


@pytest.mark.parametrize("k", [5, 20])
def test_gaming_test_on_a_synthetic_community(k: int) -> None:
    result = gaming_test(honest_community(), k=k, targets_per_mode=3)
    for mode in ("bash", "pump"):
        assert result[mode]["movement_cut"] >= 0.8
        assert result[mode]["ring_members_flagged"] >= 0.9
    assert result["genuine_flagged_share"] <= 0.01
    # The patient ring escapes detection; vouching still takes most of its effect away.
    assert result["patient_bash"]["ring_members_flagged"] == 0.0
    assert result["patient_bash"]["movement_cut"] >= 0.6


def test_a_patient_ring_that_escapes_detection_still_counts_little() -> None:
    """Fakes created over two months, rating genuine members to blend in and half of each
    other, attack three months later: no genuine member rates them, so none is vouched for."""
    rows = honest_community()
    rng = np.random.default_rng(5)
    end = max(row[3] for row in rows)
    fakes = [f"patient{n}" for n in range(20)]
    born = {fake: end + rng.uniform(0, 60) * DAY for fake in fakes}
    injected = []
    for fake in fakes:
        for member in rng.choice(300, 5, replace=False):
            injected.append((fake, f"m{member}", 1.0, born[fake] + DAY))
        for other in rng.choice(fakes, 10, replace=False):
            if other != fake:
                injected.append((fake, other, 1.0, max(born[fake], born[other]) + 2 * DAY))
        injected.append((fake, "m50", -1.0, end + rng.uniform(90, 120) * DAY))
    attacked = rows + injected
    before = compute_reputation(rows).scores["m50"].score
    report = compute_reputation(attacked)
    plain_move = abs(plain_average(attacked)["m50"] - plain_average(rows)["m50"])
    assert abs(report.scores["m50"].score - before) < 0.3 * plain_move
    assert report.scores["m50"].explanation["weight_lost_to_unvouched_raters"] > 1.0
