"""`dayone serve` in a real headless Chromium: two tabs on one workspace see each other's edits without a key press.

The page draws the terminal on a canvas, so the test reads what it shows from
xterm.js's own buffer: a script that runs before the page's code keeps the
terminal object the page creates (it is assigned to a `terminal` property).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pilot import PATIENCE
from servers import server_missing
from serving import Served

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    if (value && value.buffer && !window.dayoneTerminal) window.dayoneTerminal = value;
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.dayoneTerminal;
  if (!terminal) return '';
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright for Python is not installed (pip install playwright)"
    if reason is None and not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if reason is not None:
        server_missing(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def served(demo: Path) -> Iterator[Served]:
    """A demo workspace served on a free loopback port."""
    served = Served(demo, demo / "data" / "demo.db", env={"DAYONE_USER": "tester"})
    try:
        yield served
    finally:
        served.stop()


def link(served: Served, name: str) -> str:
    """The link the host sends one person: the token and their name."""
    return f"{served.base}/?token={served.token}&as={name}"


class Tab:
    """One browser tab showing the app, read through the terminal buffer."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1600, "height": 900}, accept_downloads=True)
        self.context.add_init_script(KEEP_TERMINAL)
        self.page = self.context.new_page()
        self.page.goto(url)
        start = self.page.locator("#start")
        if start.is_visible():
            start.click()

    def text(self) -> str:
        return self.page.evaluate(SCREEN_TEXT)

    def wait_for(self, shown: Callable[[str], bool], what: str, seconds: float = PATIENCE) -> float:
        """Seconds until the screen satisfies `shown`; fails with the screen text after `seconds`."""
        began = time.monotonic()
        while True:
            text = self.text()
            if shown(text):
                return time.monotonic() - began
            if time.monotonic() - began > seconds:
                pytest.fail(f"{what} not shown within {seconds} s; the tab shows:\n{text}")
            time.sleep(0.05)

    def type_note(self, text: str) -> None:
        self.page.locator(".xterm-screen").click()
        self.page.keyboard.press("n")
        self.wait_for(lambda screen: "what was said" in screen, "the note form")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def collect_downloads(self) -> list:
        """Downloads start in a tab the page opens for them; collect them from any tab of this browser context."""
        found: list = []
        self.context.on("page", lambda page: page.on("download", lambda download: found.append(download)))
        self.page.on("download", lambda download: found.append(download))
        return found

    def downloaded(self, found: list, seconds: float = PATIENCE) -> list:
        deadline = time.monotonic() + seconds
        while not found and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        assert found, "no download reached the browser"
        return found

    def close(self) -> None:
        self.context.close()


