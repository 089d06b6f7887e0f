"""The one masking layer: strings that look like credentials never reach a shared screen or an export.

Token formats (AWS, GitHub, GitLab, Slack, Stripe, JWT, SendGrid, Twilio, npm, PyPI, OpenAI, ...) come from
detect-secrets' regex plugins, which follow the vendors' formats as they change. The kinds that depend on
context are written here: private key blocks of every type (masked whole), the password in a URL's user
info (any scheme; found with the standard URL parser, also when the password holds `@`, `/` or `:`),
`password=`/`secret:`/`token=`/`*_KEY=` assignments, `secret <value>`, `Bearer <token>` and Google API keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from operator import attrgetter
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "•••••"

_KEY_LINE = r"-{4,5} ?{} [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)? ?-{4,5}"
_PRIVATE_KEY = re.compile(
    _KEY_LINE.replace("{}", "BEGIN") + ".*?(?:" + _KEY_LINE.replace("{}", "END") + r"|\Z)|PuTTY-User-Key-File-\d.*\Z",
    re.S,
)
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"'`]+")
# A value after a credential word: quoted, or up to white space or a separator; never the mask itself.
_VALUE = r"""(?:"(?P<q1>[^"\n]{3,})"|'(?P<q2>[^'\n]{3,})'|(?P<bare>(?!•)[^\s"',;&]{3,}))"""
_WORD = (
    r"(?:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"
    r"|(?:[A-Za-z0-9_.-]*[_.-])?(?:pass|pwd))"
)
_ASSIGNMENT = re.compile(rf"(?i:\b{_WORD})\b\s*(?:=|:(?!//))\s*{_VALUE}")
# Environment-style names ending in _KEY (upper case only, so `primary_key: true` stays readable).
_ENV_KEY = re.compile(rf"\b[A-Z0-9_]*_KEY\b\s*[=:]\s*{_VALUE}")
# `secret wJalrXUt...`, `password is hunter2!x`: a word, then a value with a digit, at least 8 characters.
_SPOKEN = re.compile(r"(?i:\b(?:secret|password|passwd|token|api key)(?:\s+is)?)\s+(?P<bare>(?=\S*\d)(?!•)\S{8,})")
_BEARER = re.compile(r"(?i:\b(?:bearer|basic|token))\s+(?P<bare>(?!•)[A-Za-z0-9\-._~+/]{12,}=*)")
_OWN_TOKENS = [
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("a Stripe key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}")),
    ("a GitHub token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an API key", re.compile(r"\bsk-[A-Za-z0-9_-]{20,}")),
]
# Plugins whose patterns are precise token formats; the keyword, entropy, IP and basic-auth plugins are left out
# (too noisy for prose, or done here with the URL parser).
_PLUGINS = (
    ("aws", "AWSKeyDetector"),
    ("github_token", "GitHubTokenDetector"),
    ("gitlab_token", "GitLabTokenDetector"),
    ("slack", "SlackDetector"),
    ("stripe", "StripeDetector"),
    ("jwt", "JwtTokenDetector"),
    ("sendgrid", "SendGridDetector"),
    ("twilio", "TwilioKeyDetector"),
    ("npm", "NpmDetector"),
    ("pypi_token", "PypiTokenDetector"),
    ("openai", "OpenAIDetector"),
    ("discord", "DiscordBotTokenDetector"),
    ("telegram_token", "TelegramBotTokenDetector"),
    ("mailchimp", "MailchimpDetector"),
    ("azure_storage_key", "AzureStorageKeyDetector"),
    ("square_oauth", "SquareOAuthDetector"),
)
# Text that cannot hold any kind above is passed over quickly: each kind needs one of these words or
# separators (in any letter case), or a long run of token characters.
_LONG_RUN = re.compile(r"[A-Za-z0-9_\-+/=.:]{16}")


def _may_hold_secret(text: str) -> bool:
    lower = text.lower()
    return (
        "pass" in lower
        or "key" in lower
        or "token" in lower
        or "secret" in lower
        or "://" in lower
        or "-----" in lower
        or "pwd" in lower
        or "auth" in lower
        or "bearer" in lower
        or "basic" in lower
        or "putty" in lower
        or "aiza" in lower
        or "xox" in lower
        or "sk_" in lower
        or "glpat" in lower
        or _LONG_RUN.search(text) is not None
    )


@cache
def _token_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The token formats: detect-secrets' plugin patterns, then the few it does not know."""
    from importlib import import_module

    found = []
    for module, name in _PLUGINS:
        plugin = getattr(import_module(f"detect_secrets.plugins.{module}"), name)
        kind = _with_article(plugin.secret_type)
        found += [(kind, pattern) for pattern in plugin.denylist]
    return found + _OWN_TOKENS


