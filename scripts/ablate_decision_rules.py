"""Measure each rule of ingest/decisions.py: the labelled set scored with that rule switched off.

Usage: python scripts/ablate_decision_rules.py eval/decisions.jsonl FOLDER [FOLDER ...]
Reads the labelled documents found in the folders (with each folder's sidecar), then runs the
rules once in full and once without each rule, printing one JSON line per run. A rule is
switched off by replacing its pattern with one that never matches, or its step with a no-op.
"""

import json
import logging
import re
import sys
from pathlib import Path

import ingest.decisions as rules
from index.decision_eval import load_labels, score_decisions
from ingest.reader import list_library, read_document
from ingest.sidecar import load_sidecar

NEVER = re.compile(r"(?!x)x")
ABLATIONS = {
    "RESOLVED blocks": ["_RESOLVED"],
    "Decision: blocks": ["_DECISION"],
    "'The Committee agreed ...' openings": ["_BODY_OPENS"],
    "recommendations recorded as agreed": ["_RECOMMENDATIONS_AGREED"],
    "votes and motions": ["_VOTE_PUT", "_VOTE_RESULT"],
    "sub-item enumerators": ["ENUMERATOR"],
    "inline (i) (ii) sub-resolutions": ["_INLINE_ROMAN"],
    "run-in markers split from their line": ["_RUN_IN_MARKER"],
    "agenda item headings": ["_HEADING", "_ITEM_TAG"],
    "meeting heading (body, date)": ["_MEETING"],
    "record-of-decision labels": [
        "_TAKEN_BY",
        "_DECISION_NUMBER",
        "_DECISION_TITLE",
        "_DECISION_DATE",
    ],
    "body named by the resolution": ["_SUBJECT"],
    "outcome words": ["_OUTCOME_PATTERNS"],
}


def main(argv: list[str]) -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    labels = load_labels(Path(argv[1]))
    wanted = {label["doc"] for label in labels}
    documents = []
    for folder in map(Path, argv[2:]):
        sidecar = load_sidecar(folder)
        for path in list_library(folder):
            if path.name in wanted:
                documents.append(
                    (read_document(path, folder, sidecar.get(path.name)), sidecar.get(path.name))
                )
    runs = {"all rules": []} | ABLATIONS
    for name, names in runs.items():
        saved = {n: getattr(rules, n) for n in names}
        for n in names:
            setattr(rules, n, [] if n == "_OUTCOME_PATTERNS" else NEVER)
        try:
            extracted = {
                Path(d.source).name: rules.find_decisions(d, overrides)
                for d, overrides in documents
            }
        finally:
            for n, value in saved.items():
                setattr(rules, n, value)
        s = score_decisions(extracted, labels)
        print(
            json.dumps(
                {
                    "without": name,
                    "extracted": s.extracted,
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                    **{f: round(s.accuracy(f), 3) for f in ("body", "date", "item", "outcome")},
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv)
