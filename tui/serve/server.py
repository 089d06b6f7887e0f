"""The web server behind `dayone serve`: textual-serve's page, terminal and downloads, behind dayone's own door.

textual-serve's `Server` has no hook for checks before a websocket starts an app, and builds its page links from the
address it was bound to. This subclass keeps its page template, static files, download manager and app protocol, and
replaces the rest: a middleware that checks Host, Origin and token on every request; a page that asks who you are
(unless an authenticating proxy's header says it); one websocket per page load (a seat naming the person), each
starting `python -m tui --as NAME` without a shell; a limit on sessions; idle sessions closed; links built from the
public URL or the address the browser used.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TextIO
from urllib.parse import quote, unquote

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tui.identity import person_name
from tui.serve.access import Access
from tui.serve.pages import full_page, refused_page, who_page
from tui.visible import VisibleFormatter, visible

log = logging.getLogger("textual-serve")
SEAT_SECONDS = 600  # a page has this long to open its websocket
MAX_SEATS = 1000
STOP_SECONDS = 10  # an app that has not quit this long after being asked is killed
# No other site may show dayone's pages inside its own (where clicks could be steered to them).
NOT_IN_FRAMES = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}
# textual-serve's page asks a font service on the internet for its font, which tells that service who is in the room
# and fails on a closed network; the same font ships in its static files, so the page loads it from here instead.
FONT_LINK = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE)
LOCAL_FONT = (
    '<style>@font-face {{ font-family: "Roboto Mono"; font-style: normal;'
    ' src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}</style>'
)


class VisibleStream:
    """The server's stdout, where textual-serve copies what an app wrote to stderr: control characters visible."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(visible(text))

    def flush(self) -> None:
        self.stream.flush()


class Seats:
    """Names handed out with pages, each taken once by the websocket that page opens."""

    def __init__(self) -> None:
        self._seats: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def add(self, name: str) -> str:
        now = time.monotonic()
        while self._seats and (len(self._seats) >= MAX_SEATS or next(iter(self._seats.values()))[1] < now):
            self._seats.popitem(last=False)
        seat = secrets.token_urlsafe(18)
        self._seats[seat] = (name, now + SEAT_SECONDS)
        return seat

    def take(self, seat: str) -> str | None:
        found = self._seats.pop(seat, None)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]


