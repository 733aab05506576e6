"""The local page in headless Chromium (Debian's package, driven by Playwright), one journey per
test, with a screenshot of each step in tests/artifacts/browser/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local.conftest import LocalServer

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HIRING = [
    "[Candidates] > PhoneScreens @ 25",
    "PhoneScreens > Onsites @ 0.5",
    "Onsites > Offers @ 0.5",
    "Offers > Hires @ 0.7",
]
WAIT_MS = 10_000

if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def page(browser, local: LocalServer) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1300}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Nothing may leave the machine: fail any request for another host.
    outside: list[str] = []
    page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), _refuse(outside))
    page.set_default_timeout(WAIT_MS)
    page.goto(local.url)
    expect(page.locator("#channel-list button").first).to_be_visible()
    yield page
    context.close()
    assert errors == [], errors
    assert outside == [], outside


def _refuse(outside: list[str]):
    def handle(route) -> None:
        if route.request.url.startswith("data:"):
            route.continue_()
            return
        outside.append(route.request.url)
        route.abort()

    return handle


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def run_hiring(page, rounds: int = 10):
    return send_model(page, f"/model rounds={rounds}", HIRING)


def send_model(page, first_line: str, lines: list[str]):
    """Type a command and a model with the keyboard only: Shift+Enter between lines, Enter to
    send; the bot's answer, once its table shows."""
    page.focus("#composer-input")
    page.keyboard.type(first_line)
    for line in lines:
        page.keyboard.press("Shift+Enter")
        page.keyboard.type(line)
    page.keyboard.press("Enter")
    message = page.locator("#messages .message.from-bot").last
    expect(message.locator("table")).to_be_visible()
    return message


def test_model_run_shows_the_table_and_the_chart(page):
    message = run_hiring(page)

    header = message.locator("table thead th")
    expect(header).to_have_text(["round", "PhoneScreens", "Onsites", "Offers", "Hires"])
    expect(message.locator("table tbody tr")).to_have_count(11)
    expect(message.locator("tbody tr").last.locator("td")).to_have_text(
        ["10", "25", "12", "6", "28"]
    )
    chart = message.locator("figure.bk-chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline.series")).to_have_count(4)
    expect(message.locator(".legend li")).to_have_text(
        ["PhoneScreens", "Onsites", "Offers", "Hires"]
    )
    expect(message.get_by_role("button", name="Edit & rerun")).to_be_visible()
    expect(page.locator("#composer-input")).to_have_value("")
    expect(page.locator("#live")).to_contain_text("sysbot: @you ran /model After 10 rounds")
    shot(page, "01-model-run")


def test_a_20_round_chart_has_rounds_on_one_step(page):
    message = run_hiring(page, rounds=20)
    chart = message.locator("figure.bk-chart svg[role=img]")
    expect(chart).to_be_visible()
    # the x axis's labels, centred under their rounds (the y axis's are right-aligned)
    categories = chart.locator('text.tick[text-anchor="middle"]')
    expect(categories).to_have_text([str(r) for r in range(0, 21, 2)])
    shot(page, "01b-chart-categories")


def test_a_thread_reply_shows_the_new_run_and_the_comparison(page):
    message = run_hiring(page)
    message.get_by_role("button", name="Reply in thread").click()
    expect(page.locator("#thread-input")).to_be_focused()
    page.keyboard.type("rounds=20")
    page.keyboard.press("Enter")

    rerun = page.locator("#thread .message.from-bot").nth(1)  # after the thread's parent
    expect(rerun.locator("pre")).to_contain_text("Compared with the run before")
    hires = re.compile(r"Hires\s+28\s+68\s+\+40\s+same to round 10")
    expect(rerun.locator("pre")).to_contain_text(hires)
    expect(rerun.locator("tbody tr").last.locator("td").first).to_have_text("20")
    expect(rerun.locator("svg[role=img]")).to_be_visible()
    expect(page.locator("#messages .thread-link")).to_have_text("2 replies")
    shot(page, "02-thread-rerun")


def test_an_edit_updates_the_reply(page):
    message = run_hiring(page)
    message.get_by_role("button", name="Reply in thread").click()
    page.fill("#thread-input", "rounds=20")
    page.press("#thread-input", "Enter")
    rerun = page.locator("#thread .message.from-bot").nth(1)
    expect(rerun.locator("tbody tr").last.locator("td").first).to_have_text("20")

    page.locator("#thread .message", has_text="rounds=20").get_by_role(
        "button", name="Edit"
    ).click()
    editor = page.get_by_label("Edit your message")
    expect(editor).to_be_focused()
    editor.fill("rounds=15")
    shot(page, "03-editing")
    editor.press("Enter")

    expect(rerun.locator(".edited")).to_have_text("(edited)")
    expect(rerun).to_contain_text("Updated after your edit")
    expect(rerun.locator("tbody tr").last.locator("td").first).to_have_text("15")
    expect(
        page.locator("#thread .message", has_text="rounds=15").locator(".edited")
    ).to_be_visible()
    shot(page, "04-edited")


