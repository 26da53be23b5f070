"""Every label a page shows from a form or a model's choices is marked for translation: a plain
string is English on a French page, and test_i18n cannot see it (it is in no catalogue)."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.utils.functional import Promise

import cluetrain


def _is_english_only(label: object, value: object) -> bool:
    # A label that is its own code ("jsonl", "twcs") names a format, not a word to translate.
    return isinstance(label, str) and bool(label) and label != value


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(cluetrain.__path__, "cluetrain."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or not name.endswith(".forms"):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_form_labels_help_texts_and_choices_are_translatable() -> None:
    untranslated = []
    for form in _form_classes():
        for name, field in form.base_fields.items():  # type: ignore[attr-defined]
            for attribute in ("label", "help_text"):
                text = getattr(field, attribute)
                if text and not isinstance(text, Promise):
                    untranslated.append(f"{form.__name__}.{name}.{attribute}: {text!r}")
            if hasattr(field, "queryset"):
                continue  # choices from rows: members' own words
            for choice in getattr(field, "choices", None) or []:
                if len(choice) == 2 and _is_english_only(choice[1], choice[0]):
                    untranslated.append(f"{form.__name__}.{name} choice: {choice[1]!r}")
    assert untranslated == []


@pytest.mark.parametrize(
    "app",
    [config.label for config in apps.get_app_configs() if config.name.startswith("cluetrain")],
)
def test_model_choices_are_translatable(app: str) -> None:
    untranslated = [
        f"{model.__name__}.{field.name}: {label!r}"
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.fields
        for value, label in field.choices or []
        if _is_english_only(label, value)
    ]
    assert untranslated == []
