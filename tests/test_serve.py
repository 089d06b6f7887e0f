"""`dayone serve` tried with real HTTP and websocket clients: the token, Host and Origin checks, one named app process
per tab, the session limit, idle tabs closed, the links behind a proxy, and clear refusals of bad options."""

from __future__ import annotations

import asyncio
import html
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import commands
import pytest
from serving import Served, command_line, free_port

from tui.identity import person_name
from tui.serve import app_argv, is_loopback
from tui.serve.access import Access, origin_of
from tui.store import Workspace

WEBSOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')


def dayone(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return commands.dayone(cwd, "--db", "data/demo.db", *args, timeout=timeout)


@pytest.fixture
def serving(demo: Path) -> Iterator[callable]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = Served(demo, demo / "data" / "demo.db", *args)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


async def fetch(served: Served, path: str, *, cookie: bool = True, **headers: str) -> tuple[int, str, dict]:
    cookies = served.cookie if cookie else {}
    async with (
        aiohttp.ClientSession(cookies=cookies) as client,
        client.get(served.base + path, headers=headers, allow_redirects=False) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


async def seat(served: Served, name: str = "Noor", **headers: str) -> str:
    """The websocket address a page for `name` opens."""
    status, page, _ = await fetch(served, f"/?as={name}", **headers)
    assert status == 200, page
    return html.unescape(WEBSOCKET_URL.search(page)[1])


async def first_screen(websocket: aiohttp.ClientWebSocketResponse) -> bytes:
    """The first bytes the app draws (it is up and running)."""
    while True:
        message = await asyncio.wait_for(websocket.receive(), 30)
        if message.type == aiohttp.WSMsgType.BINARY:
            return message.data
        assert message.type == aiohttp.WSMsgType.TEXT, message


def connect(client: aiohttp.ClientSession, url: str, **headers: str):
    return client.ws_connect(url + "?width=120&height=40", headers=headers)


# -- the rules, without a server --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_each_tab_runs_the_app_on_the_absolute_workspace_path_as_its_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert app_argv(Path("data/my plan.db"), "-[@click=app.quit]x", None, share=True) == [
        sys.executable,
        "-m",
        "tui",
        "--db",
        str(tmp_path / "data" / "my plan.db"),
        "--as=-[@click=app.quit]x",
        "--share",
    ]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("10.1.2.3", True),  # an address: no page can rebind it
        ("evil.example:8000", False),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("", False),
        ("127.0.0.1:port", False),
        ("a@127.0.0.1", False),
    ],
)
def test_host_names_a_loopback_server_answers_to(host: str, allowed: bool) -> None:
    assert Access(token="t" * 20, bind="127.0.0.1").host_allowed(host) is allowed


def test_a_public_url_and_allowed_origins_add_their_hosts_and_origins() -> None:
    access = Access(
        token="t" * 20,
        bind="127.0.0.1",
        public_origin=origin_of("https://Dayone.Example.org/", "--public-url"),
        allowed_origins=frozenset({origin_of("https://proxy.example.org:8443", "--allow-origin")}),
    )
    assert access.host_allowed("dayone.example.org") and access.host_allowed("proxy.example.org:8443")
    assert not access.host_allowed("example.org")
    for origin in ("https://dayone.example.org", "https://dayone.example.org:443", "https://proxy.example.org:8443"):
        assert access.origin_allowed(origin, "http", "127.0.0.1:8000"), origin
    for origin in ("http://dayone.example.org", "https://proxy.example.org", "null", "https://evil.example"):
        assert not access.origin_allowed(origin, "http", "127.0.0.1:8000"), origin


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),  # not a browser page: the token decides
        ("http://127.0.0.1:8000", True),
        ("http://127.0.0.1:8001", False),
        ("https://127.0.0.1:8000", False),
        ("http://localhost:8000", False),
        ("null", False),
        ("http://evil.example", False),
        ("chrome-extension://abc", False),
        ("http://127.0.0.1:8000/path", False),
    ],
)
def test_origins_a_page_may_come_from(origin: str | None, allowed: bool) -> None:
    assert Access(token="t" * 20, bind="127.0.0.1").origin_allowed(origin, "http", "127.0.0.1:8000") is allowed


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("  Noor \n Haddad ", "Noor Haddad"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("a\x1b[2Jb", "a\x1b[2Jb"),
    ],
)
def test_a_name_is_one_line_kept_as_typed(given: str, name: str) -> None:
    assert person_name(given) == name


