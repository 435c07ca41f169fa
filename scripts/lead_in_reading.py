"""The engine with a list's lead-in read beside the passages that start inside the list.

A passage that starts with an enumerator (`ingest.document.ENUMERATOR`) is read by the
cross-encoder with the last sentence of the last line ending in ":" in the `--back`
characters before it, where the line after that one is enumerated too ("the following key
changes have been made:").
Only the cross-encoder's reading changes; retrieval, spread and answer are the engine's.
Prints hit@1 / hit@3 / hit@5 / MRR@10, multi recall, "not found" right and answered per
file, and how many passages get a lead-in; `--plain` gives the engine as shipped.

    python scripts/lead_in_reading.py .precedent/corpus-index eval/library.jsonl \
        eval/wide.jsonl ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.embedder import configured_embedder
from index.evaluate import load_questions, score_method
from index.highlight import split_sentences
from index.search import Searcher
from index.settings import load_settings
from index.store import Store, open_store
from ingest.document import ENUMERATOR, Passage


def lead_in(store: Store, passage: Passage, back: int) -> str | None:
    """The lead-in sentence of the list this passage starts inside, if it has one."""
    if not ENUMERATOR.match(passage.text):
        return None
    text = store.document_text(passage.source).text
    lines = text[max(0, passage.char_start - back) : passage.char_start].split("\n")
    for at in range(len(lines) - 1, -1, -1):
        line = lines[at].strip()
        if len(line) > 3 and line.endswith(":"):
            following = [rest for rest in lines[at + 1 :] if rest.strip()]
            if following and not ENUMERATOR.match(following[0]):
                return None
            return split_sentences(line)[-1].text  # the lead-in's own sentence
    return None


class LeadInSearcher(Searcher):
    def __init__(self, store: Store, embedder, settings, back: int) -> None:
        super().__init__(store, embedder, settings)
        self.back = back

    def _heading_and_text(self, number: int) -> tuple[str, str]:
        heading, text = super()._heading_and_text(number)
        line = lead_in(self.store, self.store.passages[number], self.back)
        return (f"{heading}\n{line}" if line else heading), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--back", type=int, default=1500)
    parser.add_argument("--plain", action="store_true", help="the engine as shipped")
    args = parser.parse_args()
    settings = load_settings().with_overrides(index_dir=args.index)
    parts = (open_store(settings.index_dir), configured_embedder(settings), settings)
    searcher = Searcher(*parts) if args.plain else LeadInSearcher(*parts, args.back)
    store = searcher.store
    led = sum(lead_in(store, p, args.back) is not None for p in store.passages)
    print(f"{led} of {len(store.passages)} passages have a lead-in (read: {not args.plain})")
    for path in args.questions:
        s = score_method(searcher, load_questions(path), "hybrid+rerank").as_dict()
        figures = ("hit@1", "hit@3", "hit@5", "mrr@10", "multi_recall@5")
        print(
            f"{path}: "
            + " / ".join(f"{s[k]:.3f}" for k in figures)
            + f", not found {s['abstain_ok']:.3f}, answered {s['answered_ok']:.3f}"
            + f", misses {' '.join(s['misses'])}"
        )


if __name__ == "__main__":
    main()
