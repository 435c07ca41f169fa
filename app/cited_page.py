"""Which page of which PDF `precedent show` draws, from a passage number or a document's path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.page_image import sentences_of
from app.pdf_route import served_pdf
from index.settings import Settings
from index.store import open_store, read_manifest


@dataclass(frozen=True)
class CitedPage:
    """A page to draw and the sentences to mark on it."""

    source: str
    path: Path
    page: int
    sentences: list[str]


def find_cited_page(
    settings: Settings, target: str, page: int | None, mark: str | None
) -> CitedPage:
    """`target` is a result's `passage_number` (from `ask --json`) or an indexed PDF's path.

    A passage is drawn on its first page (or `page`) with its sentences marked; a document on
    `page` (default 1) with `mark` marked, if given. Raises `RefusedPath` for anything that is
    not an indexed PDF in the documents folder.
    """
    indexed = {d.source for d in read_manifest(settings.index_dir).documents}
    if target.isdigit():
        store = open_store(settings.index_dir)
        number = int(target)
        if number >= len(store.passages):
            raise ValueError(f"there is no passage {number}: the index has {len(store.passages)}")
        passage = store.passages[number]
        source = passage.source
        page = page or passage.page_start or 1
        sentences = [mark] if mark else sentences_of(passage.text)
    else:
        source, page = target, page or 1
        sentences = [mark] if mark else []
    path = served_pdf(settings.documents_dir, source, indexed)
    return CitedPage(source, path, page, sentences)