class Terminal:
    """The app in a real terminal (tmux, on a server of its own) on the same workspace file, as `NAME`."""

    def __init__(self, db: Path, name: str) -> None:
        if shutil.which("tmux") is None:
            server_missing("no tmux (apt-get install -y tmux)")
        self.tmux = ["tmux", "-L", f"dayone-test-{os.getpid()}-{db.parent.parent.name}"]
        command = shlex.join(
            [
                "env",
                "-u",
                "COLUMNS",
                "-u",
                "LINES",
                f"DAYONE_USER={name}",
                "DAYONE_TODAY=2026-11-21",
                sys.executable,
                "-m",
                "tui",
            ]
        )
        subprocess.run(
            [
                *self.tmux,
                "new",
                "-d",
                "-s",
                "dayone",
                "-x",
                "160",
                "-y",
                "45",
                f"{command} --db {shlex.quote(str(db))}",
            ],
            check=True,
        )

    def text(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "dayone"], capture_output=True, text=True).stdout

    def header(self) -> str:
        return self.text().split("\n", 1)[0]

    def wait_for(self, shown: Callable[[str], bool], what: str, seconds: float = PATIENCE) -> float:
        began = time.monotonic()
        while not shown(self.text()):
            if time.monotonic() - began > seconds:
                pytest.fail(f"{what} not shown within {seconds} s; the terminal shows:\n{self.text()}")
            time.sleep(0.02)
        return time.monotonic() - began

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def present(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM presence")}


def notes_count(db: Path) -> int:
    """How many notes the notes strip counts for the integration the app opens (the one last written to)."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT count(*) FROM notes WHERE integration_id = "
            "(SELECT value FROM settings WHERE key = 'last_integration')"
        ).fetchone()[0]


def notes_in(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM notes ORDER BY id")]


def test_two_tabs_with_two_names_see_each_others_notes_signed_by_their_people(browser, served) -> None:
    db = served.db
    shown = notes_count(db)
    first, second = Tab(browser, link(served, "Noor Haddad")), Tab(browser, link(served, "Kenji Watanabe"))
    try:
        for tab in (first, second):
            tab.wait_for(lambda screen: "Leaf ID" in screen and f"Notes ({shown})" in screen, "the main screen")

        first.type_note("Replica host agreed in the first tab")
        first.wait_for(lambda screen: f"Notes ({shown + 1})" in screen, "the note in its own tab")
        assert "Replica host agreed in the first tab" in notes_in(db)
        second.wait_for(lambda screen: "Replica host agreed in the first tab" in screen, "the other tab's note")

        second.type_note("Bastion review chased from the second tab")
        second.wait_for(lambda screen: f"Notes ({shown + 2})" in screen, "the note in its own tab")
        first.wait_for(lambda screen: "Bastion review chased from the second tab" in screen, "the other tab's note")
        assert notes_in(db)[-2:] == [
            "Replica host agreed in the first tab",
            "Bastion review chased from the second tab",
        ]
        with sqlite3.connect(db) as connection:
            authors = connection.execute("SELECT text, author FROM notes WHERE text LIKE '%tab'").fetchall()
            logged = connection.execute(
                "SELECT n.text, c.author FROM changes c JOIN notes n ON n.id = c.row_id"
                " WHERE c.entity = 'note' AND c.action = 'insert' AND n.text LIKE '%tab'"
            ).fetchall()
        signed = [
            ("Replica host agreed in the first tab", "Noor Haddad"),
            ("Bastion review chased from the second tab", "Kenji Watanabe"),
        ]
        assert sorted(authors) == sorted(logged) == sorted(signed)
    finally:
        first.close()
        second.close()


def test_a_note_from_the_shell_reaches_an_open_tab(browser, served) -> None:
    db = served.db
    tab = Tab(browser, link(served, "Olu Adeyemi"))
    try:
        tab.wait_for(lambda screen: f"Notes ({notes_count(db)})" in screen, "the main screen")
        added = subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(db), "note", "Written from a terminal"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert added.returncode == 0, added.stderr
        tab.wait_for(lambda screen: "Written from a terminal" in screen, "the note from the shell")
    finally:
        tab.close()


def test_an_export_in_the_browser_arrives_as_a_download(browser, served, tmp_path: Path) -> None:
    db = served.db
    tab = Tab(browser, link(served, "Olu Adeyemi"))
    downloads = tab.collect_downloads()
    try:
        tab.wait_for(lambda screen: f"Notes ({notes_count(db)})" in screen, "the main screen")
        tab.page.locator(".xterm-screen").click()
        tab.page.keyboard.press("e")
        tab.wait_for(lambda screen: "leaf-id-contract.md" in screen, "the export preview")
        tab.page.keyboard.press("w")
        tab.wait_for(lambda screen: "downloads" in screen, "the download message")
        tab.downloaded(downloads)
        saved = tmp_path / "downloaded.md"
        downloads[0].save_as(saved)
        assert downloads[0].suggested_filename == "leaf-id-contract.md"
        assert saved.read_text(encoding="utf-8").startswith("# ")
        assert "Leaf ID" in saved.read_text(encoding="utf-8")
        assert not (db.parent.parent / "exports").exists()
        with sqlite3.connect(db) as connection:
            assert connection.execute("SELECT format, path FROM exports").fetchall() == [("markdown", None)]
    finally:
        tab.close()


def test_a_meeting_started_in_one_tab_runs_in_the_other(browser, served) -> None:
    db = served.db
    first, second = Tab(browser, link(served, "Noor Haddad")), Tab(browser, link(served, "Kenji Watanabe"))
    try:
        for tab in (first, second):
            tab.wait_for(lambda screen: f"Notes ({notes_count(db)})" in screen, "the main screen")
        first.page.locator(".xterm-screen").click()
        first.page.keyboard.press("m")
        first.wait_for(lambda screen: "Start meeting" in screen, "the start meeting form")
        first.page.keyboard.press("Control+a")
        first.page.keyboard.press("Control+k")
        first.page.keyboard.type("Browser sync")
        first.page.keyboard.press("Control+s")
        first.wait_for(lambda screen: "no meeting has ended yet" in screen, "the changes since the last meeting")
        first.page.keyboard.press("Escape")
        second.wait_for(lambda screen: "meeting Browser sync 00:" in screen.splitlines()[0], "the meeting clock")

        second.page.locator(".xterm-screen").click()
        second.page.keyboard.press("m")
        second.wait_for(lambda screen: "End meeting" in screen, "the end meeting question")
        second.page.keyboard.press("y")
        second.wait_for(lambda screen: "Minutes (kept as a note)" in screen, "the minutes")
        first.wait_for(lambda screen: "meeting Browser sync" not in screen.splitlines()[0], "the clock gone")
        downloads = second.collect_downloads()
        second.page.keyboard.press("w")
        assert [download.suggested_filename for download in second.downloaded(downloads)] == [
            "leaf-id-meeting-1-minutes.md"
        ]
        with sqlite3.connect(db) as connection:
            meetings = connection.execute("SELECT id, title, ended_at IS NOT NULL FROM meetings").fetchall()
            minutes = connection.execute("SELECT text FROM notes WHERE meeting_id = ?", (meetings[0][0],)).fetchall()
        assert meetings == [(1, "Browser sync", 1)]
        assert len(minutes) == 1 and minutes[0][0].startswith("# Minutes: Leaf ID, meeting Browser sync")
    finally:
        first.close()
        second.close()


def test_who_is_here_shows_in_every_tab_and_in_a_terminal_on_the_same_file(browser, served) -> None:
    db = served.db
    terminal = Terminal(db, "Olu Adeyemi")
    first = second = None
    try:
        terminal.wait_for(lambda screen: "Leaf ID" in screen, "the main screen")
        assert "here" not in terminal.header()
        first, second = Tab(browser, link(served, "Noor Haddad")), Tab(browser, link(served, "Kenji Watanabe"))
        deadline = time.monotonic() + PATIENCE
        while not {"Noor Haddad", "Kenji Watanabe"} <= present(db):  # both tabs' apps have said they are here
            assert time.monotonic() < deadline, present(db)
            time.sleep(0.01)
        seconds = terminal.wait_for(
            lambda screen: (
                "3 people here: Olu Adeyemi, " in screen.split("\n", 1)[0]
                and all(name in screen.split("\n", 1)[0] for name in ("Noor Haddad", "Kenji Watanabe"))
            ),
            "both people in the terminal's header",
        )
        print(f"the terminal showed both tabs {seconds * 1000:.0f} ms after they said they were here")
        for tab in (first, second):
            tab.wait_for(lambda screen: "3 people here: Olu Adeyemi, " in screen.splitlines()[0], "who is here")
        second.close()
        terminal.wait_for(
            lambda screen: "2 people here: Olu Adeyemi, Noor Haddad" in screen.split("\n", 1)[0], "Kenji gone"
        )
        first.wait_for(lambda screen: "2 people here: Olu Adeyemi, Noor Haddad" in screen.splitlines()[0], "Kenji gone")
        first.close()
        terminal.wait_for(lambda screen: "here" not in screen.split("\n", 1)[0], "only the terminal's person left")
        first = second = None
        served.wait_for_apps(0)
    finally:
        for tab in (first, second):
            if tab is not None:
                tab.close()
        terminal.close()


def test_the_first_page_asks_who_you_are_and_the_browser_remembers(browser, served) -> None:
    db = served.db
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    context.add_init_script(KEEP_TERMINAL)
    try:
        page = context.new_page()
        page.goto(f"{served.base}/?token={served.token}")
        assert page.url == f"{served.base}/"  # the token became a cookie and left the address bar
        assert page.locator("h1").inner_text() == "Who are you?"
        page.get_by_role("link", name="Kenji Watanabe").click()
        shows = lambda what: lambda: what in page.evaluate(SCREEN_TEXT)  # noqa: E731
        deadline = time.monotonic() + PATIENCE
        while not shows("Leaf ID")():
            assert time.monotonic() < deadline, "the main screen did not come"
            page.wait_for_timeout(50)
        page.locator(".xterm-screen").click()
        page.keyboard.press("n")
        while not shows("what was said")():
            assert time.monotonic() < deadline, "the note form did not come"
            page.wait_for_timeout(50)
        page.keyboard.type("Lookup table promised by Kenji")
        page.keyboard.press("Enter")
        while "Lookup table promised by Kenji" not in notes_in(db):
            assert time.monotonic() < deadline, "the note was not written"
            page.wait_for_timeout(50)
        page.close()
        served.wait_for_apps(0)
        assert "Kenji Watanabe" not in present(db)

        again = context.new_page()  # the same browser, later: straight in, as Kenji
        again.goto(f"{served.base}/")
        again.wait_for_selector("#terminal")
        assert again.locator("h1").count() == 0
        with sqlite3.connect(db) as connection:
            assert connection.execute(
                "SELECT author FROM notes WHERE text = 'Lookup table promised by Kenji'"
            ).fetchall() == [("Kenji Watanabe",)]
        while "Kenji Watanabe" not in present(db):
            assert time.monotonic() < deadline, "the second page's app did not say it was here"
            again.wait_for_timeout(50)
    finally:
        context.close()
    served.wait_for_apps(0)
