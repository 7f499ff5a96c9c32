"""Render the app icons (PNG) from the SVGs in static/icons with headless Chromium.

Run by hand when the icon changes; the PNGs are committed. Needs Playwright (a development
dependency) and a Chromium (`--chromium`, default /usr/bin/chromium).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

# (output, source svg, size in px, transparent corners)
ICONS = [
    ("icon-192.png", "icon.svg", 192, True),
    ("icon-512.png", "icon.svg", 512, True),
    ("maskable-512.png", "maskable.svg", 512, False),
    ("apple-touch-icon.png", "maskable.svg", 180, False),
    ("favicon-32.png", "icon.svg", 32, True),
]


class Command(BaseCommand):
    help = "Render static/icons/*.png from the SVG sources with headless Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args, **options):
        from playwright.sync_api import sync_playwright

        folder = Path(settings.BASE_DIR) / "static" / "icons"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=options["chromium"],
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            try:
                for output, source, size, transparent in ICONS:
                    svg = (folder / source).read_text()
                    sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
                    page = browser.new_page(viewport={"width": size, "height": size})
                    page.set_content(
                        "<!doctype html><html><body style='margin:0;background:transparent'>"
                        f"{sized}</body></html>"
                    )
                    page.screenshot(path=str(folder / output), omit_background=transparent)
                    page.close()
                    self.stdout.write(f"{output}: {size}x{size}")
            finally:
                browser.close()
