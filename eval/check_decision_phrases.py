"""Check the decisions labelled in an eval set against the documents' own text.

Usage:
    python eval/check_decision_phrases.py eval/decisions.jsonl CORPUS_DIR [CORPUS_DIR ...]

Each `decision` row's phrase must occur in its document (folded as `check_phrases.py` folds),
and for PDFs on the labelled page, extracted page by page with pypdf. Every row's document
must exist. Prints one line per row and exits 1 if anything is wrong.
"""

import json
import logging
import sys
from pathlib import Path

from check_phrases import SUFFIXES, extract, fold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for ingest/
from ingest.document import OUTCOMES


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [fold(page.extract_text() or "") for page in PdfReader(path).pages]


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    files = {
        p.name: p
        for d in argv[2:]
        for p in sorted(Path(d).iterdir())
        if p.is_file() and p.suffix.lower() in SUFFIXES
    }
    rows = [json.loads(line) for line in Path(argv[1]).read_text("utf-8").splitlines() if line]
    problems = 0
    for row in rows:
        path = files.get(row["doc"])
        wrong = []
        if path is None:
            wrong.append(f"unknown doc {row['doc']!r}")
        elif row["kind"] == "decision":
            phrase = fold(row["phrase"])
            if phrase not in fold(extract(path)):
                wrong.append(f"{row['phrase']!r} not in {row['doc']}")
            elif path.suffix.lower() == ".pdf":
                pages = [n for n, text in enumerate(pdf_pages(path), 1) if phrase in text]
                if row["page"] not in pages:
                    wrong.append(f"labelled page {row['page']}, phrase on page(s) {pages}")
            if row["outcome"] not in OUTCOMES:
                wrong.append(f"unknown outcome {row['outcome']!r}")
        problems += len(wrong)
        print(f"{row['id']:<6} {row['kind']:<9} {'FAIL' if wrong else 'ok'}")
        for item in wrong:
            print(f"       - {item}")
    decisions = sum(row["kind"] == "decision" for row in rows)
    print(f"{len(rows)} rows ({decisions} decisions), {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
