"""A PDF citation's page on screen: the page image with its sentence marked, and a link that
opens the PDF itself at that page in the browser's own viewer.

Pages are rendered only when asked for and kept per session, keyed by file, its change time,
page and sentences; they are never stored in the index.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import streamlit as st

from app.page_image import PageImage, PageUnavailable, render_cited_page, sentences_of
from app.pdf_route import PdfServer, pdf_link, start_pdf_server
from index.search import SearchResult
from index.settings import Settings
from index.store import IndexMismatch, IndexMissing, read_manifest

SESSION_PAGES = 24  # page images a session keeps (about 0.4 MB each)


def _indexed(index_dir: Path) -> Collection[str]:
    try:
        return {d.source for d in read_manifest(index_dir).documents}
    except (IndexMissing, IndexMismatch):
        return set()


@st.cache_resource
def pdf_server(documents_dir: str, index_dir: str) -> PdfServer:
    """One server per library for the app's process, started on first use."""
    return start_pdf_server(Path(documents_dir), lambda: _indexed(Path(index_dir)))


def _page_image(path: Path, page: int, sentences: list[str]) -> PageImage:
    pages: dict = st.session_state.setdefault("page_images", {})
    key = (str(path), path.stat().st_mtime_ns, page, tuple(sentences))
    if key not in pages:
        if len(pages) >= SESSION_PAGES:
            pages.pop(next(iter(pages)))
        pages[key] = render_cited_page(path, page, sentences)
    return pages[key]


def show_pdf_page(result: SearchResult, path: Path, settings: Settings, key: str) -> None:
    """A toggle that shows the cited page with the answering sentence marked, and the PDF link."""
    if result.page is None:
        return
    if not st.toggle(f"Show page {result.page}", key=f"{key}-page-{result.rank}"):
        return
    try:
        with st.spinner(f"Rendering page {result.page}…"):
            image = _page_image(path, result.page, result.highlights or sentences_of(result.text))
    except PageUnavailable as problem:
        st.info(str(problem))
        return
    found = "the answering sentence boxed" if image.marks else "the sentence was not found on it"
    st.image(image.png, caption=f"Page {result.page} of {result.source}, {found}.")
    server = pdf_server(str(settings.documents_dir.resolve()), str(settings.index_dir.resolve()))
    st.link_button(
        f"Open the PDF at page {result.page}",
        pdf_link(server.base_url, result.source, result.page),
        key=f"{key}-pdf-{result.rank}",
    )
