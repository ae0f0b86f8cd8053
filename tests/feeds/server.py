"""A real HTTP server on 127.0.0.1 that serves feeds, and the sample feeds it serves."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class FeedServer:
    """Routes are swapped between polls; every request is recorded with its headers."""

    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{path:.*}", self._handle)
        self.runner = web.AppRunner(app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        self.requests.append(Seen(path, dict(request.headers)))
        handler = self.routes.get(path)
        if handler is None:
            return web.Response(status=404, text="not found")
        return await handler(request)

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Serve `body`, answering 304 when the request carries the current validators."""

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {}
            if etag:
                headers["ETag"] = etag
            if last_modified:
                headers["Last-Modified"] = last_modified
            if etag and request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers=headers)
            if (
                not etag
                and last_modified
                and request.headers.get("If-Modified-Since") == last_modified
            ):
                return web.Response(status=304, headers=headers)
            headers["Content-Type"] = content_type
            return web.Response(body=body, headers=headers)

        self.routes[path] = handler

    def gzip_bomb(self, path: str, megabytes: int) -> None:
        """A small gzip body that inflates to `megabytes` MB."""
        payload = gzip.compress(b" " * (megabytes * 1024 * 1024), 9)

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
            return web.Response(body=payload, headers=headers)

        self.routes[path] = handler

    def status(self, path: str, code: int) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=code, text=f"status {code}")

        self.routes[path] = handler

    def slow(self, path: str, seconds: float) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(seconds)
            return web.Response(body=b"<rss/>")

        self.routes[path] = handler

    def huge(self, path: str, megabytes: int) -> dict[str, int]:
        """Stream `megabytes` MB of a never-ending feed without a Content-Length."""
        sent = {"bytes": 0, "finished": 0}
        chunk = b"<item><title>" + b"x" * (1024 * 1024 - 32) + b"</title></item>\n"

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            try:
                await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
                for _ in range(megabytes):
                    await response.write(chunk)
                    sent["bytes"] += len(chunk)
                await response.write(b"</channel></rss>")
                await response.write_eof()
                sent["finished"] = 1
            except (ConnectionResetError, ConnectionError, RuntimeError):
                pass
            return response

        self.routes[path] = handler
        return sent


def rss_item(
    title: str, link: str, date: str, *, guid: str | None = None, description: str = ""
) -> str:
    guid_tag = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description>{description}</description><pubDate>{date}</pubDate>{guid_tag}</item>"
    )


def fsa_rss(*items: str, encoding: str = "UTF-8") -> str:
    """An FSA-style RSS 2.0 news list: Japanese titles, RFC 822 dates in JST."""
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0"><channel><title>金融庁 新着情報</title>'
        "<link>https://www.fsa.go.jp/</link><description>金融庁の新着情報</description>"
        "<language>ja</language>" + "".join(items) + "</channel></rss>"
    )


def atom_entry(entry_id: str, title: str, link: str, updated: str, summary: str = "") -> str:
    return (
        f"<entry><id>{entry_id}</id><title>{title}</title><link href='{link}'/>"
        f"<updated>{updated}</updated><summary>{summary}</summary></entry>"
    )


def atom(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Kinki LFB news</title>'
        "<id>urn:example:kinki</id><updated>2026-11-20T09:00:00+09:00</updated>"
        + "".join(entries)
        + "</feed>"
    )


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n'
    b'<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (n, b"".join(b"&lol%d;" % (n - 1) for _ in range(10)))
        for n in range(2, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    b"<item><title>&lol9;</title><link>https://example.invalid/</link></item>"
    b"</channel></rss>"
)
