"""The accurate tier (MiniLM): loads offline, reads obvious messages right, trains and saves.

Needs the 'accurate' extra. Outside CI the tests skip without it; with CI=true they fail, so
that a CI image without torch cannot pass silently.
"""

import doctest
import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cluetrain_analytics.text.fast import Analysis, load_fast_tier


def _accurate_module() -> ModuleType:
    try:
        return importlib.import_module("cluetrain_analytics.text.accurate")
    except ImportError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install the 'accurate' extra: {error}")
        pytest.skip(f"the 'accurate' extra is not installed: {error}")


@pytest.fixture(scope="module")
def accurate() -> ModuleType:
    return _accurate_module()


@pytest.fixture(scope="module")
def tier(accurate: ModuleType) -> Any:
    # One load per test session: torch and MiniLM take a few seconds.
    return accurate.load_accurate_tier()


def test_the_shipped_artifact_is_small_and_holds_no_base_model(accurate: ModuleType) -> None:
    weights = accurate.WEIGHTS_PATH
    assert weights.stat().st_size < 8_000_000  # the base model alone is 90 MB
    from safetensors import safe_open

    with safe_open(str(weights), framework="pt") as tensors:
        names = list(tensors.keys())
    assert not any("embeddings" in name for name in names)
    assert {name.split(".")[0] for name in names} == {"layers", "heads"}


def test_the_tier_reads_obvious_messages_right(tier: Any) -> None:
    happy, furious, sad = tier.analyze(
        [
            "I love this, works perfectly, thank you!",
            "worst support ever, I'm furious and fed up",
            "I miss her so much, I cried all night",
        ]
    )
    assert isinstance(happy, Analysis)
    assert (happy.sentiment, furious.sentiment, sad.sentiment) == (
        "positive",
        "negative",
        "negative",
    )
    assert happy.sentiment_score > 0.5
    assert furious.sentiment_score < -0.5
    assert (happy.emotion, furious.emotion, sad.emotion) == ("joy", "anger", "sadness")
    assert sum(furious.emotion_scores.values()) == pytest.approx(1, abs=1e-3)
    assert tier.analyze([]) == []
    assert tier.version.startswith("accurate-")


def test_predict_matches_analyze_and_keeps_input_order(tier: Any) -> None:
    texts = ["so happy today!", "this is awful, I hate it", "the meeting is at 3pm"]
    labels = tier.predict("sentiment", texts)
    assert labels == [
        ["negative", "neutral", "positive"].index(a.sentiment) for a in tier.analyze(texts)
    ]
    # Batches are sorted by length inside; the answer must come back in the caller's order.
    assert tier.predict("sentiment", texts[::-1]) == labels[::-1]
    with pytest.raises(ValueError, match="unknown task"):
        tier.predict("sarcasm", texts)


def test_the_fast_tier_it_was_fused_with_is_the_shipped_one(tier: Any) -> None:
    assert tier.fast is load_fast_tier()
    assert set(tier.fast_weight) == {"sentiment", "emotion", "irony", "offensive"}
    assert all(0 <= weight < 1 for weight in tier.fast_weight.values())