def test_the_csv_button_uploads_a_downloadable_file(page):
    message = run_hiring(page, rounds=5)
    message.get_by_role("button", name="CSV").click()
    message.get_by_role("button", name=re.compile("1 reply")).click()

    download = page.locator("#thread .file-card a.file-download")
    expect(download).to_have_text("Download sysbot-5-rounds.csv")
    response = page.request.get(page.url.rstrip("/") + download.get_attribute("href"))
    assert response.ok
    assert response.headers["content-disposition"].startswith("attachment")
    lines = response.text().splitlines()
    assert lines[0] == "round,PhoneScreens,Onsites,Offers,Hires"
    assert len(lines) == 7
    with page.expect_download() as downloaded:
        download.click()
    assert downloaded.value.suggested_filename == "sysbot-5-rounds.csv"
    shot(page, "05-csv")


def test_the_modal_reruns_with_new_rounds(page):
    message = run_hiring(page, rounds=5)
    message.get_by_role("button", name="Edit & rerun").click()

    dialog = page.get_by_role("dialog", name="Run a model")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Model")).to_have_value("\n".join(HIRING))
    expect(dialog.get_by_label("Rounds")).to_have_value("5")
    dialog.get_by_label("Model").fill(
        "[Candidates] > PhoneScreens @ 25\nPhoneScreens > Onsites @ x"
    )
    dialog.get_by_role("button", name="Run").click()
    error = dialog.locator(".field-error").first
    expect(error).to_contain_text("Error:")
    expect(error).to_contain_text("There is no stock called `x`")
    expect(dialog.get_by_label("Model")).to_have_attribute("aria-invalid", "true")
    shot(page, "06-modal-error")

    dialog.get_by_label("Model").fill("\n".join(HIRING))
    dialog.get_by_label("Rounds").fill("8")
    shot(page, "07-modal")
    dialog.get_by_role("button", name="Run").click()

    expect(dialog).to_be_hidden()
    page.locator("#messages .thread-link").click()
    rerun = page.locator("#thread .message.from-bot").nth(1)
    expect(rerun).to_contain_text("ran a model from the editor")
    expect(rerun.locator("tbody tr").last.locator("td").first).to_have_text("8")
    shot(page, "08-modal-run")


def test_the_api_tab_shows_a_result_and_an_error_with_a_caret(page):
    page.get_by_role("tab", name="API").click()
    page.get_by_label("Model definition").fill("\n".join(HIRING))
    page.get_by_label("Rounds").fill("12")
    page.get_by_role("button", name="Run").click()

    result = page.locator("#api-result")
    expect(result.locator("tbody tr")).to_have_count(13)
    expect(result.locator("svg[role=img] polyline.series")).to_have_count(4)
    shot(page, "09-api-result")

    page.get_by_label("Model definition").fill("[a] > b @ 5\nb > c @ zz")
    page.get_by_role("button", name="Run").click()
    alert = result.get_by_role("alert")
    expect(alert).to_contain_text("Error: There is no stock called zz.")
    expect(alert.locator("pre")).to_have_text("Line 2, column 9\n2 | b > c @ zz\n  |         ^")
    expect(page.get_by_label("Model definition")).to_have_attribute("aria-invalid", "true")
    shot(page, "10-api-error")


def test_the_help_button_home_and_channels_without_the_bot(page):
    page.fill("#composer-input", "/model")
    page.press("#composer-input", "Enter")
    help_message = page.locator("#messages .message.ephemeral")
    expect(help_message).to_contain_text("Only visible to you")
    shot(page, "11-help-ephemeral")
    help_message.get_by_role("button", name="Open the editor").click()
    dialog = page.get_by_role("dialog", name="Run a model")
    expect(dialog.get_by_label("Model")).to_have_value("")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="random", exact=True).click()
    expect(page.locator("#conversation-note")).to_contain_text("not in this channel")
    page.get_by_role("button", name="sysbot · Home").click()
    expect(page.locator("#home-view h3")).to_have_text("sysbot")
    shot(page, "12-home")


