"""Markdown reader: headings become sections; links, images and emphasis lose their syntax."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.clean import normalise_text, split_paragraphs
from ingest.formats import Paragraph, RawFile, build_blocks
from ingest.formats.text import decode_text

_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RULE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"\*\*|__"), ""),  # unbalanced markers left by converters
    (re.compile(r"`+"), ""),
]
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_QUOTE = re.compile(r"^ {0,3}>\s?")


def read_markdown(path: Path) -> RawFile:
    """Read a Markdown file: each block's section is the nearest heading above it."""
    text, warnings = decode_text(path)
    lines = _FRONT_MATTER.sub("", normalise_text(text) + "\n").split("\n")
    paragraphs: list[Paragraph] = []
    section: str | None = None
    body: list[str] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line, after = lines[index], lines[index + 1] if index + 1 < len(lines) else ""
        index += 1
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and _TABLE_RULE.match(line):
            continue  # |---|---| under a table header: keeps the rows together
        heading = None if in_fence else _heading(line, after, body)
        if heading is None:
            body.append(line if in_fence else _plain_line(line))
            continue
        if not _ATX_HEADING.match(line):
            index += 1  # skip the setext underline
        paragraphs.extend(
            Paragraph(text=p, section=section) for p in split_paragraphs("\n".join(body))
        )
        body.clear()
        section = heading
        paragraphs.append(Paragraph(text=heading, section=section, heading=True))
    paragraphs.extend(Paragraph(text=p, section=section) for p in split_paragraphs("\n".join(body)))
    return RawFile(
        blocks=build_blocks(paragraphs),
        embedded_title=_top_heading(lines),
        warnings=warnings,
    )


def _heading(line: str, next_line: str, body: list[str]) -> str | None:
    """The text of an ATX heading, or of a setext heading (a line underlined with = or -)."""
    match = _ATX_HEADING.match(line)
    if match:
        return _inline(match.group(2)).strip() or None
    starts_paragraph = not body or not body[-1].strip()
    underlined = _SETEXT_RULE.match(next_line) and not _TABLE_RULE.match(line)
    if line.strip() and starts_paragraph and underlined:
        return _inline(line).strip() or None
    return None


def _top_heading(lines: list[str]) -> str | None:
    """The first level-1 heading ("# Title" or a line underlined with ===), if any."""
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        match = _ATX_HEADING.match(line)
        if (match and len(match.group(1)) == 1) or (
            line.strip() and re.match(r"^ {0,3}=+\s*$", after)
        ):
            return _inline(match.group(2) if match else line).strip() or None
    return None


def _plain_line(line: str) -> str:
    """One line without Markdown syntax; table rows keep their cells apart with " | "."""
    if _SETEXT_RULE.match(line) or _LINK_DEFINITION.match(line):
        return ""  # horizontal rules, link definitions
    line = _QUOTE.sub("", line)
    if line.lstrip().startswith("|"):
        cells = [_inline(cell).strip() for cell in line.strip().strip("|").split("|")]
        return "| " + " | ".join(cells) + " |" if any(cells) else ""
    return _inline(line)


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text
