"""Formal decisions in minutes and records of decision: rules over the lines minutes are made of.

A decision is a "RESOLVED" block (each numbered or lettered sub-resolution on its own), a
"Decision:" block, a sentence that opens with its body ("The Committee agreed to: ..."),
recommendations recorded as agreed, or a motion put to the vote with its result. Discussion
is never a decision: every rule needs the words minutes use at the start of a line, so "members
agreed that more work was needed" mid-paragraph, or a transcript's talk, yields nothing.
Where a rule cannot tell (no outcome stated, a proposed decision), the decision says so in
`uncertain` rather than guessing silently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ingest.document import ENUMERATOR, Decision, ParsedDocument
from ingest.metadata import first_full_date


@dataclass
class _Line:
    start: int
    end: int
    text: str


@dataclass
class _Meeting:
    """What holds for every decision of the document unless a decision states otherwise."""

    body: str | None = None
    date: str | None = None
    item_number: str | None = None
    item_title: str | None = None
    proposed: bool = False


@dataclass
class _Vote:
    first: int  # line numbers
    last: int
    result: str  # carried, lost, agreed
    counts: str


# Numbered paragraph prefixes ("4. ", "8) ") and sub-item enumerators ("(a)", "b)", "1.", "•").
_NUMBERED = re.compile(r"^(\d{1,3})([.)])\s+")
_INLINE_ROMAN = re.compile(r"(?:(?<=\s)|^)\((?:i{1,3}|iv|v|vi{1,3}|ix|x)\)\s")
_RESOLVED = re.compile(
    r"^(?:\d{1,3}[.)]\s+)?(?:RESOLVED|Resolved(?=\s*[:\-–]|\s+that))\b[\s:\-–]*(.*)$"
)
_DECISION = re.compile(r"^(?:DECISION|Decision)\s*:\s*(.*)$")
_BODY_NOUN = (
    r"(?:County Council|City Council|Council|Cabinet|Board|Committee|Sub-Committee|Panel|"
    r"Partnership|Executive|Assembly|Forum)"
)
_BODY_OPENS = re.compile(
    rf"^(?:\d{{1,3}}[.)]\s+)?(?:The |the )?(?P<body>(?:[A-Z][\w&'’-]* ){{0,5}}?{_BODY_NOUN})\s+"
    r"(?:unanimously\s+)?(?P<verb>agreed|approved|noted|endorsed|resolved|rejected|deferred|"
    r"delegated|AGREED|RESOLVED)\b(?P<rest>.*)$"
)
_RECOMMENDATIONS_AGREED = re.compile(
    r"^(?:\d{1,3}[.)]\s+)?(?:The |the |All )?recommendations?\b[^.]{0,80}?\b(?:was|were)\s+"
    r"(?:\w+\s+)?(agreed|approved|accepted|noted|endorsed|rejected)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    rf"^(?i:that\s+)?(?i:the\s+)?(?P<body>(?:[A-Z][\w&'’-]* ){{0,4}}?{_BODY_NOUN})\b"
)
_HEADING = re.compile(r"^(\d{1,4})\.\s+(.{3,240}?)\s*(?:\((?:Agenda )?[Ii]tem\s+\d+\))?$")
_ITEM_TAG = re.compile(r"\((?:Agenda )?[Ii]tem\s+\d+\)\s*$")
_MEETING = re.compile(
    r"\bminutes of (?:a|the) (?:\w+ )?meeting of (?:the )?(?P<body>.{3,80}?) held\b(?P<rest>.{0,200})",
    re.IGNORECASE | re.DOTALL,
)
_TAKEN_BY = re.compile(r"^DECISION (?:TO BE )?TAKEN BY\s*:\s*(.+)$", re.IGNORECASE)
_DECISION_NUMBER = re.compile(r"^DECISION (?:NO|NUMBER|REF)\.?\s*:\s*(.+)$", re.IGNORECASE)
_DECISION_TITLE = re.compile(r"^(?:Title of Decision|Subject)\s*:\s*(.+)$", re.IGNORECASE)
_DECISION_DATE = re.compile(
    r"\b(?:date of decision\s*:|decision by [^.\n]{0,60}?\bon)\s*(.{6,40})", re.IGNORECASE
)
_STOP_LABEL = re.compile(
    r"^(?:Reasons? for (?:the )?[Dd]ecision|Background|Supporting documents|Financial "
    r"Implications|Legal Implications|Any alternatives|Minutes:|Discussion:)",
    re.IGNORECASE,
)
_VOTE_PUT = re.compile(r"\bput (?:the |part \d)|\bput to the vote\b", re.IGNORECASE)
_VOTE_COUNT = re.compile(
    r"^(For|Against|Abstain\w*|Abstentions?)\s*[(:]?\s*(\d+)\)?", re.IGNORECASE
)
_VOTE_RESULT = re.compile(
    r"(?:(?:substantive\s+)?motion|amendment)\s+(?:was\s+)?(carried|lost|fell|defeated)|"
    r"\bit was (agreed|carried|lost)\b|(?:^|[.:]\s+|\)\s+)(agreed|carried|lost)\b(?: unanimously)?\.?\s*$",
    re.IGNORECASE,
)
_PROPOSED = re.compile(r"\bproposed\b.{0,80}\bseconded\b", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_REF = re.compile(r"\bparagraph (\d{1,3})\b")
_OUTCOME_WORDS = [
    (
        r"\b(?:not (?:to )?(?:approve|agree|adopt|endorse)|reject(?:s|ed)?|refuse[sd]?)\b",
        "rejected",
    ),
    (r"\b(?:defer(?:s|red)?|postpone[sd]?)\b", "deferred"),
    (r"\bdelegat(?:e|es|ed)\b", "delegated"),
    (r"\b(?:approv(?:e|es|ed)|adopt(?:s|ed)?|ratif(?:y|ies|ied)|correct record)\b", "approved"),
    (r"\bendors(?:e|es|ed)\b", "endorsed"),
    (r"\bnot(?:e|es|ed)\b", "noted"),
    (r"\b(?:agree(?:s|d)?|accept(?:s|ed)?)\b", "agreed"),
]
_OUTCOME_PATTERNS = [(re.compile(p, re.IGNORECASE), o) for p, o in _OUTCOME_WORDS]
_RESULT_OUTCOME = {"carried": "carried", "lost": "lost", "fell": "lost", "defeated": "lost"}
MAX_BLOCK_LINES = 40
_RUN_IN_MARKER = re.compile(
    r"(?<=[.:;!?])(?=\s+(?:Decision\s*:|DECISION\s*:|RESOLVED\b|Resolved\s*[:\-–]|"
    r"Supporting documents\s*:))|(?<=[Ii]tem \d\))(?=\s)|(?<=[Ii]tem \d\d\))(?=\s)|"
    # a record of decision's labels, which a PDF reader may run into one paragraph
    r"(?=\s+(?:DECISION (?:TO BE )?TAKEN BY|DECISION NO|Title of Decision|Reasons? for "
    r"(?:the )?[Dd]ecision|Date of [Dd]ecision)\s*:)|(?<!\bof)(?<!\bfor)(?=\s+(?:Decision|DECISION)\s*:)"
)
_JOINING_TAIL = re.compile(r"[\s;,]*(?:\band\b[\s;,]*)?$")
_PAGE_FOOTER = re.compile(r"\s*\bPage \d+ of \d+\s*$")


def find_decisions(
    document: ParsedDocument, overrides: dict[str, str] | None = None
) -> list[Decision]:
    """Every formal decision the document records, in reading order.

    `overrides` is the document's sidecar entry: its `body` and `date` replace what the
    minutes state, for a meeting whose heading is missing or wrong.
    """
    text = document.text
    lines = list(_lines(text))
    meeting = _meeting(text, lines)
    overrides = overrides or {}
    if overrides.get("body"):
        meeting.body = overrides["body"]
    date = overrides.get("date") or meeting.date or document.metadata.date
    pages = [(start, start + len(block.text), block.page) for start, block in document.spans()]
    found = [
        replace(
            decision,
            source=document.source,
            organisation=document.metadata.organisation,
            date=date,
            body=overrides.get("body") or decision.body or _body_from_mentions(text),
            uncertain=decision.uncertain
            or (None if decision.body or overrides.get("body") else "body inferred from mentions"),
            page=_page(pages, decision.char_start),
        )
        for decision in _Walk(text, lines, meeting).decisions()
    ]
    return found


def _lines(text: str) -> Iterator[_Line]:
    """Non-empty lines, stripped; a line is also cut before a marker that a reader ran into the
    end of the sentence before it ("... the issue. Decision: The Committee agreed to:")."""
    for match in re.finditer(r"[^\n]+", text):
        offset = match.start()
        for piece in _RUN_IN_MARKER.split(match.group()):
            stripped = piece.strip()
            if stripped:
                start = offset + piece.index(stripped)
                yield _Line(start, start + len(stripped), stripped)
            offset += len(piece)


def _meeting(text: str, lines: list[_Line]) -> _Meeting:
    meeting = _Meeting()
    head = text[:4000]
    match = _MEETING.search(head)
    if match:
        meeting.body = " ".join(match.group("body").split())
        meeting.date = first_full_date(match.group("rest"))
    if "RECORD OF DECISION" in head.upper():
        meeting.proposed = "PROPOSED RECORD OF DECISION" in head.upper()
        for line in lines[:40]:
            for pattern, slot in (
                (_TAKEN_BY, "body"),
                (_DECISION_NUMBER, "item_number"),
                (_DECISION_TITLE, "item_title"),
            ):
                found = pattern.match(line.text)
                if found and getattr(meeting, slot) is None:
                    setattr(meeting, slot, found.group(1).strip())
        dated = _DECISION_DATE.search(text)
        meeting.date = meeting.date or (first_full_date(dated.group(1)) if dated else None)
    return meeting


class _Walk:
    """One pass over a document's lines, tracking the agenda item and the votes not yet used."""

    def __init__(self, text: str, lines: list[_Line], meeting: _Meeting) -> None:
        self.text = text
        self.lines = lines
        self.meeting = meeting
        self.item_number = meeting.item_number
        self.item_title = meeting.item_title
        self.item_first_line = 0
        self.votes: list[_Vote] = []
        self.out: list[Decision] = []

    def decisions(self) -> list[Decision]:
        i = 0
        while i < len(self.lines):
            i = self._step(i)
        self._flush_votes()
        return sorted(self.out, key=lambda d: d.char_start)

    def _step(self, i: int) -> int:
        line = self.lines[i].text
        heading = self._heading(i)
        if heading:
            self._flush_votes()
            (self.item_number, self.item_title), self.item_first_line = heading[:2], i
            return heading[2]
        if _STOP_LABEL.match(line):
            return i + 1
        resolved = _RESOLVED.match(line) or _DECISION.match(line)
        if resolved:
            return self._block(i, resolved.group(1), numbered=_NUMBERED.match(line))
        opens = _BODY_OPENS.match(line)
        if opens:
            return self._block(i, line, numbered=None, body=opens.group("body"))
        agreed = _RECOMMENDATIONS_AGREED.match(line)
        if agreed:
            self._add(i, i, self._outcome(agreed.group(1), ""), votes=None)
            return i + 1
        if _VOTE_PUT.search(line) or (_PROPOSED.search(line) and _VOTE_RESULT.search(line)):
            return self._vote(i)
        return i + 1

    def _heading(self, i: int) -> tuple[str | None, str, int] | None:
        """(number, title, next line) when line i starts an agenda item."""
        line = self.lines[i].text
        if line.casefold() == "agenda item":
            j = i + 1
            while j < len(self.lines) and self.lines[j].text.casefold() == "agenda item":
                j += 1
            if j < len(self.lines) and len(self.lines[j].text) <= 160:
                return None, self.lines[j].text, j + 1
            return None
        match = _HEADING.match(line)
        if not match:
            return None
        following = self.lines[i + 1].text if i + 1 < len(self.lines) else ""
        if _ITEM_TAG.search(line):
            return match.group(1), _ITEM_TAG.sub("", match.group(2)).strip(), i + 1
        if _ITEM_TAG.fullmatch(following):
            return match.group(1), match.group(2).strip(), i + 2
        return None

    def _block(self, i: int, rest: str, numbered: re.Match | None, body: str | None = None) -> int:
        """A resolution from line i: one decision, or one per sub-resolution below it."""
        lead = rest
        body = self._body(body or _subject(rest))
        single = rest.strip() and not re.search(r"(?::|:-|–|-|\bto|\bthat)\s*$", rest.strip())
        items, j, mode = [], i + 1, None
        colon = rest.find(":")
        if single and colon >= 0 and ENUMERATOR.match(rest[colon + 1 :]):
            # "RESOLVED that Cabinet agree to: A) Note ...", with b), c)... on the lines below
            lead, first = rest[: colon + 1], rest[colon + 1 :].strip()
            line = self.lines[i]
            start = line.start + line.text.rindex(first)
            last = self._continuation(i)
            items.append(
                ((start, self.lines[last].end, self._text(start, self.lines[last].end)), lead)
            )
            j, mode, single = last + 1, "enumerated", False
        if single:
            last = self._continuation(i)
            self._attach_votes([self._add(i, last, self._outcome(rest, ""), body=body)])
            return last + 1
        while j < len(self.lines) and j - i <= MAX_BLOCK_LINES:
            text = self.lines[j].text
            if self._ends_block(j, numbered):
                break
            enumerated = bool(ENUMERATOR.match(text))
            if text.endswith(":") or text.rstrip(";").casefold() == "and":
                lead = lead if _BODY_OPENS.match(text) else text
                opens = _BODY_OPENS.match(text)
                body = self._body(opens.group("body")) if opens else body or _subject(text)
                j += 1
                continue
            mode = mode or ("enumerated" if enumerated else "paragraphs")
            if mode == "enumerated" and not enumerated:
                break
            last = self._continuation(j)
            items.extend((part, lead) for part in self._split_inline(j, last))
            j = last + 1
        made = [
            self._add_span(s, e, self._outcome(t, lead), body=body) for (s, e, t), lead in items
        ]
        if not made:  # "RESOLVED that:" with nothing after it that reads as a resolution
            made = [self._add(i, i, self._outcome(rest, ""), body=body)]
        self._attach_votes(made)
        return j

    def _body(self, named: str | None) -> str | None:
        """The body a resolution names, or the meeting's when it names the same one shorter
        ("Council" in the minutes of the County Council)."""
        meeting = self.meeting.body
        if named and meeting and named.casefold() in meeting.casefold():
            return meeting
        return named or meeting

    def _ends_block(self, j: int, numbered: re.Match | None) -> bool:
        text = self.lines[j].text
        if self._heading(j) or _STOP_LABEL.match(text) or _RESOLVED.match(text):
            return True
        if _VOTE_PUT.search(text) or _PROPOSED.search(text):
            return True
        other = _NUMBERED.match(text)
        return bool(numbered and other and other.group(2) == numbered.group(2))

    def _continuation(self, i: int) -> int:
        """The last line of the paragraph starting at line i: a page break splits paragraphs."""
        j = i
        while (
            j + 1 < len(self.lines)
            and not re.search(r"[.;:!?”\"]$", self.lines[j].text)
            and re.match(r"[a-z(]", self.lines[j + 1].text)
            and not ENUMERATOR.match(self.lines[j + 1].text)
        ):
            j += 1
        return j

    def _split_inline(self, first: int, last: int) -> list[tuple[int, int, str]]:
        """One span per "(i) ... (ii) ..." sub-resolution written on one line, else the lines."""
        start, end = self.lines[first].start, self.lines[last].end
        text = self._text(start, end)
        marks = [m.start() for m in _INLINE_ROMAN.finditer(text)]
        if len(marks) < 2 or marks[0] != 0:
            return [(start, end, text)]
        pieces = []
        for a, b in itertools.pairwise([*marks, len(text)]):
            piece = _JOINING_TAIL.sub("", text[a:b])  # "...Appendix B; and, " -> "...Appendix B"
            pieces.append((start + a, start + a + len(piece), piece))
        return pieces

    def _vote(self, i: int) -> int:
        """A motion put to the vote: its counts and its result, kept until we know if a
        resolution restates it."""
        counts, j = [], i
        while j < len(self.lines) and j - i <= 16:
            text = self.lines[j].text
            if j > i and (self._heading(j) or _RESOLVED.match(text) or _VOTE_PUT.search(text)):
                return j
            count = _VOTE_COUNT.match(text)
            if count:
                counts.append(f"{count.group(1).split()[0].lower()} {count.group(2)}")
            result = _VOTE_RESULT.search(text)
            if result:
                word = next(g for g in result.groups() if g).lower()
                unanimous = "unanimous" in text.lower()
                summary = ", ".join(counts) or ("unanimous" if unanimous else "no count recorded")
                self.votes.append(_Vote(i, j, _RESULT_OUTCOME.get(word, "agreed"), summary))
                return j + 1
            j += 1
        return i + 1

    def _attach_votes(self, made: list[Decision]) -> None:
        """The last vote before a resolution is the vote on it; earlier ones were on motions."""
        if not self.votes:
            return
        vote = self.votes.pop()
        del self.out[len(self.out) - len(made) :]
        self._flush_votes()
        self.out.extend(replace(d, votes=f"{vote.counts}: {vote.result}") for d in made)

    def _flush_votes(self) -> None:
        for vote in self.votes:
            first, last = self._motion_span(vote)
            self._add(first, last, vote.result, votes=f"{vote.counts}: {vote.result}")
        self.votes = []

    def _motion_span(self, vote: _Vote) -> tuple[int, int]:
        """The motion's own wording: the vote line if it quotes it, else the paragraph it names."""
        line = self.lines[vote.first].text
        reference = _PARAGRAPH_REF.search(line)
        if _PROPOSED.search(line) or "“" in line or reference is None:
            return vote.first, vote.first
        own = _NUMBERED.match(line)
        for j in range(vote.first - 1, self.item_first_line - 1, -1):
            numbered = _NUMBERED.match(self.lines[j].text)
            if (
                numbered
                and numbered.group(1) == reference.group(1)
                and (own is None or own.group(2) == numbered.group(2))
            ):
                last = j
                while last + 1 < vote.first and not _same_numbering(
                    self.lines[last + 1].text, numbered
                ):
                    last += 1
                return j, last
        return vote.first, vote.first

    def _outcome(self, text: str, lead: str) -> tuple[str, str | None]:
        for words in (ENUMERATOR.sub("", text, count=1), lead):
            found = [(m.start(), o) for p, o in _OUTCOME_PATTERNS if (m := p.search(words))]
            if found:
                return min(found)[1], None
        return "agreed", "outcome not stated: taken as agreed"

    def _add(
        self, first: int, last: int, outcome: tuple[str, str | None] | str, **extra
    ) -> Decision:
        return self._add_span(self.lines[first].start, self.lines[last].end, outcome, **extra)

    def _add_span(
        self, start: int, end: int, outcome: tuple[str, str | None] | str, **extra
    ) -> Decision:
        name, doubt = (outcome, None) if isinstance(outcome, str) else outcome
        footer = _PAGE_FOOTER.search(self.text, start, end)
        end = footer.start() if footer and footer.end() == end else end
        if self.meeting.proposed:
            doubt = doubt or "proposed decision: the record does not say it was taken"
        decision = Decision(
            source="",
            body=extra.get("body") or self.meeting.body,
            organisation=None,
            date=None,
            item_number=self.item_number,
            item_title=self.item_title,
            outcome=name,
            text=self._text(start, end),
            char_start=start,
            char_end=end,
            page=None,
            votes=extra.get("votes"),
            uncertain=doubt,
        )
        self.out.append(decision)
        return decision

    def _text(self, start: int, end: int) -> str:
        return self.text[start:end]


def _same_numbering(text: str, numbered: re.Match) -> bool:
    other = _NUMBERED.match(text)
    return bool(other and other.group(2) == numbered.group(2))


def _subject(text: str) -> str | None:
    match = _SUBJECT.match(text.strip())
    return match.group("body") if match else None


def _body_from_mentions(text: str) -> str | None:
    """The body the document names most ("the Board"), when no resolution names one."""
    counts: dict[str, int] = {}
    for match in re.finditer(rf"\b[Tt]he ({_BODY_NOUN})\b", text):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return max(counts, key=counts.get) if counts else None


def _page(pages: list[tuple[int, int, int | None]], offset: int) -> int | None:
    for start, end, page in pages:
        if start <= offset < end + 2:
            return page
    return None
