"""The exercise illustrations in Chromium: they move, they stand still under reduced motion,
and the still frame is a key position of the animation (not a blank or a mid-move frame).

Inside an <img> an SVG's animations cannot be reached from the page (no getAnimations()), so
the patient pages are compared by screenshots of the image. The drawings themselves are also
opened inline, where the Web Animations API can stop each one at a chosen moment."""

import io
import re
import time
from pathlib import Path

import pytest

from .conftest import (
    PHONE,
    ROOT,
    log_in,
    patient_with_diary,
    screenshot,
    wait_ready,
    wait_until,
)

pytestmark = pytest.mark.browser

FOLDER = ROOT / "static" / "exercises"
# When in each loop the drawing holds the pose it shows without animation (reduced motion):
# the position that teaches the most (heel at the top, toes pulled back, tape all on ...).
HOLD_MS = {
    "arch-support-insoles": 3500,
    "calf-stretch-bent-knee": 4000,
    "calf-stretch-straight-knee": 4000,
    "footwear-advice": 5000,
    "heel-cushion-advice": 4000,
    "heel-raise-double-leg": 5000,  # 1 s rest, 3 s up, 2 s hold at the top, 3 s down
    "heel-raise-floor-level": 2800,
    "heel-raise-high-load": 5000,  # the same tempo as the double-leg raise
    "ice": 5500,
    "load-management": 4000,
    "low-dye-taping": 6000,
    "night-splint": 4000,
    "plantar-fascia-stretch": 7000,  # in the 10 s hold
    "short-foot": 4000,  # in the 5 s hold
    "towel-curl": 2100,
}
# Two screenshots of the same <img> differ in more than this share of pixels when it moved.
MOVED = 0.001
# A drawing held mid-animation is drawn on its own layer: its edges are antialiased a little
# differently from the same pose drawn without animation (up to ~0.5 % of the pixels here); a
# different pose changes far more.
SAME_POSE = 0.01


def changed_share(png_a: bytes, png_b: bytes) -> float:
    from PIL import Image, ImageChops

    a = Image.open(io.BytesIO(png_a)).convert("RGB")
    b = Image.open(io.BytesIO(png_b)).convert("RGB")
    assert a.size == b.size
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return sum(1 for v in diff.get_flattened_data() if v) / (a.size[0] * a.size[1])


def inked_share(png: bytes) -> float:
    from PIL import Image

    grey = Image.open(io.BytesIO(png)).convert("L")
    return sum(1 for v in grey.get_flattened_data() if v < 200) / (grey.size[0] * grey.size[1])


def loop_ms(svg: str) -> int:
    return int(float(re.search(r"animation:\s*([\d.]+)s", svg).group(1)) * 1000)


def open_inline(page, svg: str):
    """The drawing alone at its display size, inline so that its animations can be held."""
    sized = svg.replace("<svg ", '<svg width="240" height="160" ', 1)
    page.set_content(f'<body style="margin:0;background:#fff">{sized}</body>')
    return page.locator("svg")


def hold_at(page, ms: int) -> None:
    page.evaluate(
        "ms => document.getAnimations().forEach(a => { a.pause(); a.currentTime = ms; })", ms
    )