def _with_article(kind: str) -> str:
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


@dataclass(frozen=True)
class SecretHit:
    kind: str
    start: int
    end: int


def _url_passwords(text: str) -> Iterable[tuple[int, int]]:
    """Where the password of each URL's user info is, read with the standard parser.

    The user info ends at the URL's last `@`, so a password may hold `@`, `/` or `:` unencoded.
    """
    for match in _URL.finditer(text):
        url = match.group()
        scheme_end = url.index("://") + 3
        at = url.rfind("@")
        if at < scheme_end:
            continue
        userinfo = url[scheme_end:at]
        if "/" in userinfo:
            try:
                parsed = urlsplit(url)
                port = parsed.port
            except ValueError:
                port = None
            # A URL with a proper host and port before the first slash has no user info; the `@` is later on.
            if "@" not in parsed.netloc and port is not None:
                continue
        user, colon, password = userinfo.partition(":")
        if "/" in user or not colon or not password:
            continue
        start = match.start() + scheme_end + len(user) + 1
        yield start, start + len(password)


# Query parameters that carry a credential (`password=`, `sslpassword=`, `api_key=`, `token=`, ...).
_SECRET_PARAMETER = re.compile(r"pass|pwd|secret|token|key|auth", re.I)


def url_without_password(url: str) -> str:
    """A connection URL fit to print and store: the user info's password and credential parameters removed."""
    for start, end in reversed(list(_url_passwords(url))):
        url = url[: start - 1] + url[end:]  # the colon before the password goes too
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(key, value) for key, value in pairs if not _SECRET_PARAMETER.search(key)]
        if len(kept) != len(pairs):
            url = urlunsplit(parts._replace(query=urlencode(kept)))
    return url


def without_url_password(text: str, url: str) -> str:
    """A message about `url` (a driver's error, say) with its password and every piece of it masked.

    A driver that split an unencoded password at `@`, `/` or `:` quotes the pieces as a host or a path.
    """
    passwords = [url[start:end] for start, end in _url_passwords(url)]
    try:
        query = urlsplit(url).query
    except ValueError:
        query = ""
    passwords += [value for key, value in parse_qsl(query) if _SECRET_PARAMETER.search(key)]
    pieces = {piece for password in passwords for piece in re.split(r"[@/:?#]", password) if len(piece) >= 3}
    for piece in sorted({*passwords, *pieces}, key=len, reverse=True):
        text = text.replace(piece, MASK)
    return text


def _value_span(match: re.Match[str]) -> tuple[int, int]:
    for group in ("q1", "q2", "bare"):
        if match.re.groupindex.get(group) and match.group(group) is not None:
            return match.span(group)
    return match.span()


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-.+/=]*")


def _token_span(match: re.Match[str]) -> tuple[int, int]:
    """The secret part of a token match, run on to the token's end (some formats match only a prefix).

    A pattern that also matches its surroundings (`aws ... key = "..."`) names the secret as a long group.
    """
    start, end = match.span()
    for index in range(1, (match.re.groups or 0) + 1):
        if match.group(index) and len(match.group(index)) >= 16:
            start, end = match.span(index)
            break
    rest = _TOKEN_CHARS.match(match.string, end)
    assert rest is not None  # the pattern matches the empty string too
    return start, rest.end()


def find_secrets(text: str) -> list[SecretHit]:
    """Where the credential-like parts of a text are, without overlaps, in order."""
    if not text or not _may_hold_secret(text):
        return []
    hits: list[SecretHit] = []

    def add(kind: str, start: int, end: int) -> None:
        if start < end and text[start:end] != MASK and not any(hit.start < end and start < hit.end for hit in hits):
            hits.append(SecretHit(kind, start, end))

    for match in _PRIVATE_KEY.finditer(text):
        add("a private key", *match.span())
    for start, end in _url_passwords(text):
        add("a password in a connection string", start, end)
    for kind, pattern in _token_patterns():
        for match in pattern.finditer(text):
            add(kind, *_token_span(match))
    for kind, pattern in (
        ("a password assignment", _ASSIGNMENT),
        ("a key assignment", _ENV_KEY),
        ("a secret", _SPOKEN),
        ("a bearer token", _BEARER),
    ):
        for match in pattern.finditer(text):
            add(kind, *_value_span(match))
    return sorted(hits, key=lambda hit: hit.start)


