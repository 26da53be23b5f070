"""The gaming test: inject vote rings into a real trust graph and measure what they achieve.

A ring is ``k`` fake accounts created together after the last real rating. Every fake rates
every other fake at +1; all of them rate one target at -1 (``bash``) or +1 (``pump``). For each
target the test compares the target's reputation before and after the attack, once with the
plain average (no defences) and once with :func:`compute_reputation`, and counts the ring
members and genuine accounts that the defences flag. A third mode, ``patient_bash``, is a
ring built to escape group detection (:func:`inject_patient_ring`).
"""

from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from cluetrain_analytics.reputation.defences import (
    DefenceSettings,
    compute_reputation,
    plain_average,
)

__all__ = ["gaming_test", "inject_patient_ring", "inject_ring"]

Row = tuple[Hashable, Hashable, float, float]

#: A bash (-1) hits a target with a positive mean rating, a pump (+1) lifts one with a negative
#: mean (else there is little to move).
#: ``patient_bash`` is a harder ring: see :func:`inject_patient_ring`.
_MODES = {"bash": -1.0, "pump": 1.0, "patient_bash": -1.0}
_DAY = 86400.0


def inject_ring(
    rows: Sequence[Row], target: Hashable, k: int, value: float, *, seed: int = 0
) -> tuple[list[Row], list[str]]:
    """``rows`` plus a ring of ``k`` fakes rating each other +1 and ``target`` ``value``."""
    start = max(row[3] for row in rows) + 86400.0
    rng = np.random.default_rng(seed)
    fakes = [f"ring-{seed}-{n}" for n in range(k)]
    injected: list[Row] = []
    for fake in fakes:
        moments = start + rng.uniform(0, 86400.0, size=k)
        injected += [
            (fake, other, 1.0, float(moment))
            for other, moment in zip(fakes, moments, strict=False)
            if other != fake
        ]
        injected.append((fake, target, value, float(moments[-1])))
    return [*rows, *injected], fakes


def inject_patient_ring(
    rows: Sequence[Row], target: Hashable, k: int, value: float, *, seed: int = 0
) -> tuple[list[Row], list[str]]:
    """A ring built to escape group detection: ``k`` fakes created over two months, each
    rating 5 random genuine accounts +1 to blend in and half of the other fakes +1, and all
    rating ``target`` ``value`` three to four months after the last real rating."""
    end = max(row[3] for row in rows)
    accounts = sorted({row[0] for row in rows} | {row[1] for row in rows}, key=str)
    rng = np.random.default_rng(seed)
    fakes = [f"patient-{seed}-{n}" for n in range(k)]
    born = {fake: end + float(rng.uniform(0, 60)) * _DAY for fake in fakes}
    injected: list[Row] = []
    for fake in fakes:
        for position in rng.choice(len(accounts), min(5, len(accounts)), replace=False):
            moment = born[fake] + float(rng.uniform(0, 5)) * _DAY
            injected.append((fake, accounts[position], 1.0, moment))
        for other in rng.choice(len(fakes), k // 2, replace=False):
            if fakes[other] != fake:
                moment = max(born[fake], born[fakes[other]]) + float(rng.uniform(0, 30)) * _DAY
                injected.append((fake, fakes[other], 1.0, moment))
        injected.append((fake, target, value, end + float(rng.uniform(90, 120)) * _DAY))
    return [*rows, *injected], fakes


def gaming_test(
    rows: Sequence[Row],
    *,
    k: int = 20,
    targets_per_mode: int = 10,
    min_raters: int = 5,
    seed: int = 0,
    settings: DefenceSettings = DefenceSettings(),  # noqa: B008 - frozen, never mutated
) -> dict[str, Any]:
    """Run bash, pump and patient bash rings against sampled targets of ``rows`` (values in
    [-1, 1]).

    Returns the movement of the targets' reputation with and without defences, the share of
    the movement the defences cut, and the shares of ring members and genuine accounts flagged.
    """
    if k < 2:
        raise ValueError("a ring needs at least 2 accounts")
    clean = compute_reputation(rows, settings=settings)
    # The same defences without group detection: what the caps, prior and reliability do alone.
    undetected = replace(settings, min_group=len(rows) + k + 1)
    clean_undetected = compute_reputation(rows, settings=undetected)
    clean_plain = plain_average(rows)
    raters: dict[Hashable, set[Hashable]] = {}
    for rater, target, _, _ in rows:
        raters.setdefault(target, set()).add(rater)
    genuine = {row[0] for row in rows} | {row[1] for row in rows}
    rng = np.random.default_rng(seed)
    result: dict[str, Any] = {"k": k, "genuine_accounts": len(genuine)}
    genuine_flagged: set[Hashable] = set(clean.flagged)
    for mode, value in _MODES.items():
        eligible = sorted(
            (
                target
                for target, who in raters.items()
                if len(who) >= min_raters
                and (clean_plain[target] > 0.0 if value < 0 else clean_plain[target] < 0.0)
            ),
            key=str,
        )
        chosen = rng.choice(len(eligible), min(targets_per_mode, len(eligible)), replace=False)
        plain_moves: list[float] = []
        defended_moves: list[float] = []
        undetected_moves: list[float] = []
        ring_flagged = ring_total = 0
        for run, position in enumerate(chosen.tolist()):
            target = eligible[position]
            inject = inject_patient_ring if mode.startswith("patient") else inject_ring
            attacked, fakes = inject(rows, target, k, value, seed=seed * 1000 + run)
            report = compute_reputation(attacked, settings=settings)
            plain_moves.append(abs(plain_average(attacked)[target] - clean_plain[target]))
            defended_moves.append(abs(report.scores[target].score - clean.scores[target].score))
            undetected_moves.append(
                abs(
                    compute_reputation(attacked, settings=undetected).scores[target].score
                    - clean_undetected.scores[target].score
                )
            )
            ring_flagged += sum(fake in report.flagged for fake in fakes)
            ring_total += len(fakes)
            genuine_flagged |= {account for account in report.flagged if account in genuine}
        plain_total, defended_total = sum(plain_moves), sum(defended_moves)
        result[mode] = {
            "targets": len(chosen),
            "movement_without_defences": round(plain_total / max(len(chosen), 1), 4),
            "movement_with_defences": round(defended_total / max(len(chosen), 1), 4),
            "movement_cut": round(1.0 - defended_total / plain_total, 4) if plain_total else None,
            "movement_cut_without_group_detection": (
                round(1.0 - sum(undetected_moves) / plain_total, 4) if plain_total else None
            ),
            "ring_members_flagged": round(ring_flagged / ring_total, 4) if ring_total else None,
        }
    result["genuine_flagged"] = len(genuine_flagged)
    result["genuine_flagged_share"] = round(len(genuine_flagged) / max(len(genuine), 1), 4)
    return result
