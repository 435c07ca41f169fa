"""Check that every `expect` phrase of an eval set occurs in the extracted text of its document.

Usage:
    python eval/check_phrases.py eval/library.jsonl CORPUS_DIR [CORPUS_DIR ...]

Text is extracted with pypdf, python-docx (paragraphs and table cells), BeautifulSoup
(HTML) or a plain read, then folded on both sides: lower case, curly quotes made straight,
dashes made "-", words hyphenated across a line break joined, whitespace runs collapsed.
A phrase is looked up in the file named by the question's "doc" (or the matching entry
of "docs" for multi questions), or in every file when none is named; each phrase of "also"
(another passage judged to answer the question) in the file named beside it.
Prints one line per question and exits 1 if any phrase is missing.
"""

import json
import logging
import re
import sys
from pathlib import Path

SINGLE_QUOTES = dict.fromkeys("\u2018\u2019\u201a\u201b", "'")
DOUBLE_QUOTES = dict.fromkeys("\u201c\u201d\u201e\u201f", '"')
DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
TRANSLATE = str.maketrans(SINGLE_QUOTES | DOUBLE_QUOTES | DASHES)
SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".txt")


def fold(text: str) -> str:
    text = text.translate(TRANSLATE)
    text = re.sub(r"(?<=\w)-[ \t]*\n\s*", "", text)  # "hyphen-\nated" -> "hyphenated"
    return re.sub(r"\s+", " ", text).strip().lower()


def extract(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        cells = (cell for table in document.tables for row in table.rows for cell in row.cells)
        parts += [cell.text for cell in cells]
        return "\n".join(parts)
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        html = path.read_text(encoding="utf-8", errors="replace")
        return BeautifulSoup(html, "html.parser").get_text("\n")
    return path.read_text(encoding="utf-8", errors="replace")


def load_corpus(dirs: list[str]) -> dict[str, str]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    corpus = {}
    for directory in dirs:
        for path in sorted(Path(directory).iterdir()):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                corpus[path.name] = fold(extract(path))
    return corpus


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    corpus = load_corpus(argv[2:])
    lines = Path(argv[1]).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    failures = 0
    for q in questions:
        phrases = q["expect"]
        docs = q.get("docs") or [q.get("doc")] * len(phrases)
        malformed = len(docs) != len(phrases) or (q["kind"] == "none") != (not phrases)
        missing = []
        also = [(item["phrase"], item["doc"]) for item in q.get("also", ())]
        for phrase, doc in [*zip(phrases, docs), *also]:
            if doc is not None and doc not in corpus:
                missing.append(f"{phrase!r} (unknown doc {doc!r})")
                continue
            texts = [corpus[doc]] if doc else list(corpus.values())
            if not any(fold(phrase) in text for text in texts):
                missing.append(f"{phrase!r} (not in {doc or 'any document'})")
        failures += len(missing) + malformed
        status = "ok" if not (missing or malformed) else "FAIL"
        checked = len(phrases) + len(also)
        print(f"{q['id']:<5} {q['kind']:<10} {checked - len(missing)}/{checked} {status}")
        for item in missing + ["malformed: expect, docs and kind do not agree"] * malformed:
            print(f"      - {item}")
    print(f"{len(questions)} questions, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
