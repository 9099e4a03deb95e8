"""The two screens of issue 14's browser tests and the look at every page they visit: a desktop
(1280x800) and a phone (390x844); `look` takes a full-page screenshot (to look at) and runs
axe-core on the page: no critical and no serious violation."""

from __future__ import annotations

import os

from tests.browser.test_accessibility import serious

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/axe-shots")
os.makedirs(SHOTS, exist_ok=True)


def on_screen(page, screen: str):
    """`page` sized to `screen` (a key of SCREENS)."""
    page.set_viewport_size(SCREENS[screen])
    return page


def look(page, name: str, screen: str) -> None:
    """A page the test visits: once loaded, its screenshot, then axe (0 critical, 0 serious)."""
    page.wait_for_load_state()
    page.screenshot(path=f"{SHOTS}/{name}-{screen}.png", full_page=True)
    found = serious(page)
    assert found == [], f"{name} ({page.url}): {found}"