@pytest.mark.parametrize(
    ("given", "problem"),
    [(" ", "A name is needed"), ("x" * 81, "at most 80 characters"), ("a\0b", "NUL")],
)
def test_a_name_that_cannot_sign_edits_is_refused(given: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        person_name(given)


# -- the door, on a real server -------------------------------------------------------------------


async def test_without_the_token_every_address_is_403_and_no_app_starts(serving) -> None:
    served = serving()
    assert served.printed == f"http://127.0.0.1:{served.port}/" and len(served.token) >= 32
    for path in ("/", "/who", "/?as=Noor", "/static/js/textual.js", "/ws/anything", "/download/x", "/nothing"):
        status, page, _ = await fetch(served, path, cookie=False)
        assert status == 403, path
        assert "Open the link dayone serve printed" in page
    wrong_places = [
        ("/?Token=" + served.token, {}),
        ("/" + served.token, {}),
        ("/?token=" + served.token[:-1], {}),
        ("/", {"Authorization": f"token {served.token}"}),
        ("/", {"Cookie": f"dayone-token={served.token}"}),
        ("/", {"Cookie": f"dayone-token-{served.port + 1}={served.token}"}),
        ("/", {"X-Token": served.token}),
    ]
    for path, headers in wrong_places:
        status, _, _ = await fetch(served, path, cookie=False, **headers)
        assert status == 403, (path, headers)
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"ws://127.0.0.1:{served.port}/ws/x")
    assert refused.value.status == 403
    assert served.apps() == []


async def test_the_token_becomes_a_cookie_and_leaves_the_address(serving) -> None:
    served = serving()
    status, _, headers = await fetch(served, f"/?token={served.token}&as=Kenji", cookie=False)
    assert status == 302 and headers["Location"] == "/?as=Kenji"
    cookie = headers["Set-Cookie"]
    assert f"dayone-token-{served.port}={served.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    status, page, headers = await fetch(served, "/")
    assert status == 200 and "Who are you?" in page and "Noor Haddad" in page
    assert headers["X-Frame-Options"] == "DENY" and headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    _, _, headers = await fetch(served, "/?as=Noor")
    assert headers["X-Frame-Options"] == "DENY"


async def test_a_wrong_host_or_origin_is_403_and_starts_no_app(serving) -> None:
    served = serving()
    for host in ("evil.example", f"evil.example:{served.port}", f"localhost.evil.example:{served.port}"):
        status, page, _ = await fetch(served, "/?as=Noor", Host=host)
        assert status == 403 and "host name" in page, host
    url = await seat(served)
    async with aiohttp.ClientSession(cookies=served.cookie) as client:
        for headers in (
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Origin": f"http://localhost:{served.port + 1}"},
            {"Origin": f"http://127.0.0.1:{served.port}", "Host": f"evil.example:{served.port}"},
        ):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await connect(client, url, **headers)
            assert refused.value.status == 403, headers
        assert served.apps() == []
        # The page's own origin gets in, with the seat the refused attempts did not use up.
        async with connect(client, url, Origin=f"http://127.0.0.1:{served.port}") as websocket:
            assert await first_screen(websocket)
            (app,) = served.apps()
            assert "--as=Noor" in command_line(app)
    served.wait_for_apps(0)


async def test_a_tab_runs_as_its_person_whatever_the_name_holds(serving) -> None:
    served = serving()
    name = "[@click=app.quit]x[/] $(touch pwned) ;rm"
    status, page, _ = await fetch(served, "/?as=" + aiohttp.helpers.quote(name, safe=""))
    assert status == 200
    url = html.unescape(WEBSOCKET_URL.search(page)[1])
    async with aiohttp.ClientSession(cookies=served.cookie) as client, connect(client, url) as websocket:
        await first_screen(websocket)
        (app,) = served.apps()
        assert command_line(app)[-1] == f"--as={name}"
    assert not (served.log.parent / "pwned").exists()
    status, _, _ = await fetch(served, url.removeprefix(f"ws://127.0.0.1:{served.port}"))  # not a websocket
    assert status == 400 and "Traceback" not in served.output()
    async with aiohttp.ClientSession(cookies=served.cookie) as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(client, url)  # a seat is taken once
    assert refused.value.status == 403
    status, page, _ = await fetch(served, "/?as=%00")
    assert status == 400 and "NUL" in page


