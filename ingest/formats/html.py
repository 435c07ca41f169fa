"""HTML reader: the page's main content without navigation, menus, footers and scripts."""

from __future__ import annotations

import io
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction
from lxml import etree

from ingest.clean import normalise_text
from ingest.document import UnreadableDocument
from ingest.formats import Paragraph, RawFile, build_blocks
from ingest.limits import MAX_NESTING, nesting_too_deep

DROP_TAGS = [
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "nav", "footer", "aside", "menu", "form", "button", "input", "select", "textarea", "dialog",
    "head",
]  # fmt: skip
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
# Parts of class and id names ("site-nav", "sidebar__right", "cookie-banner") that mark boilerplate
DROP_NAME_PARTS = {
    "nav", "navbar", "navigation", "menu", "sidebar", "footer", "breadcrumb", "breadcrumbs",
    "cookie", "cookies", "consent", "masthead", "skip", "share", "social", "toc", "pagination",
    "search", "advert", "ads", "promo", "related", "meta",
}  # fmt: skip
KEEP_TAGS = {"html", "body", "main", "article"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "figure", "figcaption", "address", "details", "summary", "hr", "body",
    "center", "caption", "fieldset",
}  # fmt: skip
_NAME_PARTS = re.compile(r"[\s_\-]+")
_SPACE_RUNS = re.compile(r"\s+")
_CONTENT = ["main", "article"]
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—:]+$")


def read_html(path: Path) -> RawFile:
    """Read an HTML page: headings become sections, table rows become "cell | cell" lines."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableDocument(str(path), "empty file")
    if _nesting_depth(data) > MAX_NESTING:  # the walk below recurses once per level
        raise nesting_too_deep(path)
    soup = BeautifulSoup(data, "lxml")
    title = _page_title(soup)
    _drop_boilerplate(soup)
    container = _main_container(soup)
    if container is None:
        raise UnreadableDocument(str(path), "no content (empty HTML page)")
    if container.name == "body":
        for header in container.find_all("header"):
            header.decompose()  # with no <main> or <article>, a <header> is the site's banner
    walker = _Walker()
    if title and container.find("h1") is None:  # the page's heading sits in a banner outside
        walker.paragraphs.append(Paragraph(title, section=title, heading=True))
        walker.section = title
    walker.walk(container)
    walker.flush()
    if not walker.paragraphs:
        raise UnreadableDocument(str(path), "no text in the page's main content")
    return RawFile(blocks=build_blocks(walker.paragraphs), embedded_title=title)


def _nesting_depth(data: bytes) -> int:
    """How deep the page's tags nest, up to one past the limit: lxml's own parse, in C, stopped
    early, so that a page 200,000 levels deep costs a millisecond instead of a parse tree."""
    depth = deepest = 0
    for event, _ in etree.iterparse(
        io.BytesIO(data), events=("start", "end"), html=True, recover=True, huge_tree=True
    ):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
    return deepest


def _page_title(soup: BeautifulSoup) -> str | None:
    """The first <h1>, else the <title> without its " - Site name" suffix."""
    for candidate in (soup.find("h1"), soup.find("title")):
        if isinstance(candidate, Tag):
            text = " ".join(candidate.get_text(" ").split())
            if candidate.name == "title":
                text = _TITLE_SUFFIX.sub("", text)
            if text:
                return text
    return None


def _drop_boilerplate(soup: BeautifulSoup) -> None:
    """Remove boilerplate by tag, role, class or id; never a wrapper around <main> or <article>."""
    doomed = list(soup.find_all(DROP_TAGS))
    content = [*soup.find_all(_CONTENT), *soup.find_all(attrs={"role": "main"})]
    wrappers = {id(parent) for element in content for parent in element.parents}
    for element in soup.find_all(True):
        if element.name in KEEP_TAGS or id(element) in wrappers:
            continue
        names = " ".join([element.get("id") or "", *(element.get("class") or [])]).casefold()
        hidden = element.has_attr("hidden") or element.get("aria-hidden") == "true"
        if (
            hidden
            or element.get("role") in DROP_ROLES
            or DROP_NAME_PARTS.intersection(_NAME_PARTS.split(names))
        ):
            doomed.append(element)
    for element in doomed:
        if not element.decomposed:
            element.decompose()


def _main_container(soup: BeautifulSoup) -> Tag | None:
    """<main>, else role=main, else the longest <article>, else <body>."""
    for found in (soup.find("main"), soup.find(attrs={"role": "main"})):
        if isinstance(found, Tag):
            return found
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda article: len(article.get_text(" ", strip=True)))
    body = soup.find("body")
    return body if isinstance(body, Tag) else None


class _Walker:
    """Walks the content tree in reading order, turning it into paragraphs under headings."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.paragraphs: list[Paragraph] = []
        self.inline: list[str] = []

    def walk(self, element: Tag) -> None:
        for child in element.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(_SPACE_RUNS.sub(" ", str(child)))  # source newlines mean nothing
            elif isinstance(child, Tag):
                self._tag(child)

    def _tag(self, tag: Tag) -> None:
        if tag.name in HEADINGS:
            self.flush()
            heading = " ".join(tag.get_text(" ").split())
            if heading:
                self.section = heading
                self.paragraphs.append(Paragraph(heading, section=heading, heading=True))
        elif tag.name == "table":
            self.flush()
            rows = [_row_text(row) for row in tag.find_all("tr")]
            self._add("\n".join(row for row in rows if row))
        elif tag.name == "li":
            self.flush()
            self.inline.append("• ")
            self.walk(tag)
            self.flush()
        elif tag.name == "br":
            self.inline.append("\n")
        elif tag.name in BLOCK_TAGS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def flush(self) -> None:
        text = normalise_text("".join(self.inline))
        self.inline.clear()
        self._add("\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip()))

    def _add(self, text: str) -> None:
        if text.strip() not in ("", "•"):
            self.paragraphs.append(Paragraph(text, section=self.section))


def _row_text(row: Tag) -> str:
    cells = row.find_all(["td", "th"], recursive=False)
    texts = (" ".join(cell.get_text(" ").split()) for cell in cells)
    return " | ".join(text for text in texts if text)
