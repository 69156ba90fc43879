"""In a real browser, as a researcher uses it: the explorer notebook served by Voilà on loopback,
driven in Debian's headless Chromium. Screenshots go to ``out/screenshots/``."""

import os
import shutil
import sys

import polars as pl
import pytest

from conftest import ROOT
from servers import free_port, serve, stop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "out" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def voila_ready(port: int) -> str:
    """A Voilà address that answers once the server is up without running the notebook (opening
    ``/`` would start a kernel of its own)."""
    return f"http://127.0.0.1:{port}/voila/static/voila.js"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_explorer_in_a_browser():
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    voila = serve([sys.executable, "-m", "voila", "notebooks/02-explore.ipynb", "--no-browser", f"--port={port}",
                   "--Voila.ip=127.0.0.1", "--VoilaConfiguration.file_allowlist=[]"], voila_ready(port))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
            status = page.locator("p", has_text="claims of").first
            expect(status).to_be_visible(timeout=180_000)
            chart = page.locator(".vega-embed").first
            expect(chart).to_be_visible(timeout=60_000)
            grid_rows = page.locator(".toolkit-itemised").first.locator("tbody tr")
            expect(grid_rows.first).to_be_visible(timeout=60_000)
            before_status, before_rows = status.inner_text(), grid_rows.count()
            before_chart = chart.screenshot()
            page.screenshot(path=SCREENSHOTS / "explorer.png", full_page=True)

            page.locator(".widget-select-multiple", has_text="status").first.locator("select").select_option("wounded")
            expect(status).not_to_have_text(before_status, timeout=60_000)
            assert status.inner_text().startswith("1 claims of")
            expect(grid_rows).to_have_count(1)
            assert before_rows > 1
            page.wait_for_timeout(1500)  # let Vega draw the new data
            assert chart.screenshot() != before_chart
            page.screenshot(path=SCREENSHOTS / "explorer-filtered.png", full_page=True)

            grid_rows.first.click()  # picking a row of the grid opens the claim
            figure = page.locator("mark.toolkit-figure").first
            expect(figure).to_be_visible(timeout=60_000)
            expect(page.locator("table.toolkit-claim")).to_contain_text("wounded")
            figure.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / "evidence-viewer.png", full_page=True)

            page.get_by_role("tab", name="contested figures").last.click()
            contested = page.locator(".toolkit-table", has_text="Syrian Observatory for Human Rights: 620")
            expect(contested).to_be_visible(timeout=60_000)
            contested.scroll_into_view_if_needed()
            page.wait_for_timeout(1500)  # let Vega draw the range chart
            page.screenshot(path=SCREENSHOTS / "contested-figures.png", full_page=True)
            page.get_by_role("tab", name="follow a claim").last.click()
            followed = page.locator(".toolkit-table", has_text="re-attributed")
            expect(followed).to_be_visible(timeout=60_000)
            assert "rounded" in followed.inner_text()
            page.screenshot(path=SCREENSHOTS / "follow-a-claim.png", full_page=True)
            browser.close()
    finally:
        stop(voila)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_reviews_in_a_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from toolkit import Results

    out = tmp_path / "results"
    port = free_port()
    voila = serve([sys.executable, "-m", "voila", "notebooks/05-review.ipynb", "--no-browser", f"--port={port}",
                   "--Voila.ip=127.0.0.1", "--VoilaConfiguration.file_allowlist=[]", "--show_tracebacks=True"], voila_ready(port),
                  env={**os.environ, "TOOLKIT_REVIEW_OUT": str(out)})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def open_claim(page, doc_id):
        page.get_by_label("document", exact=True).select_option(doc_id)
        figure = page.locator("mark.toolkit-figure").first
        for _ in range(6):  # the claim list is refilled from the kernel after the document changes
            page.get_by_label("claim", exact=True).select_option(index=1)
            try:
                expect(figure).to_be_visible(timeout=10_000)
                return
            except AssertionError:
                continue
        expect(figure).to_be_visible(timeout=10_000)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
            expect(page.get_by_label("document", exact=True)).to_be_visible(timeout=180_000)

            open_claim(page, "mod_sputnik")
            page.get_by_role("button", name="correct", exact=True).click()
            page.get_by_label("figure", exact=True).fill("2 400")
            page.get_by_label("note", exact=True).fill("the ministry's later figure")
            page.get_by_role("button", name="Save review").click()
            expect(page.get_by_text("Saved: corrected")).to_be_visible(timeout=60_000)
            page.screenshot(path=SCREENSHOTS / "review-corrected.png", full_page=True)

            open_claim(page, "osdh_monitor")
            page.get_by_role("button", name="reject", exact=True).click()
            page.get_by_role("button", name="Save review").click()
            expect(page.get_by_text("Saved: rejected")).to_be_visible(timeout=60_000)

            page.reload()
            expect(page.get_by_label("document", exact=True)).to_be_visible(timeout=180_000)
            open_claim(page, "mod_sputnik")
            claim = page.get_by_label("claim", exact=True)
            assert "[corrected]" in claim.locator("option:checked").inner_text()
            expect(page.locator("table.toolkit-claim")).to_contain_text("2400")
            expect(page.locator("table.toolkit-claim")).to_contain_text("the ministry's later figure")
            page.screenshot(path=SCREENSHOTS / "review-reloaded.png", full_page=True)
            browser.close()
    finally:
        stop(voila)
    claims = Results.read(out).claims
    reviewed = {row["doc_id"]: row for row in claims.filter(pl.col("review") != "unreviewed").iter_rows(named=True)}
    assert (reviewed["mod_sputnik"]["review"], reviewed["mod_sputnik"]["count_min"]) == ("corrected", 2400)
    assert reviewed["osdh_monitor"]["review"] == "rejected"
