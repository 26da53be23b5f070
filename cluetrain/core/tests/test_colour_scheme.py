"""The light and the dark colour scheme: every text on its background reads (WCAG AA, 4.5:1).

The colours are read from app.css itself: the :root variables, then the ones that
`@media (prefers-color-scheme: dark)` sets over them.
"""

import re
from pathlib import Path

import pytest

import cluetrain

CSS = (Path(cluetrain.__file__).parent / "core/static/cluetrain/app.css").read_text()
DARK_BLOCK = re.compile(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(?P<vars>[^}]*)\}")

# (text, background) pairs the stylesheet draws, by variable name.
PAIRS = [
    ("text", "bg"),
    ("text", "card"),
    ("muted", "card"),
    ("muted", "bg"),
    ("accent", "card"),  # links
    ("accent", "bg"),
    ("accent", "accent-soft"),  # badges, secondary buttons, messages
    ("text", "accent-soft"),  # unread notifications, messages
    ("staff", "staff-soft"),
    ("staff", "card"),
    ("warn", "warn-soft"),
    ("danger", "danger-soft"),
    ("danger", "card"),  # form errors
    ("button-text", "button-bg"),
    ("button-text", "danger-button"),
    ("text", "input-bg"),
    ("text", "code-bg"),
    ("text", "mark"),
]


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))


def _scheme(name: str) -> dict[str, str]:
    root = re.search(r":root \{(?P<vars>[^}]*)\}", CSS)
    assert root is not None
    colours = _variables(root["vars"])
    if name == "dark":
        dark = DARK_BLOCK.search(CSS)
        assert dark is not None, "app.css has no dark scheme"
        colours |= _variables(dark["vars"])
    # Follow var(--x) references.
    for key, value in list(colours.items()):
        while value.startswith("var(--"):
            value = colours[value[6:-1]]
        colours[key] = value
    return colours


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_does() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_reads_on_its_background(scheme: str, text: str, background: str) -> None:
    colours = _scheme(scheme)
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{scheme}: --{text} on --{background} is {ratio:.2f}:1"


def test_the_dark_scheme_changes_the_backgrounds() -> None:
    light, dark = _scheme("light"), _scheme("dark")
    for name in ("bg", "card", "input-bg", "code-bg"):
        assert _luminance(dark[name]) < 0.05 < _luminance(light[name])
