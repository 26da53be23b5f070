"""TrustSVD (the vectorised model) and the blend's optional TrustSVD few-ratings term."""

from collections.abc import Iterator

import numpy as np
import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.ratings import (
    SVDModel,
    TrustBlendModel,
    TrustEdges,
    TrustSVDModel,
)
from cluetrain_analytics.tests.test_reputation import planted_ratings


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    with threadpool_limits(1):
        yield


def test_trustsvd_lets_cold_members_borrow_their_trusted_members_taste() -> None:
    train, test, trust, users, items, cold = planted_ratings()
    cold_rows = cold[test.user]

    def cold_mae(predicted: np.ndarray) -> float:
        return float(np.mean(np.abs(predicted[cold_rows] - test.rating[cold_rows])))

    svd = SVDModel().fit(train, users, items).predict(test.user, test.item)
    with_trust = TrustSVDModel().fit(train, trust, users, items).predict(test.user, test.item)
    empty = np.zeros(0, dtype=np.int64)
    without = TrustSVDModel().fit(train, TrustEdges(empty, empty), users, items)
    without_trust = without.predict(test.user, test.item)
    # Two ratings say little; the trusted members' factors say which taste cluster it is.
    assert cold_mae(with_trust) < cold_mae(svd) - 0.2
    assert cold_mae(with_trust) < cold_mae(without_trust) - 0.2
    assert with_trust.min() >= 1
    assert with_trust.max() <= 5


def test_the_blend_uses_trustsvd_only_when_asked() -> None:
    train, test, trust, users, items, _ = planted_ratings()
    plain = TrustBlendModel().fit(train, trust, users, items)
    assert plain.trust_svd is None
    assert plain.trust_svd_share == 0.0
    model = TrustBlendModel(trust_svd=True).fit(train, trust, users, items)
    assert model.trust_svd is not None
    assert 0.0 <= model.trust_svd_share <= 1.0
    predicted = model.predict(test.user, test.item)
    assert np.all(np.isfinite(predicted))
    assert predicted.min() >= 1
    assert predicted.max() <= 5
    # Warm members (more than FEW_RATINGS ratings) get the same prediction either way.
    warm = np.bincount(train.user, minlength=users)[test.user] > TrustBlendModel.FEW_RATINGS
    plain_predicted = plain.predict(test.user, test.item)
    np.testing.assert_allclose(predicted[warm], plain_predicted[warm])
