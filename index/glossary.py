"""The domain's acronyms (data in glossary.yaml): what they mean, and how a question is widened.

A question that says "BCF" should find passages that spell out "Better Care Fund", and the
reverse; the keyword index only matches words it sees, so the question is widened with the
other form before it is searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")


@dataclass(frozen=True)
class Term:
    acronym: str
    expansion: str
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    @classmethod
    def load(cls, path: Path = GLOSSARY_FILE) -> Glossary:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            tuple(
                Term(
                    str(key),
                    entry["expansion"],
                    tuple(entry.get("aliases") or ()),
                    entry.get("note"),
                )
                for key, entry in raw.items()
            )
        )

    def lookup(self, word: str) -> Term | None:
        """The term for an acronym or alias, ignoring case: for `precedent define`."""
        wanted = word.strip().lower()
        for term in self.terms:
            if wanted in {term.acronym.lower(), *(a.lower() for a in term.aliases)}:
                return term
        return None

    def acronyms_in(self, question: str) -> list[Term]:
        """Terms whose acronym appears in the question as written (capitals matter: "ICE" is not
        "ice"), or whose spelled-out form does."""
        return [term for term in self.terms if _mentions(term, question)]

    def widen(self, question: str) -> str:
        """The question followed by the other form of each term it mentions."""
        extra = []
        for term in self.acronyms_in(question):
            for form in (term.expansion, term.acronym):
                if not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", question, re.IGNORECASE):
                    extra.append(form)
        return question if not extra else f"{question} ({'; '.join(extra)})"


def _mentions(term: Term, question: str) -> bool:
    for form in (term.acronym, *term.aliases):
        # Acronyms must match as written; forms with digits or lower case ("s75") match any case.
        flags = 0 if form.isupper() and len(form) > 1 else re.IGNORECASE
        if re.search(rf"(?<![\w&]){re.escape(form)}(?![\w&])", question, flags):
            return True
    return bool(re.search(rf"(?<!\w){re.escape(term.expansion)}(?!\w)", question, re.IGNORECASE))


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
