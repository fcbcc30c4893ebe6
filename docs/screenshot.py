"""Regenerate docs/graph.png: the seed report's graph in headless Chromium.

    .venv/bin/python docs/screenshot.py
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

with tempfile.TemporaryDirectory() as tmp:
    html = Path(tmp) / "graph.html"
    subprocess.run([sys.executable, "-m", "kg", "viz", str(ROOT / "corpus"), "--out", str(html)], check=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.goto(html.as_uri())
        page.wait_for_function("window.kgNetwork !== undefined")
        page.wait_for_timeout(5000)
        page.fill("#search", "ket luan 01")
        page.click("#results button")
        page.evaluate("window.kgNetwork.fit()")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / "graph.png"))
        browser.close()
print("wrote docs/graph.png")
