"""The weekly report page in a real headless Chromium with the network off.

The page is the W46 report of the hand-made world of test_report (top
section: C-a01, C-m01, C-r01, C-s01, C-k01; a reason of C-a01 carries an
``<img onerror>`` payload).
"""

from __future__ import annotations

import pytest

from browser import launch, open_offline, skip_reason
from graphlink.config import Config
from graphlink.db import Database
from graphlink.report import build_report
from report_fixtures import W46_SCORES, XSS, World, two_week_world

pytestmark = [pytest.mark.browser, pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")]


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-page")
    with Database(folder / "world.duckdb") as db:
        two_week_world(World(db), W46_SCORES)
        result = build_report(db, Config(), week="2026-W46", out_dir=folder / "out")
    return result.out_dir / "report.html"


def test_opens_offline_and_shows_its_charts(page_path, tmp_path):
    with launch() as browser, open_offline(browser, page_path, width=1280, height=900) as (page, log):
        charts = page.locator("svg.chart")
        # 3 summary charts + one activity sparkline per top cluster (5)
        assert charts.count() == 8
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert charts.nth(i).is_visible() and box["width"] > 200 and box["height"] > 60, box
        assert page.locator("svg.bars").nth(0).locator("rect").count() == 10       # score bins
        assert page.locator("svg.bars").nth(1).locator("rect").count() == 8        # size bins
        assert page.locator("svg.hbars rect").count() == 8                         # change statuses
        points = page.locator("svg.spark polyline").first.get_attribute("points")
        assert len(points.split()) == 168                                          # one per hour
        assert page.locator("article.card").count() == 5
        assert page.locator("#C-r01 .action").inner_text().lower() == "enforce"
        # the payload is text on the page, never an element
        assert XSS in page.locator("#C-a01").inner_text()
        assert page.locator("img").count() == 0
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert log.outside_requests == [] and log.errors == [] and log.dialogs == []
        assert page.evaluate("window.__cspViolations") == []
    assert (tmp_path / "report.png").stat().st_size > 20_000