async def test_a_name_page_escapes_every_name(serving, demo: Path) -> None:
    with Workspace.open(demo / "data" / "demo.db", author="tester") as workspace:
        integration = workspace.last_integration()["id"]
        workspace.insert("stakeholder", {"integration_id": integration, "name": "<script>alert(1)</script>"})
    served = serving()
    _, page, _ = await fetch(served, "/who")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    status, page, _ = await fetch(served, "/?as=" + "x" * 81)
    assert status == 400 and "at most 80 characters" in page


async def test_a_proxy_that_logs_people_in_names_them_and_no_link_can_say_otherwise(serving) -> None:
    served = serving("--name-header", "X-Remote-User")
    status, page, _ = await fetch(served, "/?as=Noor")
    assert status == 403 and "did not say who you are (no X-Remote-User header)" in page
    status, _, headers = await fetch(served, "/who", **{"X-Remote-User": "kenji"})
    assert status == 302 and headers["Location"] == "/"
    url = await seat(served, "Noor", **{"X-Remote-User": "kenji"})  # ?as= is ignored: the proxy's word counts
    async with aiohttp.ClientSession(cookies=served.cookie) as client, connect(client, url) as websocket:
        await first_screen(websocket)
        (app,) = served.apps()
        assert command_line(app)[-1] == "--as=kenji"
    status, page, _ = await fetch(served, "/", **{"X-Remote-User": " "})
    assert status == 403 and "A name is needed" in page


async def test_sessions_beyond_the_limit_are_refused_and_nothing_leaks(serving) -> None:
    served = serving("--max-sessions", "3")
    before = served.apps()
    urls = [await seat(served, f"Person{n}") for n in range(5)]
    async with aiohttp.ClientSession(cookies=served.cookie) as client:
        opened = [await connect(client, url) for url in urls[:3]]
        for websocket in opened:
            await first_screen(websocket)
        assert len(served.apps()) == 3
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(client, urls[3])
        assert refused.value.status == 503
        status, page, _ = await fetch(served, "/?as=Late")
        assert status == 503 and "at most 3 browser tabs" in page
        assert len(served.apps()) == 3
        for websocket in opened:
            await websocket.close()
        served.wait_for_apps(len(before))
        async with connect(client, urls[4]) as websocket:  # a closed tab frees its seat
            await first_screen(websocket)
    assert served.wait_for_apps(len(before)) == before


async def test_an_idle_tab_is_closed_and_its_app_stopped(serving) -> None:
    served = serving("--idle-minutes", "0.05")  # 3 s
    url = await seat(served)
    began = time.monotonic()
    async with aiohttp.ClientSession(cookies=served.cookie) as client, connect(client, url) as websocket:
        await first_screen(websocket)
        while (await asyncio.wait_for(websocket.receive(), 30)).type not in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSING,
        ):
            pass
        assert 3 <= time.monotonic() - began < 15
    served.wait_for_apps(0)


async def test_a_wildcard_bind_links_to_the_address_the_browser_used(serving) -> None:
    served = serving("--bind", "0.0.0.0")
    assert served.printed == f"http://{socket.gethostname()}:{served.port}/"
    assert served.output().startswith("dayone: warning: serving on 0.0.0.0")
    url = await seat(served)
    assert url.startswith(f"ws://127.0.0.1:{served.port}/ws/")
    url = await seat(served, Host=f"{socket.gethostname()}:{served.port}")
    assert url.startswith(f"ws://{socket.gethostname()}:{served.port}/ws/")
    status, _, _ = await fetch(served, "/?as=Noor", Host="evil.example")
    assert status == 403


async def test_behind_a_proxy_the_public_url_gives_the_links(serving) -> None:
    served = serving("--public-url", "https://dayone.example.org", "--allow-origin", "https://other.example.org")
    assert served.printed == "https://dayone.example.org/"
    assert "warning" not in served.output()
    proxied = {"Host": "dayone.example.org"}
    status, page, _ = await fetch(served, "/?as=Noor", **proxied)
    assert status == 200
    assert 'data-session-websocket-url="wss://dayone.example.org/ws/' in page
    assert 'src="https://dayone.example.org/static/js/textual.js"' in page
    for origin, status in (
        ("https://dayone.example.org", 200),
        ("https://other.example.org", 200),
        ("https://evil.example", 403),
        ("null", 403),
    ):
        assert (await fetch(served, "/?as=Noor", Origin=origin, **proxied))[0] == status, origin