# Slack's mrkdwn within one line: bold, italics and strikethrough around code and links.
MRKDWN = {
    ":warning: *There is no stock called `Screns`.*": (
        '<span class="emoji" role="img" aria-label="warning">⚠</span> '
        "<strong>There is no stock called <code>Screns</code>.</strong>"
    ),
    "*Hint:* Did you mean `Screens`?": "<strong>Hint:</strong> Did you mean <code>Screens</code>?",
    "_Edited: `rounds=5`._": "<em>Edited: <code>rounds=5</code>.</em>",
    "~`a > b @ 5`~ and *<https://example.com|a link>*": (
        "<s><code>a &gt; b @ 5</code></s> and <strong><a href="
        '"https://example.com" target="_blank" rel="noopener noreferrer">a link</a></strong>'
    ),
    "`*not bold*` Phone_Screens x*y*z": "<code>*not bold*</code> Phone_Screens x*y*z",
    "*not across\nlines*": "*not across\nlines*",
}


def test_mrkdwn_is_drawn_as_slack_draws_it(page):
    drawn = page.evaluate(
        "async (texts) => { const { mrkdwn } = await import('/static/blocks.js');"
        " return texts.map((text) => mrkdwn(text)); }",
        list(MRKDWN),
    )

    assert dict(zip(MRKDWN, drawn, strict=True)) == MRKDWN


def test_an_error_is_bold_without_asterisks(page):
    page.fill("#composer-input", "/model [a] > b @ Screns")
    page.press("#composer-input", "Enter")

    error = page.locator("#messages .message.ephemeral").last
    bold = error.locator(".bk-section strong").first
    expect(bold).to_have_text("There is no stock called Screns.")
    expect(bold.locator("code")).to_have_text("Screns")
    expect(error.locator(".bk-section").first).not_to_contain_text("*")
    shot(page, "13-error-bold")


def test_run_as_model_on_messages(page):
    page.fill("#composer-input", "lunch at noon?")
    page.press("#composer-input", "Enter")
    lunch = page.locator("#messages .message", has_text="lunch at noon?")
    lunch.get_by_role("button", name="Run as model").click()
    note = page.locator("#messages .message.ephemeral").last
    expect(note).to_contain_text("couldn't find a model")
    expect(note).to_contain_text("Only visible to you")
    shot(page, "14-run-as-model-no-model")

    page.fill("#composer-input", "Legacy(120) > Migrated @ 10")
    page.press("#composer-input", "Enter")
    model = page.locator("#messages .message", has_text="Legacy(120) > Migrated @ 10")
    expect(model.locator(".thread-link")).to_have_text(re.compile("1 reply"))
    model.get_by_role("button", name="Run as model").click()
    expect(model.locator(".thread-link")).to_have_text(re.compile("2 replies"))
    model.locator(".thread-link").click()
    ran = page.locator("#thread .message.from-bot").last
    expect(ran).to_contain_text("ran this message as a model")
    expect(ran.locator("tbody tr").last.locator("td")).to_have_text(["10", "20", "100"])
    shot(page, "15-run-as-model")

    page.get_by_role("button", name="random", exact=True).click()
    page.fill("#composer-input", "Legacy(120) > Migrated @ 10")
    page.press("#composer-input", "Enter")
    page.locator("#messages .message", has_text="Legacy(120)").get_by_role(
        "button", name="Run as model"
    ).click()
    expect(page.locator("#messages .message.ephemeral").last).to_contain_text("/invite @sysbot")


def test_the_new_model_button_posts_where_you_choose(page):
    page.get_by_role("button", name="New model").click()
    dialog = page.get_by_role("dialog", name="Run a model")
    expect(dialog).to_be_visible()
    picker = dialog.get_by_label("Post in")
    expect(picker.locator("option:checked")).to_have_text("#general")
    dialog.get_by_label("Model").fill("\n".join(HIRING))
    dialog.get_by_label("Rounds").fill("6")
    shot(page, "16-new-model")
    dialog.get_by_role("button", name="Run").click()

    expect(dialog).to_be_hidden()
    posted = page.locator("#messages .message.from-bot").last
    expect(posted).to_contain_text("ran a model from the editor")
    expect(posted.locator("tbody tr").last.locator("td").first).to_have_text("6")

    page.get_by_role("button", name="New model").click()
    dialog.get_by_label("Model").fill("[a] > b @ 5")
    dialog.get_by_label("Post in").select_option(label="#random")
    dialog.get_by_role("button", name="Run").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="random", exact=True).click()
    shown = page.locator("#messages .message.from-bot").last
    expect(shown).to_contain_text("reruns in the thread won't work here")
    shot(page, "17-new-model-elsewhere")