def test_every_illustration_moves_and_rests_on_a_key_position(browser):
    assert set(HOLD_MS) == {path.stem for path in FOLDER.glob("*.svg")}
    options = {"viewport": {"width": 240, "height": 160}, "device_scale_factor": 2}
    moving = browser.new_context(reduced_motion="no-preference", **options)
    still = browser.new_context(reduced_motion="reduce", **options)
    try:
        page, calm = moving.new_page(), still.new_page()
        for name, hold in HOLD_MS.items():
            svg = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
            period = loop_ms(svg)
            drawing = open_inline(page, svg)
            assert page.evaluate("document.getAnimations().length") > 0, name
            frames = {}
            for ms in sorted({0, period // 4, period // 2, 3 * period // 4, hold}):
                hold_at(page, ms)
                frames[ms] = drawing.screenshot()
                # Nothing that moves leaves the picture: every moving part keeps some of
                # itself inside the 240 x 160 frame at every moment looked at.
                lost = page.evaluate(
                    """() => document.getAnimations().map(a => a.effect.target).filter(el => {
                        const r = el.getBoundingClientRect();
                        return r.right < 0 || r.bottom < 0 || r.left > 240 || r.top > 160;
                    }).map(el => el.getAttribute('class'))"""
                )
                assert lost == [], f"{name} at {ms} ms: {lost} outside the picture"
            # It moves: the poses along the loop are not all the same picture.
            assert max(changed_share(frames[0], frame) for frame in frames.values()) > MOVED, name
            # Without motion the drawing shows exactly the pose the animation holds.
            rest = open_inline(calm, svg)
            assert calm.evaluate("document.getAnimations().length") == 0, name
            rest_png = rest.screenshot()
            assert changed_share(rest_png, frames[hold]) <= SAME_POSE, name
            # ... and that pose is a drawing, not an empty frame.
            assert inked_share(rest_png) > 0.03, name
    finally:
        moving.close()
        still.close()


def illustration_shots(page) -> list[bytes]:
    return [image.screenshot() for image in page.locator("img.illustration").all()]


def wait_images(page) -> None:
    """Every illustration is loaded and decoded (ready to paint), so that a screenshot shows it."""
    wait_until(
        page,
        "Promise.all([...document.querySelectorAll('img.illustration')].map(i => i.decode()))"
        ".then(images => images.length > 0)",
    )


def test_on_the_today_page_the_illustrations_move_but_not_under_reduced_motion(
    browser, base_url, new_context, people
):
    # A Danish patient in week 3 of the standard programme (stretches and heel raises).
    patient_with_diary(people["physio"], "bo@example.org", "Bo", days=15, pain=lambda ago: 4)
    patient, password = "bo@example.org", people["password"]

    page = log_in(new_context(), patient, password)
    wait_ready(page)
    assert page.locator("img.illustration").count() >= 3
    wait_images(page)
    screenshot(page, "illustrations-today")
    first = illustration_shots(page)
    # Wait (bounded) for any drawing to move; the longest still moment in a loop is 10 s.
    started = time.monotonic()
    moved_after = None
    while moved_after is None and time.monotonic() < started + 15:
        page.wait_for_timeout(100)
        now = illustration_shots(page)
        if any(changed_share(a, b) > MOVED for a, b in zip(first, now, strict=True)):
            moved_after = time.monotonic() - started
    assert moved_after is not None, "no illustration moved on the Today page"

    # A patient who asked the system for less motion. Playwright's reduced_motion emulation
    # reaches the page but not the documents inside <img> (Chromium applies emulated media to
    # the page only); the real setting does, and --force-prefers-reduced-motion is the real
    # setting as Chromium sees it.
    from .chromium import CHROMIUM, CHROMIUM_ARGS

    calm_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--force-prefers-reduced-motion"],
    )
    try:
        context = calm_browser.new_context(
            base_url=base_url, viewport=PHONE, locale="da-DK", reduced_motion="reduce"
        )
        calm = log_in(context, patient, password)
        wait_ready(calm)
        wait_images(calm)
        assert calm.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        # The still frame once painted: the first shot of a drawing can come before its first
        # paint on a busy machine (seen once), so the watch starts from two equal shots in a
        # row (bounded; a moving drawing never gives them, and fails below).
        first = illustration_shots(calm)
        settle_until = time.monotonic() + 5
        while time.monotonic() < settle_until:
            calm.wait_for_timeout(200)
            now = illustration_shots(calm)
            if all(changed_share(a, b) <= MOVED for a, b in zip(first, now, strict=True)):
                break
            first = now
        # Watched for several times as long as the moving page needed to show a change.
        watch_until = time.monotonic() + max(2.0, 4 * moved_after)
        while time.monotonic() < watch_until:
            calm.wait_for_timeout(200)
            now = illustration_shots(calm)
            shares = [changed_share(a, b) for a, b in zip(first, now, strict=True)]
            assert max(shares) <= MOVED, f"an illustration moved under reduced motion: {shares}"
        context.close()
    finally:
        calm_browser.close()


def test_the_illustration_files_are_the_ones_the_library_uses():
    from exercises.seed_data import EXERCISES

    assert {Path(item["illustration"]).stem for item in EXERCISES} == set(HOLD_MS)