def test_the_page_is_served_on_loopback_with_its_token(demo: Path) -> None:
    served = Served(demo, Path("data/demo.db"))
    output = served.stop()
    assert f"dayone: serving data/demo.db at http://127.0.0.1:{served.port}/?token={served.token} (Ctrl+C stops)" in (
        output
    )
    assert "warning" not in output


def test_a_token_can_be_given_or_left_out_on_loopback_only(demo: Path) -> None:
    given = Served(demo, Path("data/demo.db"), "--token", "our-shared-token-1")
    assert given.token == "our-shared-token-1"
    given.stop()
    from_env = Served(demo, Path("data/demo.db"), env={"DAYONE_TOKEN": "from-the-environment"})
    assert from_env.token == "from-the-environment"
    from_env.stop()
    open_one = Served(demo, Path("data/demo.db"), "--no-token")
    assert open_one.token is None and open_one.cookie == {}
    status, _, _ = asyncio.run(fetch(open_one, "/?as=Noor"))
    open_one.stop()
    assert status == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "--port 0: not a port number"),
        (["--port", "70000"], "--port 70000: not a port number"),
        (
            ["--bind", "0.0.0.0", "--no-token"],
            "--no-token: only when bound to this machine (127.0.0.1); 0.0.0.0 is reachable from others",
        ),
        (["--token", "short"], "--token: give at least 8 characters, none of them spaces or any of & # % ? / +"),
        (["--token", "has space in it"], "--token: give at least 8 characters"),
        (["--token", "long-enough-token", "--no-token"], "--token and --no-token: give one of them"),
        (["--max-sessions", "0"], "--max-sessions 0: give at least 1"),
        (["--idle-minutes", "0"], "--idle-minutes 0: give a number of minutes above 0"),
        (["--public-url", "dayone.example.org"], "--public-url 'dayone.example.org': not an http:// or https://"),
        (["--public-url", "https://example.org/dayone"], "give the scheme, host and port only"),
        (["--allow-origin", "ftp://example.org"], "--allow-origin 'ftp://example.org': not an http://"),
        (
            ["--bind", "0.0.0.0", "--name-header", "X-Remote-User"],
            "--name-header: only when bound to this machine (127.0.0.1), behind the proxy that sets it; on 0.0.0.0 "
            "anyone could send the header themselves",
        ),
        (["--name-header", "X Remote"], "--name-header 'X Remote': not a header name (letters, digits, -)"),
        (["--as", "Noor"], "--as: each browser tab names its own person (?as=NAME in its link); leave --as out"),
    ],
)
def test_bad_options_are_one_clear_line_and_change_nothing(demo: Path, args: list[str], message: str) -> None:
    result = commands.dayone(demo, "--db", "data/new.db", "serve", *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"dayone: {message}"] or message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (demo / "data" / "new.db").exists()


def test_a_port_in_use_is_one_clear_line(demo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = dayone(demo, "serve", "--port", str(port))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"dayone: cannot listen on 127.0.0.1:{port}")


def test_another_address_warns_that_the_token_travels_in_clear_text(demo: Path) -> None:
    result = dayone(demo, "serve", "--bind", "192.0.2.1", "--port", str(free_port()))
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        "dayone: warning: serving on 192.0.2.1, which other machines can reach; the link's token travels in clear "
        "text over http, so beyond a trusted network put dayone behind an HTTPS proxy (see README: Serving to a "
        "browser)"
    )
    assert result.returncode == 2 and lines[-1].startswith("dayone: cannot listen on 192.0.2.1:")


async def test_the_page_loads_nothing_from_outside_the_server(serving) -> None:
    served = serving()
    status, page, _ = await fetch(served, "/?as=Noor")
    assert status == 200
    addresses = re.findall(r"""(?:href|src)=["']([^"']+)|url\(["']?([^"')]+)""", page)
    found = [href or url for href, url in addresses]
    assert any(address.endswith("RobotoMono-VariableFont_wght.ttf") for address in found), found
    assert [address for address in found if not address.startswith(served.base + "/static/")] == []
    assert "googleapis" not in page
    font = next(address for address in found if address.endswith(".ttf"))
    async with aiohttp.ClientSession(cookies=served.cookie) as client, client.get(font) as response:
        assert response.status == 200 and len(await response.read()) > 10_000