def test_threads_come_from_the_environment(
    accurate: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        monkeypatch.setenv("CLUETRAIN_TORCH_THREADS", "1")
        assert accurate.configure_threads() == 1
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("CLUETRAIN_TORCH_THREADS", "many")
        with pytest.raises(ValueError, match="positive integer"):
            accurate.configure_threads()
        monkeypatch.delenv("CLUETRAIN_TORCH_THREADS")
        assert accurate.configure_threads() == len(os.sched_getaffinity(0))
    finally:
        torch.set_num_threads(before)


@pytest.fixture
def tiny_tweeteval() -> dict[str, tuple[list[str], list[int]]]:
    happy = ["love it, works great", "so happy with this", "awesome, thank you"]
    angry = ["hate it, broken again", "worst support, furious", "awful, never again"]
    calm = ["the store opens at nine", "meeting moved to friday", "new version out today"]
    return {
        "sentiment": (angry + calm + happy, [0] * 3 + [1] * 3 + [2] * 3),
        "emotion": (
            angry + happy + ["tomorrow will be better", "sad and alone"],
            [0] * 3 + [1] * 3 + [2, 3],
        ),
        "irony": (angry + happy, [1] * 3 + [0] * 3),
        "offensive": (angry + happy, [1] * 3 + [0] * 3),
    }


def test_training_saves_weights_that_load_back_to_the_same_answers(
    accurate: ModuleType, tiny_tweeteval: dict[str, tuple[list[str], list[int]]], tmp_path: Path
) -> None:
    trained = accurate.train_accurate_tier(
        tiny_tweeteval, tiny_tweeteval, params={"epochs": 2, "batch_size": 4}, random_state=7
    )
    assert [entry["epoch"] for entry in trained.report["history"]] == [1, 2]
    assert trained.report["train_sizes"]["emotion"] == 8
    weights = accurate.save_accurate_tier(trained, tmp_path / "text-accurate.safetensors")
    assert weights.stat().st_size < 8_000_000
    loaded = accurate.load_accurate_tier(weights)
    assert loaded.version == trained.version
    assert loaded.fast_weight == trained.fast_weight
    texts = tiny_tweeteval["emotion"][0]
    # float16 storage moves probabilities a little, never the class of these examples.
    assert loaded.predict("emotion", texts) == trained.predict("emotion", texts)


def test_tuning_two_layers_trains_the_top_two_and_leaves_the_others_as_shipped(
    accurate: ModuleType, tiny_tweeteval: dict[str, tuple[list[str], list[int]]], tmp_path: Path
) -> None:
    import torch
    from safetensors import safe_open

    from cluetrain_analytics.text._minilm import FrozenBase

    shipped = FrozenBase(1).model.encoder.layer  # all six layers, as shipped
    trained = accurate.train_accurate_tier(
        tiny_tweeteval,
        tiny_tweeteval,
        params={"tuned_layers": 2, "epochs": 1, "batch_size": 4, "lr_layers": 1e-3},
        random_state=7,
    )
    assert trained.base.tuned_layers == 2
    assert len(trained.top.layers) == 2
    # The tuned copies of layers 5 and 6 moved away from the shipped weights...
    for copy, original in zip(trained.top.layers, shipped[4:], strict=True):
        query = copy.attention.self.query.weight
        assert not torch.equal(query, original.attention.self.query.weight)
    # ...while the base model, the four layers run frozen below them included, did not.
    base = trained.base.model
    assert not any(parameter.requires_grad for parameter in base.parameters())
    for frozen, original in zip(base.encoder.layer, shipped, strict=True):
        for (name, value), (_, shipped_value) in zip(
            frozen.state_dict().items(), original.state_dict().items(), strict=True
        ):
            assert torch.equal(value, shipped_value), name
    # Layer-wise decay: the lower tuned layer learns at half the rate of the top one.
    groups = accurate._param_groups(trained.top, {**accurate.DEFAULT_PARAMS, "lr_layers": 1e-4})
    assert [group["lr"] for group in groups] == [5e-5, 1e-4, 2e-3]
    weights = accurate.save_accurate_tier(trained, tmp_path / "text-accurate.safetensors")
    with safe_open(str(weights), framework="pt") as tensors:
        names = list(tensors.keys())
    layers = {name.split(".")[1] for name in names if name.startswith("layers.")}
    assert layers == {"0", "1"}
    loaded = accurate.load_accurate_tier(weights)
    assert loaded.base.tuned_layers == 2
    texts = tiny_tweeteval["sentiment"][0]
    assert loaded.predict("sentiment", texts) == trained.predict("sentiment", texts)


def test_loading_refuses_a_missing_artifact(accurate: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="train_text --tier accurate"):
        accurate.load_accurate_tier(tmp_path / "text-accurate.safetensors")


def test_without_torch_the_import_error_names_the_extra() -> None:
    code = "import sys; sys.modules['torch'] = None\nimport cluetrain_analytics.text.accurate"
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1
    assert "needs the 'accurate' extra" in done.stderr
    assert "pip install -e '.[accurate]'" in done.stderr


@pytest.mark.parametrize("name", ["accurate", "_minilm"])
def test_doctests_pass(accurate: ModuleType, name: str) -> None:
    module = importlib.import_module(f"cluetrain_analytics.text.{name}")
    assert doctest.testmod(module).failed == 0
