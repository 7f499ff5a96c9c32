"""The exercise library's illustrations (static/exercises/*.svg): one short looping animation
per item, drawn with CSS @keyframes inside the SVG so that it plays inside an <img>, and safe to
show there: no script, no event handlers, nothing fetched from elsewhere, no fonts.

tests/browser/test_illustrations.py checks in Chromium that they move, that they stand still
under reduced motion, and that the still frame is one of the animation's key positions."""

import re
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring, parse
from django.conf import settings

from exercises.seed_data import EXERCISES

SVG = "{http://www.w3.org/2000/svg}"
FOLDER = Path(settings.BASE_DIR) / "static" / "exercises"
ITEMS = EXERCISES  # the whole library: exercises and advice
# Every drawing is precached by the service worker after the first load (web/views/pwa.py),
# and the Today page shows several at once: each stays small, and all of them together stay
# well under the first load's 100 KB aim (bench/pwa.py).
MAX_BYTES = 6 * 1024
MAX_TOTAL_BYTES = 45 * 1024


def illustration(item) -> Path:
    return Path(settings.BASE_DIR) / "static" / item["illustration"]


def style_of(root) -> str:
    return "".join(element.text or "" for element in root.iter(f"{SVG}style"))


def test_every_library_item_has_its_own_illustration_and_no_file_is_left_over():
    paths = [illustration(item) for item in ITEMS]
    assert len(ITEMS) == 15
    assert all(path.is_file() for path in paths), [str(p) for p in paths if not p.is_file()]
    assert len(set(paths)) == len(paths)
    assert set(FOLDER.glob("*.svg")) == set(paths)


@pytest.mark.parametrize("item", ITEMS, ids=[item["slug"] for item in ITEMS])
def test_the_illustration_is_an_animated_svg_that_respects_reduced_motion(item):
    # Well-formed XML with no DTD or entities (defusedxml refuses them), or this raises.
    root = parse(illustration(item)).getroot()
    assert root.tag == f"{SVG}svg"
    # The size the cards reserve (width="240" height="160" on the <img>).
    assert root.get("viewBox") == "0 0 240 160"
    css = re.sub(r"\s+", "", style_of(root))
    defined = set(re.findall(r"@keyframes([\w-]+)\{", css))
    used = set(re.findall(r"animation-name:([\w-]+)", css))
    assert defined, "no @keyframes"
    # Every animation that is named exists, and every one that exists is used.
    assert used == defined
    # One duration for the whole loop, repeated forever.
    assert re.search(r"animation:[\d.]+s[\w-]*infinite", css)
    # Reduced motion switches every animation off; the drawing then shows its base pose.
    assert "@media(prefers-reduced-motion:reduce){*{animation:none!important}}" in css
    # The elements that are animated are there.
    classes = {cls for element in root.iter() for cls in (element.get("class") or "").split()}
    animated = set(re.findall(r"\.([\w-]+)\{[^}]*animation-name:", css))
    assert animated <= classes


@pytest.mark.parametrize("item", ITEMS, ids=[item["slug"] for item in ITEMS])
def test_the_illustration_is_self_contained_and_inert(item):
    text = illustration(item).read_text(encoding="utf-8")
    root = fromstring(text)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "foreignObject", "iframe", "image", "use", "text", "a"}
    for element in root.iter():
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.lower().startswith("on"), f"event handler {name}"
            if local == "href":
                assert value.startswith("#"), f"external reference {value}"
    css = style_of(root)
    assert "@import" not in css and "@font-face" not in css
    # url() only to something in the same file.
    assert all(ref.strip("'\" ").startswith("#") for ref in re.findall(r"url\(([^)]*)\)", text))
    assert "javascript:" not in text.lower()
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text)


def test_the_illustrations_stay_within_the_size_budget():
    sizes = {path.name: path.stat().st_size for path in FOLDER.glob("*.svg")}
    too_big = {name: size for name, size in sizes.items() if size > MAX_BYTES}
    assert not too_big, f"over {MAX_BYTES} bytes: {too_big}"
    assert sum(sizes.values()) <= MAX_TOTAL_BYTES, sum(sizes.values())