@cache
def _masked(text: str) -> tuple[str, tuple[str, ...]]:
    hits = find_secrets(text)
    if not hits:
        return text, ()
    parts, last = [], 0
    for hit in hits:
        parts.append(text[last : hit.start])
        parts.append(MASK)
        last = hit.end
    parts.append(text[last:])
    return "".join(parts), tuple(hit.kind for hit in hits)


def mask_secrets(text: str) -> tuple[str, list[str]]:
    """The text with credentials replaced by a mask, and the kinds of credential found."""
    if not text:
        return text, []
    if len(text) > 4096:
        masked, kinds = _masked.__wrapped__(text)
    else:
        masked, kinds = _masked(text)
    return masked, list(kinds)


# C0 and C1 control characters, DEL and lone surrogates: nothing a document should carry. Tabs and line
# breaks stay (the renderers fold them where a line must stay one line).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def drop_controls(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


class Masker:
    """Masks every string it is given, drops control characters, and remembers where each credential was."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def __call__(self, text: Any, where: str) -> Any:
        if not isinstance(text, str) or not text:
            return text
        masked, kinds = mask_secrets(text)
        for kind in kinds:
            self.warnings.append(f"masked {kind} in {where}")
        return drop_controls(masked)

    def walk(self, node: Any, root: str) -> Any:
        """The same tree (dataclasses, dicts, lists, tuples) with every string masked, dict keys included.

        Warnings name the root and the path inside it (`Orders: tables[shop.orders].columns[total].description`);
        parts of the tree without anything to mask are returned as they are.
        """
        return self._walk(node, root, ())

    def _text(self, text: str, root: str, path: tuple) -> str:
        if not _needs_work(text):
            return text
        masked, kinds = mask_secrets(text)
        if kinds:
            where = f"{root}: {_path(path)}" if path else root
            self.warnings.extend(f"masked {kind} in {where}" for kind in kinds)
        return drop_controls(masked)

    def _walk(self, node: Any, root: str, path: tuple) -> Any:
        kind = type(node)
        if kind is str:
            return self._text(node, root, path) if node else node
        if kind is dict:
            return {
                (self._text(key, root, (*path, " (a key)")) if type(key) is str else key): self._walk(
                    value, root, (*path, ("key", key))
                )
                for key, value in node.items()
            }
        if kind is list or kind is tuple:
            walked = [self._walk(value, root, (*path, ("item", value, index))) for index, value in enumerate(node)]
            return walked if kind is list else tuple(walked)
        shape = _SHAPES.get(kind)
        if shape is None:
            if not is_dataclass(node) or isinstance(node, type):
                return node
            names = tuple(item.name for item in fields(node))
            shape = _SHAPES[kind] = (
                names,
                attrgetter(*names) if len(names) > 1 else lambda row: (getattr(row, names[0]),),
            )
        names, read = shape
        values = read(node)
        texts = []
        for value in values:
            if type(value) is str:
                texts.append(value)
            elif value and type(value) not in _SIMPLE and _is_tree(value):
                break
        else:
            if not _needs_work("\n".join(texts)):
                return node  # the common case: only short plain fields
        changed = {}
        for name, value in zip(names, values, strict=True):
            if value is None or type(value) in _PLAIN:
                continue
            walked = self._walk(value, root, (*path, ("field", name)))
            if walked is not value and walked != value:
                changed[name] = walked
        return replace(node, **changed) if changed else node


# The field names of each dataclass met, and a reader of all of them at once.
_SHAPES: dict[type, tuple[tuple[str, ...], Any]] = {}
_PLAIN = (bool, int, float)
_SIMPLE = (str, bool, int, float)


def _is_tree(value: Any) -> bool:
    return type(value) in (dict, list, tuple) or (is_dataclass(value) and not isinstance(value, type))


def _path(path: tuple) -> str:
    """`tables[shop.orders].columns[total].description`: a path in a tree, each list entry named by its name."""
    out = ""
    for step in path:
        if isinstance(step, str):
            out += step
        elif step[0] in ("field", "key"):
            name = step[1] if type(step[1]) is not str else drop_controls(mask_secrets(step[1])[0])
            out += f".{name}" if out else str(name)
        else:
            out += f"[{_label(step[1], step[2])}]"
    return out


def _needs_work(text: str) -> bool:
    """Whether a text may hold a credential or a control character: otherwise the walk leaves it alone."""
    return _may_hold_secret(text) or _CONTROL.search(text) is not None


def _label(value: Any, index: int) -> str:
    """How a list entry is named in a warning: by its name, key or reference where it has one."""
    for key in ("ref", "key", "name", "id", "property"):
        found = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
        if isinstance(found, str) and found:
            return drop_controls(mask_secrets(found)[0])
    return str(index)
