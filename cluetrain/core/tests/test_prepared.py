from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from cluetrain.core.prepared import PreparedCounts
from cluetrain.members.models import Member
from conftest import Cast


def test_a_prepared_count_is_the_querysets_count_and_is_built_once_per_shape(cast: Cast) -> None:
    counts = PreparedCounts()
    built: list[str] = []

    def members_like(role: str) -> Callable[[int], QuerySet[Member]]:
        def build(member_id: int) -> QuerySet[Member]:
            built.append(role)
            return Member.objects.filter(role=role, pk__gte=member_id)

        return build

    for member in (cast.alice, cast.bob, cast.sam, cast.ada):
        for role in (Member.Role.CUSTOMER, Member.Role.STAFF):
            expected = Member.objects.filter(role=role, pk__gte=member.pk).count()
            assert counts.count(role, member.pk, members_like(role)) == expected
    assert built == [Member.Role.CUSTOMER, Member.Role.STAFF]  # one SQL per shape

    with CaptureQueriesContext(connection) as queries:
        counts.count(Member.Role.CUSTOMER, cast.alice.pk, members_like("ignored"))
    assert len(queries) == 1
    assert built == [Member.Role.CUSTOMER, Member.Role.STAFF]


@pytest.mark.django_db
def test_a_queryset_that_ignores_the_id_is_refused() -> None:
    with pytest.raises(ValueError, match="does not filter on the id"):
        PreparedCounts().count("all", 1, lambda member_id: Member.objects.all())
