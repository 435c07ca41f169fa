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

    def written_in(self, question: str) -> re.Match[str] | None:
        """Where the question writes the acronym or an alias. Acronyms must match as written;
        forms with digits or lower case ("s75") match any case."""
        for form in (self.acronym, *self.aliases):
            flags = 0 if form.isupper() and len(form) > 1 else re.IGNORECASE
            match = re.search(rf"(?<![\w&]){re.escape(form)}(?![\w&])", question, flags)
            if match:
                return match
        return None


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
            extra += [f for f in (term.expansion, term.acronym) if not _contains(question, f)]
        return _followed_by(question, extra)

    def spelled_out(self, question: str) -> str:
        """The question followed by what each acronym it writes stands for: how the cross-encoder
        reads it, since it was not trained on this domain's acronyms ("s75", "LCN"). Unlike
        `widen`, a term the question spells out gets no acronym: the passages a cross-encoder
        reads spell terms out at least as often as they abbreviate them."""
        extra = [
            term.expansion
            for term in self.terms
            if term.written_in(question) is not None and not _contains(question, term.expansion)
        ]
        return _followed_by(question, extra)


def _followed_by(question: str, extra: list[str]) -> str:
    return question if not extra else f"{question} ({'; '.join(extra)})"


def _contains(question: str, form: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", question, re.IGNORECASE))


def _mentions(term: Term, question: str) -> bool:
    return term.written_in(question) is not None or _contains(question, term.expansion)


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
