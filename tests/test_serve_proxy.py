"""`dayone serve` behind the README's reverse proxy: a real Caddy terminating HTTPS, asking for a password and
naming the person it let in."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from servers import server_missing
from serving import Served, command_line, free_port

PASSWORD = "noor-pass"
WEBSOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')


@pytest.fixture
def proxied(demo: Path) -> Iterator[tuple[str, Served]]:
    """Caddy on a free https port in front of `dayone serve --public-url` that address."""
    caddy = shutil.which("caddy")
    if caddy is None:
        server_missing("no Caddy (apt-get install -y caddy)")
    https, http = free_port(), free_port()
    public = f"https://localhost:{https}"
    served = Served(demo, demo / "data" / "demo.db", "--public-url", public, "--name-header", "X-Remote-User")
    hashed = subprocess.run(
        [caddy, "hash-password", "--plaintext", PASSWORD], capture_output=True, text=True, check=True
    ).stdout.strip()
    config = demo / "Caddyfile"
    config.write_text(
        "{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n"
        f"\thttp_port {http}\n\thttps_port {https}\n\tstorage file_system {demo / 'caddy'}\n}}\n"
        f"localhost:{https} {{\n\ttls internal\n\tbasicauth {{\n\t\tnoor {hashed}\n\t}}\n"
        f"\treverse_proxy 127.0.0.1:{served.port} {{\n\t\theader_up X-Remote-User {{http.auth.user.id}}\n\t}}\n}}\n"
    )
    log = (demo / "caddy.log").open("w")
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"HOME": str(demo / "home"), "PATH": "/usr/bin:/bin"},
    )
    try:
        deadline = time.monotonic() + 30
        while "certificate obtained successfully" not in (demo / "caddy.log").read_text():
            assert proxy.poll() is None and time.monotonic() < deadline, (demo / "caddy.log").read_text()
            time.sleep(0.1)
        yield public, served
    finally:
        proxy.terminate()
        proxy.wait(timeout=15)
        log.close()
        served.stop()


async def test_through_an_authenticating_https_proxy(proxied) -> None:
    public, served = proxied
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # Caddy's own local CA
    login = {"Authorization": aiohttp.encode_basic_auth("noor", PASSWORD)}
    connector = aiohttp.TCPConnector(ssl=insecure)
    async with aiohttp.ClientSession(connector=connector) as client:
        async with client.get(f"{public}/?token={served.token}") as response:
            assert response.status == 401  # the proxy asks first
        async with client.get(f"{public}/", headers=login) as response:
            assert response.status == 403  # a login is not the link
        async with client.get(f"{public}/?token={served.token}&as=Noor", headers=login, allow_redirects=False) as reply:
            assert reply.status == 302 and reply.headers["Location"] == "/?as=Noor"
            assert "Secure" in reply.headers["Set-Cookie"]
        async with client.get(f"{public}/?as=Kenji", headers=login) as response:
            page = await response.text()
        url = html.unescape(WEBSOCKET_URL.search(page)[1])
        assert url.startswith(f"wss://localhost:{public.rsplit(':', 1)[1]}/ws/")
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url, headers={**login, "Origin": "https://evil.example"})
        assert refused.value.status == 403
        async with client.ws_connect(url + "?width=120&height=40", headers={**login, "Origin": public}) as websocket:
            while (await asyncio.wait_for(websocket.receive(), 30)).type != aiohttp.WSMsgType.BINARY:
                pass
            (app,) = served.apps()
            assert command_line(app)[-1] == "--as=noor"  # the login names the person, whatever the link says
    served.wait_for_apps(0)
