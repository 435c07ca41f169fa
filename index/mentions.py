"""Organisations and document types a question names ("what did Kent decide..."), so ranking
can prefer those documents without hiding the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.store import DocumentRecord

# Words that say what kind of body an organisation is, not which one; what is left names it.
_GENERIC = re.compile(
    r"\b(county|city|district|borough|metropolitan|council|nhs|integrated care board|icb|"
    r"and|of|the|for|care quality commission)\b",
    re.IGNORECASE,
)
_TYPE_WORDS = {
    "minutes": ("minutes", "meeting", "resolved", "decided", "decide"),
    "strategy": ("strategy", "strategies", "plan"),
    "assessment": ("assessment", "inspection", "cqc"),
    "policy": ("policy", "policies"),
    "jsna": ("jsna", "needs assessment"),
    "report": ("report",),
}


def organisation_names(organisation: str) -> list[str]:
    """'Kent County Council' -> ['kent']; 'NHS Cambridgeshire and Peterborough ICB' ->
    ['cambridgeshire', 'peterborough']."""
    rest = _GENERIC.sub(" ", organisation)
    return [word for word in _words(rest) if len(word) > 2]


@dataclass(frozen=True)
class Mentions:
    organisations: frozenset[str]  # organisations as recorded, that the question names
    doc_types: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.organisations or self.doc_types)

    def prefers(self, record: DocumentRecord) -> bool:
        return record.organisation in self.organisations or record.doc_type in self.doc_types


@dataclass(frozen=True)
class MentionFinder:
    """What names a library's organisations and types go by, worked out once per index so a
    question is checked in time that does not grow with the number of documents."""

    organisations_by_word: dict[str, frozenset[str]]
    doc_types: frozenset[str]

    @classmethod
    def for_documents(cls, documents: list[DocumentRecord]) -> MentionFinder:
        by_word: dict[str, set[str]] = {}
        for organisation in {d.organisation for d in documents if d.organisation}:
            for word in organisation_names(organisation):
                by_word.setdefault(word, set()).add(organisation)
        return cls(
            {word: frozenset(orgs) for word, orgs in by_word.items()},
            frozenset(d.doc_type for d in documents if d.doc_type),
        )

    def find(self, question: str) -> Mentions:
        words = set(_words(question))
        organisations = {o for w in words for o in self.organisations_by_word.get(w, ())}
        lowered = question.lower()
        doc_types = {
            kind
            for kind, cues in _TYPE_WORDS.items()
            if kind in self.doc_types
            and any(re.search(rf"\b{re.escape(cue)}\b", lowered) for cue in cues)
        }
        return Mentions(frozenset(organisations), frozenset(doc_types))


def _words(text: str) -> list[str]:
    """Lower-case words, split at apostrophes and hyphens ("Kent's" names Kent)."""
    return re.findall(r"[a-z]+", text.lower())