class Session(AppService):
    """One browser tab's app process, started from an argument list (no shell) and killed if it will not quit."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(argv[0], **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(super().stop(), STOP_SECONDS)
        process = self._process
        if process is not None and process.returncode is None:
            try:  # its output may end before it has finished closing (taking its presence row away, say)
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()


class DayoneServer(Server):
    def __init__(
        self,
        app_argv: Callable[[str], list[str]],
        stakeholders: Callable[[], list[str]],
        *,
        access: Access,
        port: int,
        workspace: str,
        max_sessions: int,
        idle_seconds: float,
        name_header: str | None = None,
    ) -> None:
        super().__init__("dayone", host=access.bind, port=port, title="dayone", public_url=access.public_origin or "")
        self.app_argv = app_argv
        self.stakeholders = stakeholders
        self.access = access
        self.workspace = workspace
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.name_header = name_header  # a proxy that logs people in names them; the page then asks nobody
        self.seats = Seats()
        self.sessions: dict[web.WebSocketResponse, Session] = {}
        self.token_cookie = f"dayone-token-{port}"
        self.name_cookie = f"dayone-name-{port}"

    # -- running ---------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """textual-serve's and aiohttp's warnings on stderr, and what apps write to stderr on stdout, all with their
        control characters visible (they may quote what a browser sent)."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(VisibleFormatter("dayone serve: %(message)s"))
        for logger in (log, logging.getLogger("aiohttp")):
            logger.addHandler(handler)
            logger.setLevel(logging.WARNING)
            logger.propagate = False
        sys.stdout = VisibleStream(sys.stdout)

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (2, 15):  # SIGINT, SIGTERM: stop the server, and with it every app it started
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, self.request_exit)
        # No access log: a first request carries the token in its address.
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log=None,
            shutdown_timeout=STOP_SECONDS,
        )

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/who", self.handle_who, name="who"),
                web.get("/ws/{seat}", self.handle_app_socket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sessions):
            await websocket.close()

    # -- the door --------------------------------------------------------------------------

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Host, then Origin, then token, before any handler runs; a first visit swaps the token for a cookie."""
        if not self.access.host_allowed(request.headers.get("Host")):
            return refused("This server is not known by the host name the request used.")
        if not self.access.origin_allowed(request.headers.get("Origin"), request.scheme, request.host):
            return refused("Requests from other web pages are not accepted.")
        given = request.query.get("token")
        if given is not None:
            if not self.access.token_matches(given):
                return refused("The token in this link is not the one dayone serve printed.")
            if request.path in ("/", "/who") and request.method == "GET":
                redirect = web.HTTPFound(request.rel_url.without_query_params("token"))
                self.set_cookie(redirect, self.token_cookie, given)
                return redirect
        elif not self.access.token_matches(request.cookies.get(self.token_cookie)):
            return refused("Open the link dayone serve printed, with its token, to use this workspace.")
        response = await handler(request)
        if not response.prepared:  # a websocket has sent its headers already
            response.headers.update(NOT_IN_FRAMES)
        return response

    def set_cookie(self, response: web.StreamResponse, name: str, value: str) -> None:
        secure = (self.access.public_origin or "").startswith("https:")
        response.set_cookie(
            name, value, httponly=True, samesite="Lax", secure=secure, max_age=400 * 24 * 3600, path="/"
        )

    # -- pages -----------------------------------------------------------------------------

    def base_url(self, request: web.Request) -> str:
        """Where the browser reached this server: the public URL, else the address it asked for (checked)."""
        return self.access.public_origin or f"{request.scheme}://{request.host}"

    async def handle_who(self, request: web.Request) -> web.Response:
        if self.name_header:
            raise web.HTTPFound("/")
        return await self.ask_name(None)

    async def ask_name(self, problem: str | None) -> web.Response:
        names = await asyncio.to_thread(self.stakeholders)
        return web.Response(
            text=who_page(names, self.workspace, problem),
            content_type="text/html",
            status=400 if problem else 200,
            headers={"Cache-Control": "no-store"},
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if len(self.sessions) >= self.max_sessions:
            return web.Response(text=full_page(self.max_sessions), content_type="text/html", status=503)
        if self.name_header:
            said = request.headers.get(self.name_header)
            if said is None:
                return refused(f"The proxy in front of dayone did not say who you are (no {self.name_header} header).")
            try:
                return self.app_page(request, person_name(said))
            except ValueError as problem:
                return refused(f"The name the proxy gave cannot sign edits: {problem}")
        given = request.query.get("as")
        remembered = request.cookies.get(self.name_cookie)
        if given is None and not remembered:
            return await self.ask_name(None)
        try:
            name = person_name(given if given is not None else unquote(remembered or ""))
        except ValueError as problem:
            return await self.ask_name(str(problem))
        response = self.app_page(request, name)
        if given is not None:
            self.set_cookie(response, self.name_cookie, quote(name, safe=""))
        return response

    def app_page(self, request: web.Request, name: str) -> web.Response:
        """textual-serve's page, its websocket taking a seat for `name`."""
        base = self.base_url(request)
        static = f"{base}/static/"
        seat = self.seats.add(name)
        websocket_url = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + f"/ws/{seat}"
        context = {
            "font_size": to_int(request.query.get("fontsize"), 16),
            "app_websocket_url": websocket_url,
            "config": {"static": {"url": static}},
            "application": {"name": "dayone"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = FONT_LINK.sub(LOCAL_FONT.format(static=static), response.text or "")
        response.headers["Cache-Control"] = "no-store"
        return response

    # -- the app in a websocket ------------------------------------------------------------

    async def handle_app_socket(self, request: web.Request) -> web.StreamResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            return web.Response(text="a websocket is expected here", status=400)
        name = self.seats.take(request.match_info["seat"])
        if name is None:
            return refused("This page is out of date: reload it to join.")
        if len(self.sessions) >= self.max_sessions:
            return web.Response(text=f"full: {self.max_sessions} sessions are open", status=503)
        session = Session(
            self.app_argv(name),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions[websocket] = session
        watchdog: asyncio.Task[None] | None = None
        try:
            await websocket.prepare(request)
            await session.start(to_int(request.query.get("width"), 80), to_int(request.query.get("height"), 24))
            activity = [time.monotonic()]
            watchdog = asyncio.create_task(self.close_when_idle(websocket, activity))
            await self.relay(websocket, session, activity)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            await session.stop()
            del self.sessions[websocket]
        return websocket

    async def relay(self, websocket: web.WebSocketResponse, session: Session, activity: list[float]) -> None:
        """The browser's keys, mouse and size to the app; anything malformed is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                activity[0] = time.monotonic()
                await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                activity[0] = time.monotonic()
                await session.set_terminal_size(to_int(data.get("width"), 80), to_int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def close_when_idle(self, websocket: web.WebSocketResponse, activity: list[float]) -> None:
        check = min(max(self.idle_seconds / 10, 0.05), 30)
        while not websocket.closed:
            await asyncio.sleep(check)
            if time.monotonic() - activity[0] >= self.idle_seconds:
                await websocket.close(message=b"idle")
                return


def refused(reason: str) -> web.Response:
    return web.Response(text=refused_page(reason), content_type="text/html", status=403)


def to_int(value: object, default: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 10_000 else default
