import doctest

from cluetrain_analytics.text._events import find_event
from cluetrain_lab.evaluation import intent_objects
from cluetrain_lab.evaluation.intent_objects import Picker, candidates, settle


def test_the_picker_learns_objects_outside_the_lexicon() -> None:
    stop = frozenset({"is", "the", "my", "and", "again"})
    texts = [
        "my router is dead again",
        "the kettle is dead",
        "my blender is dead and the app is fine",
        "my toaster is dead",
    ]
    options = [candidates(text, *find_event(text), stop) for text in texts]
    picker = Picker().fit(options, ["wifi", "kettle", "blender", "toaster"])
    assert picker.weights
    fridge = "my fridge is dead"
    # The rules name no object here, so the shipped reader gives no event; the picker does.
    assert settle(fridge, find_event(fridge), True, None) is None
    assert settle(fridge, find_event(fridge), True, picker) == "fridge problem"
    # No complaint and no state: no event, picker or not.
    assert settle(fridge, (None, None), False, picker) is None


def test_the_picker_keeps_the_rules_state_and_leaves_where_events() -> None:
    picker = Picker()
    picker.weights, picker.bias = {"c=modem": 4.0}, -1.0
    text = "the modem and the app crashes"
    assert settle(text, ("app crashes", "state"), True, picker) == "modem crashes"
    assert settle(text, ("refund late", "where"), True, picker) == "refund late"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(intent_objects)
    assert result.attempted > 0
    assert result.failed == 0
