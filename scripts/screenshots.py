"""Regenerate the screenshots in docs/screenshots/: each role's home page and a company hub.

    python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]

Needs a running demo (`make demo`, whose logins have the password demo2026!) and Debian's
Chromium (`make browser`), driven by Playwright as in the end-to-end tests. Each page is taken
at a desktop width and at 390 px, the narrowest phone the pages are made for.
"""

import argparse
import os
import shutil
from pathlib import Path

PASSWORD = "demo2026!"
ROLES = [  # (demo login, file name)
    ("manager.fov", "home-manager"),
    ("advisor.tehnopol", "home-advisor"),
    ("viewer", "home-viewer"),
    ("sme", "home-sme"),
]
WIDTHS = {"desktop": 1280, "phone": 390}


def log_in(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


def shoot(page, out: Path, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("networkidle")  # htmx sections and badges loaded
        page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
        print(out / f"{name}-{label}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots")
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(locale="en-GB", timezone_id="Europe/Stockholm").new_page()
        for username, name in ROLES:
            log_in(page, args.url, username)
            page.goto(f"{args.url}/")
            shoot(page, out, name)
        # The hub of a company with a deal, as an advisor of its programme sees it.
        log_in(page, args.url, "advisor.tehnopol")
        page.goto(f"{args.url}/deals/")
        page.click("main table a[href^='/companies/']")
        page.wait_for_selector("#hub-programmes")
        shoot(page, out, "company-hub")
        log_in(page, args.url, "sme")
        page.goto(f"{args.url}/companies/")  # an SME's own company: the same hub, trimmed
        shoot(page, out, "company-hub-sme")
        browser.close()


if __name__ == "__main__":
    main()
