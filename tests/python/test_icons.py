"""The variation and assurance icons: valid SVG that carries the Making Data Count meaning in
colour, letters, shape and words."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from qiscope.plot import COLOURS
from qiscope.report import assurance_icon, icon_key, variation_icon
from qiscope.report.icons import ASSURANCE_TEXT, VARIATION_TEXT

SVG = "{http://www.w3.org/2000/svg}"

# The names the core can return (qiscope._core.spc.variation_names / assurance_names).
VARIATIONS = ["common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
              "neutral_high", "neutral_low"]
ASSURANCES = ["pass", "fail", "hit_and_miss"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def ring_colour(root: ET.Element) -> str:
    return root.find(f"{SVG}circle").get("stroke")


def letters(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_every_name_the_core_returns_has_an_icon() -> None:
    import qiscope as qi

    assert [n for n in qi._core.spc.variation_names if n] == VARIATIONS
    assert [n for n in qi._core.spc.assurance_names if n] == ASSURANCES
    assert set(VARIATION_TEXT) == set(VARIATIONS) and set(ASSURANCE_TEXT) == set(ASSURANCES)


@pytest.mark.parametrize("kind", VARIATIONS)
def test_variation_icon_meaning(kind: str) -> None:
    root = parse(variation_icon(kind, 40))
    assert root.get("width") == "40" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == VARIATION_TEXT[kind] == root.get("aria-label")
    if kind == "common_cause":
        assert ring_colour(root) == COLOURS["common_cause"]
        assert letters(root) == []
        return
    meaning, side = kind.rsplit("_", 1)
    assert ring_colour(root) == COLOURS[meaning]
    assert letters(root) == ["H" if side == "high" else "L"]
    dots = [c for c in root.iter(f"{SVG}circle")][1:]  # after the ring
    coloured = [float(c.get("cy")) for c in dots if c.get("fill") == COLOURS[meaning]]
    grey = [float(c.get("cy")) for c in dots if c.get("fill") == COLOURS["common_cause"]]
    assert len(coloured) == 3 and len(grey) == 3
    # The last points step up (smaller y in SVG) for high values, down for low values.
    assert (max(coloured) < min(grey)) if side == "high" else (min(coloured) > max(grey))


@pytest.mark.parametrize(("kind", "letter", "colour"), [("pass", "P", COLOURS["improvement"]),
                                                        ("fail", "F", COLOURS["concern"]),
                                                        ("hit_and_miss", "?", COLOURS["common_cause"])])
def test_assurance_icon_meaning(kind: str, letter: str, colour: str) -> None:
    root = parse(assurance_icon(kind))
    assert ring_colour(root) == colour
    assert letters(root) == [letter]
    assert root.find(f"{SVG}title").text == ASSURANCE_TEXT[kind]
    band = root.find(f"{SVG}rect")
    target = root.find(f"{SVG}line")
    assert target.get("stroke") == COLOURS["target"]
    top, bottom = float(band.get("y")), float(band.get("y")) + float(band.get("height"))
    inside = top < float(target.get("y1")) < bottom
    assert inside == (kind == "hit_and_miss")  # the target crosses the limits: hit and miss


def test_icons_are_distinct_and_id_free() -> None:
    icons = [variation_icon(k) for k in VARIATIONS] + [assurance_icon(k) for k in ASSURANCES]
    assert len(set(icons)) == len(icons)
    assert not any(" id=" in i for i in icons)  # many icons share one page


def test_no_icon_for_missing_or_unknown() -> None:
    assert variation_icon(None) == "" and assurance_icon(None) == ""
    assert variation_icon("improvement") == "" and assurance_icon("inconsistent") == ""


def test_icon_key_lists_every_icon_with_words() -> None:
    key = icon_key()
    assert key.count("<svg") == len(VARIATIONS) + len(ASSURANCES)
    for text in [*VARIATION_TEXT.values(), *ASSURANCE_TEXT.values()]:
        assert text in key
