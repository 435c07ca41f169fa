"""The indexed PDFs served to this computer's browser, so a citation opens the PDF at its page.

Streamlit has no routes of its own, so the app starts a small HTTP server on 127.0.0.1 in a
thread. It serves only what `served_pdf` allows: an indexed PDF inside the documents folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote, unquote, urlsplit

PREFIX = "/pdf/"


class RefusedPath(Exception):
    """A request for something other than an indexed PDF of the library."""


def served_pdf(root: Path, source: str, indexed: Collection[str]) -> Path:
    """The file to send for `source` (a path relative to the documents folder), or RefusedPath.

    Refused: absolute paths, any `..`, backslashes, files that are not PDFs, files the index
    does not hold, and links whose target lies outside the documents folder.
    """
    if not source or "\x00" in source or "\\" in source:
        raise RefusedPath("not a library path")
    posix = PurePosixPath(source)
    if posix.is_absolute() or PureWindowsPath(source).drive or ".." in posix.parts:
        raise RefusedPath("only paths inside the documents folder are served")
    if posix.suffix.lower() != ".pdf":
        raise RefusedPath("only PDFs are served")
    if source not in indexed:
        raise RefusedPath("only indexed documents are served")
    library = root.resolve()
    path = (library / posix).resolve()
    if not path.is_relative_to(library):
        raise RefusedPath("the file lies outside the documents folder")
    if not path.is_file():
        raise RefusedPath("no such file")
    return path


def pdf_link(base_url: str, source: str, page: int | None) -> str:
    """The URL that opens `source` in the browser's own PDF viewer, at `page`."""
    return f"{base_url}{PREFIX}{quote(source)}" + (f"#page={page}" if page else "")


@dataclass
class PdfServer:
    """A running server: its base URL, and how to stop it."""

    base_url: str
    server: ThreadingHTTPServer

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_pdf_server(root: Path, indexed: Callable[[], Collection[str]]) -> PdfServer:
    """Serve the library's indexed PDFs on 127.0.0.1 at a free port, from a daemon thread.

    `indexed` is asked at each request, so a new ingest's documents are served at once.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            path = urlsplit(self.path).path
            if not path.startswith(PREFIX):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            try:
                file = served_pdf(root, unquote(path[len(PREFIX) :]), indexed())
            except RefusedPath as refusal:
                self.send_error(HTTPStatus.FORBIDDEN, str(refusal))
                return
            data = file.read_bytes()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Disposition", f"inline; filename*=UTF-8''{quote(file.name)}")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the app's console is for the app."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="pdf-server", daemon=True).start()
    return PdfServer(f"http://127.0.0.1:{server.server_address[1]}", server)
