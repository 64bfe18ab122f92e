"""Drive Debian's headless Chromium for the HTML page tests, with the network off.

Only the system Chromium is used (``/usr/bin/chromium``, installed by
``apt-get install chromium`` and by ``.ci/run``); nothing is downloaded.
:func:`open_offline` opens a file in a fresh offline context that records
every request the page makes and aborts all but the page itself, and collects
dialogs (``alert``), page errors and Content-Security-Policy violations.
"""

from __future__ import annotations

import contextlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = ["CHROMIUM", "skip_reason", "launch", "PageLog", "open_offline", "hover_node", "canvas_ink"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Runs before any script of the page: records CSP violations.
_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the browser tests"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: pip install '.[test]'"
    return None


@contextlib.contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium browser (playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did while it was open."""

    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        """Requests for anything but the page file itself."""
        return [u for u in self.requests if u != self.url]


@contextlib.contextmanager
def open_offline(browser: Any, path: Path, *, width: int = 1400, height: int = 860) -> Iterator[tuple[Any, PageLog]]:
    """Open *path* offline and wait until the graph is drawn; yields ``(page, log)``."""
    context = browser.new_context(offline=True, service_workers="block", viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog(url=path.resolve().as_uri())

    def route(r: Any) -> None:
        log.requests.append(r.request.url)
        if r.request.url == log.url:
            r.continue_()
        else:
            r.abort()

    def dialog(d: Any) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.add_init_script(_WATCH)
    try:
        page.goto(log.url)
        page.wait_for_function("document.body.getAttribute('data-ready') === 'true'", timeout=20_000)
        yield page, log
    finally:
        context.close()


def hover_node(page: Any, node_id: str) -> str:
    """Move the mouse onto a node and return the text of the tooltip that appears."""
    x, y = page.evaluate(
        """(id) => {
            const net = window.graphlinkNetwork;
            net.focus(id, {scale: 1.5, animation: false});
            net.redraw();
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.querySelector('#gl-graph canvas').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=4)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return tip.inner_text()


def canvas_ink(page: Any) -> int:
    """How many pixels of the graph canvas are not background (0 = a blank graph)."""
    return page.evaluate(
        """() => {
            window.graphlinkNetwork.redraw();
            const c = document.querySelector('#gl-graph canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
            }
            return n;
        }"""
    )
