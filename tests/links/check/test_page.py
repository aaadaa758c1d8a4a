"""The page view: what the checker reads from an HTML answer (see test_content for the text)."""

from __future__ import annotations

import pytest

from guidelint.links.check.page import PageView, read_page
from guidelint.links.check.records import Response

BASE = "https://help.example.org/support/line"


def _view(
    body: bytes, content_type: str | None = "text/html", charset: str | None = None
) -> PageView | None:
    headers = {"content-type": content_type} if content_type is not None else {}
    return read_page(Response(BASE, 200, headers, body, charset=charset))


def test_only_html_has_a_page_view() -> None:
    assert _view(b"%PDF-1.7", "application/pdf") is None
    assert _view(b"<html><p>x</p></html>", "application/json") is None
    assert _view(b"plain words", None) is None
    sniffed = _view(b"  <!DOCTYPE html><title>Sniffed</title>", None)  # no type: looks like HTML
    assert sniffed is not None
    assert sniffed.extracted.title == "Sniffed"
    assert _view(b"<p>x</p>", "application/xhtml+xml; charset=utf-8") is not None


def test_the_view_holds_headings_scripts_and_the_decoded_markup() -> None:
    body = "<title>Café</title><h1> First </h1><h1></h1><h1>Second</h1><script>x()</script>"
    view = _view(body.encode("latin-1"), charset="latin-1")
    assert view is not None
    assert view.extracted.title == "Café"
    assert view.headings == ("First", "Second")
    assert view.scripted
    assert view.markup == body
    assert view.refresh is None


@pytest.mark.parametrize(
    ("content", "target"),
    [
        ("0; url=/", "https://help.example.org/"),
        ("0;URL='https://other.example/new'", "https://other.example/new"),
        ("5, url=../moved", "https://help.example.org/moved"),
        ("10; url=later", "https://help.example.org/support/later"),
        ("11; url=/", None),  # a slow refresh is a page people read first
        ("0", None),  # reloads itself
        ("soon; url=/", None),
    ],
)
def test_an_immediate_meta_refresh_is_a_redirect(content: str, target: str | None) -> None:
    view = _view(f"<meta http-equiv='Refresh' content=\"{content}\"><p>Moving</p>".encode())
    assert view is not None
    assert view.refresh == target


def test_large_pages_are_parsed_off_the_loop_thread_and_small_ones_on_it() -> None:
    import asyncio
    import threading

    from guidelint.links.check import page as page_module

    threads: list[str] = []
    original = page_module.read_page

    def recording(response: Response, main: bool = False) -> PageView | None:
        threads.append(threading.current_thread().name)
        return original(response, main)

    async def run() -> None:
        reader = page_module.PageReader()
        try:
            small = Response(BASE, 200, {"content-type": "text/html"}, b"<p>small</p>")
            large_body = b"<p>" + b"x" * page_module.INLINE_BYTES + b"</p>"
            large = Response(BASE, 200, {"content-type": "text/html"}, large_body)
            assert (await reader.read(small)) is not None
            assert (await reader.read(large)) is not None
            # Main content (the baseline's pages only) is read in a thread, small or not.
            view = await reader.read(small, main=True)
            assert view is not None and view.main == "small"
            assert await reader.read(Response(BASE, 200, {}, None)) is None
        finally:
            reader.close()

    page_module.read_page = recording
    try:
        asyncio.run(run())
    finally:
        page_module.read_page = original
    assert threads[0] == threading.main_thread().name
    assert threads[1].startswith("guidelint-parse")
    assert threads[2].startswith("guidelint-parse")
