"""The small HTML pages `dayone serve` shows around the app: who are you, refused, full. Every value is escaped."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

STYLE = """
body { background: #0c181f; color: #e8eef2; font: 16px/1.5 "Roboto Mono", menlo, monospace; margin: 0; }
main { max-width: 40rem; margin: 10vh auto; padding: 2rem; background: #12232d; }
h1 { font-size: 1.3rem; margin-top: 0; }
a.name, button { display: inline-block; margin: 0 .5rem .5rem 0; padding: .4rem .9rem; background: #5e0ba7;
  color: #fff; border: none; font: inherit; text-decoration: none; cursor: pointer; }
input { font: inherit; padding: .4rem; width: 18rem; }
.hint { color: #9fb3c0; font-size: .9rem; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def who_page(stakeholders: list[str], workspace: str, problem: str | None = None) -> str:
    """The first screen in a browser: pick a stakeholder or type a name; the choice becomes `?as=NAME`."""
    links = "".join(f'<a class="name" href="/?as={quote(name, safe="")}">{escape(name)}</a>' for name in stakeholders)
    known = f"<p>Stakeholders of this workspace:</p><p>{links}</p>" if links else ""
    said = f'<p role="alert"><strong>{escape(problem)}</strong></p>' if problem else ""
    return _page(
        "dayone: who are you?",
        f"<h1>Who are you?</h1><p>Everything you write in <code>{escape(workspace)}</code> is signed with this "
        f"name, and the others see it in the header while you are here.</p>{said}{known}"
        '<form method="get" action="/"><label>Another name: <input name="as" maxlength="80" required autofocus>'
        "</label> <button>Join</button></form>"
        '<p class="hint">This browser remembers the name. A link ending in <code>?as=NAME</code> names you '
        'directly; <a href="/who">/who</a> asks again.</p>',
    )


def refused_page(reason: str) -> str:
    return _page("dayone: not allowed", f"<h1>Not allowed</h1><p>{escape(reason)}</p>")


def full_page(limit: int) -> str:
    return _page(
        "dayone: full",
        f"<h1>Every seat is taken</h1><p>This dayone serves at most {limit} browser tabs at a time, and all of them "
        "are open. Try again when someone closes a tab, or ask the host to start it with a higher "
        "<code>--max-sessions</code>.</p>",
    )
