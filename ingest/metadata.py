"""Best guesses at a document's title, organisation, type and date from its name and first pages.

Every guess may be wrong; `documents/metadata.yaml` (see `ingest.sidecar`) corrects it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import NamedTuple

from ingest.document import DocumentMetadata

HEAD_CHARS = 6000  # roughly the first two pages: where titles, bodies and dates are stated
COVER_CHARS = 600
TITLE_PARAGRAPHS = 6  # a title is among the first paragraphs, or is not in the text at all
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+{_MONTH}\.?,?[\s\-]+((?:19|20)\d\d)\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?![\d.])")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}[\s\-]+((?:19|20)\d\d)\b", re.IGNORECASE)
_LONE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NOT_PUBLICATION = re.compile(
    r"\b(in|since|from|until|to|by|before|after|during|of|between)(\s+the)?\s*$", re.IGNORECASE
)
_DATE_PATTERNS = [  # pattern, and the groups holding year, month and day (0: none)
    (_DAY_MONTH_YEAR, 3, 2, 1),
    (_MONTH_DAY_YEAR, 3, 1, 2),
    (_NUMERIC_DATE, 3, 2, 1),
    (_ISO_DATE, 1, 2, 3),
    (_MONTH_YEAR, 2, 1, 0),
]

DOC_TYPES = [  # first match wins, tried on the file name, then the title, then the first pages
    ("equality impact assessment", r"\beqia\b|equality (?:impact )?(?:analysis|assessment)"),
    ("minutes", r"\bminutes\b"),
    ("agenda", r"\bagenda\b"),
    ("transcript", r"\btranscript\b"),
    ("jsna", r"\bjsna\b|joint strategic needs assessment"),
    ("constitution", r"\bconstitution\b"),
    ("newsletter", r"\bnewsletter\b|\bbulletin\b"),
    ("decision", r"\brecord of decision\b|\bprod\b|\bdecision notice\b"),
    ("policy", r"\bpolicy\b|\bpolicies\b"),
    ("report", r"\breport\b|\breview\b|\bbriefing\b|\bupdate\b"),
    ("assessment", r"\bassessment\b|\bcqc\b|\binspection\b"),
    ("strategy", r"\bstrateg(?:y|ies)\b|\bjhws\b|\baction plan\b|\bdelivery plan\b"),
    ("guidance", r"\bguidance\b|\bguide\b"),
    ("plan", r"\bplan\b"),
]

_WORD_ = r"(?!(?i:council|county|city|district|borough)\b)[A-Z][A-Za-z'’.]*(?:-[A-Za-z]+)*"
_GAP = r"[ \t]*\n?[ \t]*"  # names may wrap onto the next line, never across a paragraph
_PLACE = rf"{_WORD_}[ \t]+(?:and|&|upon|on)[ \t]+{_WORD_}|{_WORD_}(?:[ \t]+{_WORD_}){{0,2}}"
_UNITARY = rf"(?!(?:The|This|Each|Every|Full|Town|Parish|Local|Our|Youth|Privy)\b){_WORD_}"
_ORG_PATTERNS = [  # (pattern with groups place and kind, how to write the name, weight)
    (
        re.compile(rf"\b({_PLACE}){_GAP}((?i:county|city|district|borough){_GAP}(?i:council))\b"),
        "{place} {kind}",
        1.0,
    ),
    (
        re.compile(rf"\bNHS[ \t]+({_PLACE}){_GAP}(Integrated{_GAP}Care{_GAP}Board|ICB)\b"),
        "NHS {place} Integrated Care Board",
        1.0,
    ),
    (
        re.compile(rf"\bNHS[ \t]+({_PLACE}){_GAP}(Clinical{_GAP}Commissioning{_GAP}Group)\b"),
        "NHS {place} Clinical Commissioning Group",
        1.0,
    ),
    (
        re.compile(rf"\b({_PLACE}){_GAP}(NHS{_GAP}(?:Foundation{_GAP})?Trust)\b"),
        "{place} {kind}",
        1.0,
    ),
    (
        re.compile(
            r"\b()(Care Quality Commission|NHS England|HM Revenue and Customs|Public Health England|"
            r"Department of Health and Social Care|UK Health Security Agency)\b"
        ),
        "{kind}",
        1.0,
    ),
    # unitary councils ("Medway Council") count less: Kent papers name Medway as a partner
    (re.compile(rf"\b({_UNITARY})[ \t]+(Council)\b(?![ \t]+Chamber)"), "{place} {kind}", 0.5),
]
# A council's initials ("KCC", "WSCC") stand for a place the text writes where things happen
_INITIALS = re.compile(r"\b([A-Z]{1,3})CC\b")
_WHERE = r"\b(?:in|across|throughout|around|within)[ \t]+"
_NOT_PLACE = {
    "the", "a", "an", "of", "and", "by", "from", "to", "for", "in", "at", "on", "with", "our",
    "all", "each", "health", "adults", "care", "member", "members", "leader", "cabinet", "council",
    "director", "chair", "chairman", "officer", "executive", "public", "social", "services",
}  # fmt: skip
_SMALL_WORDS = {
    "and", "of", "the", "to", "in", "for", "on", "a", "an", "by", "with", "at", "or", "upon",
}  # fmt: skip
_ACRONYMS = {
    "NHS", "ICB", "ICS", "ICP", "JSNA", "JHWS", "JHWB", "HWB", "CQC", "KCC", "WSCC", "UK", "GP",
    "EQIA", "DPH", "PCN", "CCG", "VCS", "LGR", "HOSC", "JHOSC", "IFR", "HMRC", "ONS", "COVID-19",
}  # fmt: skip
_GENERIC_TITLE = re.compile(
    r"^(untitled|document\s*\d*|microsoft word\b.*|powerpoint presentation|presentation\s*\d*|"
    r"slide\s*\d+|agenda template|template|minutes|report|executive decision|draft|final|title|"
    r"new document|.*\.(docx?|pdf|pptx?|xlsx?|rtf|odt))$",
    re.IGNORECASE,
)
_NOT_A_TITLE = re.compile(
    r"^(agenda item|minutes|contents|table of contents|foreword|introduction|summary|draft|"
    r"official|classification\b.*|this is a default template\b.*|(unrestricted|exempt) items\b.*|"
    r"(from|to|present|date|by|ask for|in attendance|apologies|attendees|venue|contact)\s*:.*|"
    r"page \d+.*|\d+(\.\d+)*)$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[A-Z][A-Z ]{1,30}:")  # "IN ATTENDANCE VIRTUALLY: ..."
_SUBJECT = re.compile(r"\bSubject(?: matter)?\s*:\s*(.{5,160}?)(?=\s+[A-Z][A-Za-z ]{2,30}:|\n|$)")
_WORD = re.compile(r"[a-z0-9]+")
_DOCUMENT_KINDS = {
    "report", "addendum", "plan", "update", "briefing", "response", "consultation", "review",
    "edition", "version",
}  # fmt: skip
_TITLE_STOPWORDS = _SMALL_WORDS | {"from", "this", "that", "its", "their", "our"}


def infer_metadata(source: str, text: str, embedded_title: str | None) -> DocumentMetadata:
    """Guess what a citation should say about the file at `source` (relative path)."""
    stem = PurePosixPath(source).stem
    head = text[:HEAD_CHARS]
    title = _title(stem, head, embedded_title)
    return DocumentMetadata(
        title=title,
        organisation=_organisation(stem.replace("_", " "), text),
        doc_type=_doc_type(stem, title, head),
        date=_date(stem, head),
    )


def _title(stem: str, head: str, embedded: str | None) -> str:
    """The memo's "Subject:", else a plausible embedded title, else the first heading, else the name."""
    subject = _SUBJECT.search(head[:2000])
    if subject:
        return _tidy_title(subject.group(1))
    if embedded and not _GENERIC_TITLE.match(embedded.strip()) and _matches_text(embedded, head):
        return _tidy_title(embedded)
    heading = _first_heading(head)
    return _tidy_title(heading) if heading else _pretty_file_name(stem)


def _matches_text(title: str, head: str) -> bool:
    """Most words of an embedded title appear in the first pages (Word keeps stale titles)."""
    words = [word for word in _WORD.findall(title.casefold()) if word not in _TITLE_STOPWORDS]
    if not words:
        return False
    present = set(_WORD.findall(head.casefold()))
    return sum(word in present for word in words) >= 0.75 * len(words)


def _first_heading(head: str) -> str | None:
    """The first short paragraph on the cover that reads like a title, not a sentence or label.

    A title broken over paragraphs ("The Leeds Health" / "and Wellbeing Strategy" / "2023-2030")
    is joined again; a long paragraph that opens with SHOUTED words gives those words.
    """
    cover = head[: COVER_CHARS * 2].split("\n\n")[:TITLE_PARAGRAPHS]
    paragraphs = [" ".join(paragraph.split()) for paragraph in cover]
    for index, candidate in enumerate(paragraphs):
        while index + 1 < len(paragraphs) and _continues(candidate, paragraphs[index + 1]):
            index += 1
            candidate = f"{candidate} {paragraphs[index]}"
        shouted = _shouted_prefix(candidate)
        if shouted and _looks_like_title(shouted):
            return shouted
        if _looks_like_title(candidate):
            return candidate
    return None


def _continues(title: str, following: str) -> bool:
    """Whether the next cover paragraph is more of the same title: after a colon, in lower case,
    a span of years, or the kind of document it is ("... Strategy 2019 - 2024" / "Consultation
    report"), which a document about a strategy puts under the strategy's name."""
    words = following.split()
    if not words or following.endswith("."):
        return False
    if title.endswith(":"):
        return len(words) <= 15
    years = re.fullmatch(r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?", following)
    kind = len(words) <= 3 and words[-1].casefold() in _DOCUMENT_KINDS
    return len(words) <= 8 and (following[:1].islower() or years is not None or kind)


def _looks_like_title(text: str) -> bool:
    words = text.split()
    letters = [word for word in words if re.search(r"[A-Za-z]{2}", word)]
    content = [word for word in letters if word.casefold() not in _SMALL_WORDS]
    capitalised = sum(word[:1].isupper() for word in content)
    return (
        len(letters) >= 2
        and 3 <= len(words) <= 25
        and (len(words) <= 12 or capitalised >= 0.5 * len(content))  # not a sentence
        and not re.match(r"(we|i|it|this|these|our|you|they|there)\b", text, re.IGNORECASE)
        and not re.match(r"\d+(\.\d+)*\.?\s", text)  # "84. Apologies": an item, not the title
        and len(text) <= 180
        and not text.endswith((".", ":", ";", ",", "!"))
        and not _NOT_A_TITLE.match(text)
        and not _LABEL.match(text)
        and not re.search(r"www\.|https?:|@|\.gov\.uk|\.org\b|\.com\b|©", text)
        and not _is_only_organisation(text)
        and not _is_only_date(text)
    )


def _shouted_prefix(text: str) -> str | None:
    words = []
    for word in text.split():
        if any(char.islower() for char in word):
            break
        words.append(word)
    shouted = " ".join(words)
    return shouted if sum(word.isalpha() for word in words) >= 3 and shouted != text else None


def _is_only_organisation(text: str) -> bool:
    return any(pattern.fullmatch(text.strip()) for pattern, _, _ in _ORG_PATTERNS)


def _is_only_date(text: str) -> bool:
    rest = _MONTH_YEAR.sub("", _DAY_MONTH_YEAR.sub("", text))
    return not re.search(r"[A-Za-z]{3}", rest)


def _tidy_title(title: str) -> str:
    """Collapse spaces and soften SHOUTED words, keeping acronyms such as NHS or JSNA."""
    words = " ".join(title.split()).strip(" -–|:").split(" ")
    letters = [char for char in "".join(words) if char.isalpha()]
    shouting = letters and sum(char.isupper() for char in letters) > 0.8 * len(letters)
    tidy = []
    for index, word in enumerate(words):
        core = word.strip("()[],.:;?!‘’'\"")
        if not core.isupper() or core in _ACRONYMS or (not shouting and len(core) <= 4):
            tidy.append(word)
        elif core.casefold() in _SMALL_WORDS and index > 0:
            tidy.append(word.lower())
        elif len(core) <= 2 or not re.search(r"[AEIOUY]", core):
            tidy.append(word)  # IC, KCC: most likely acronyms
        else:
            tidy.append(word.capitalize())
    return " ".join(tidy)


def _pretty_file_name(stem: str) -> str:
    name = stem.replace("_", " ")
    if " " not in name.strip():
        name = re.sub(r"(?<!\d)-|-(?!\d)", " ", name)  # keep "2017-2020" together
    name = " ".join(name.split())
    return name[:1].upper() + name[1:] if name else stem


def _organisation(stem: str, text: str) -> str | None:
    """Who wrote the document, from the bodies it names.

    First the file name and first pages, the cover counting more; a council's initials count as
    its name where the text shows which place they stand for. Where they name no body, or two
    equally often, the whole text decides: a body whose place the file name also names
    ("west-sussex-jsna-...": West Sussex County Council), else a local body named at least twice
    and twice as often as any other. National bodies (NHS England, Public Health England...) are
    left out of that last count, since strategies cite them as sources of their figures.
    """
    initials = _council_initials(text)
    counts: Counter[str] = Counter()  # weighted mentions
    for body in _named_bodies(stem, initials):
        counts[body.name] += body.weight * 4
    for body in _named_bodies(text[:HEAD_CHARS], initials):
        counts[body.name] += body.weight * (3 if body.start < COVER_CHARS else 1)
    clear = _clear_winner(counts)
    if clear:
        return clear
    local = [body for body in _named_bodies(text, initials) if body.place]
    stem_words = set(_WORD.findall(stem.casefold()))
    named = _clear_winner(_weighed(body for body in local if body.place <= stem_words))
    if named:
        return named
    ranked = _weighed(local).most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


def _clear_winner(counts: Counter[str]) -> str | None:
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None  # no organisation, or two named equally often: unclear
    return ranked[0][0]


def _weighed(bodies: Iterable[_Body]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for body in bodies:
        counts[body.name] += body.weight
    return counts


class _Body(NamedTuple):
    """A body named in the text: its name, how much the mention counts, and where it is."""

    name: str
    weight: float
    start: int
    place: frozenset[str]  # the words naming its place; none for a national body


def _council_initials(text: str) -> dict[str, _Body]:
    """The councils that the text's initials stand for: "KCC" is Kent County Council where the
    text writes "in Kent" or "across Kent" at least twice, the place most written so of those
    with those initials. "MECC" (Making Every Contact Count) names no place, so no council; a
    text that writes "City Council" more often than "County Council" means a city's."""
    initials = {match.group(1) for match in _INITIALS.finditer(text)}
    if not initials:
        return {}
    city = text.count("City Council") > text.count("County Council")
    kind = "City Council" if city else "County Council"
    found = {}
    for letters in initials:
        words = r"[ \t]+".join(rf"{letter}[a-z]+" for letter in letters)
        places = Counter(
            " ".join(place.split())
            for place in re.findall(rf"{_WHERE}({words})\b(?![ \t]+[A-Z])", text)
        ).most_common(2)
        if places and places[0][1] >= 2 and (len(places) == 1 or places[0][1] > places[1][1]):
            place = places[0][0]
            found[letters] = _Body(f"{place} {kind}", 1.0, 0, frozenset(place.casefold().split()))
    return found


def _named_bodies(text: str, initials: dict[str, _Body]) -> list[_Body]:
    """The bodies `text` names in full, or by initials that `initials` resolves."""
    found = [
        initials[match.group(1)]._replace(start=match.start())
        for match in _INITIALS.finditer(text)
        if match.group(1) in initials
    ]
    for pattern, template, weight in _ORG_PATTERNS:
        for match in pattern.finditer(text):
            place = _place_words(match.group(1))
            if match.group(1) and not place:
                continue
            name = _organisation_name(template, place, match.group(2))
            words = frozenset(_WORD.findall(" ".join(place).casefold()))
            found.append(_Body(name, weight, match.start(), words))
    return found


def _place_words(place: str) -> list[str]:
    """The words that name the place: not a word that begins the phrase ("the Kent County
    Council", "Health West Sussex County Council"), nor any before a sentence's end or an article
    ("Review. West Sussex County Council", "Economic Cost The County Council")."""
    words = place.split()
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if (word.endswith(".") and word != "St.") or word.casefold() == "the":
            words = words[index + 1 :]
            break
    while words and words[0].casefold() in _NOT_PLACE:
        words.pop(0)
    return words


def _organisation_name(template: str, place: list[str], kind: str) -> str:
    kind = " ".join(kind.split())
    if kind.isupper() or kind.islower():
        kind = " ".join(word if word == "NHS" else word.capitalize() for word in kind.split())
    return template.format(place=_tidy_title(" ".join(place)), kind=kind)


def _doc_type(stem: str, title: str, head: str) -> str | None:
    camel = r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)"
    spaced = re.sub(rf"{camel}|[_\-]+", " ", stem)  # "SharedRIStrategy" -> "Shared RI Strategy"
    for text in (spaced, title, head[:1500]):
        for doc_type, pattern in DOC_TYPES:
            if re.search(pattern, text, re.IGNORECASE):
                return doc_type
    return None


def _date(stem: str, head: str) -> str | None:
    """A date in the file name, else the first date on the cover, else a full date further on."""
    name = stem.replace("_", " ")
    named = _stated_dates(name)
    full_in_name = [date for _, date in named if len(date) == 10]
    cover = _stated_dates(head[: COVER_CHARS * 2])
    full_in_head = [date for _, date in _stated_dates(head[:3000]) if len(date) == 10]
    month_in_name = [date for _, date in named]
    if month_in_name and not full_in_name:  # "March 2025" in the name, "13 March 2025" inside
        full_in_name = [date for _, date in cover if date.startswith(month_in_name[0] + "-")]
    for found in (full_in_name, month_in_name, [min(cover)[1]] if cover else [], full_in_head):
        if found:
            return found[0]
    years = _LONE_YEAR.findall(name.replace("-", " "))
    return years[0] if len(years) == 1 else None


def _stated_dates(text: str) -> list[tuple[int, str]]:
    """(position, ISO date) of full dates and months, not those after "in", "from", "until"..."""
    found = []
    for pattern, year, month, day in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _iso(match.group(year), match.group(month), match.group(day) if day else None)
            before = text[max(0, match.start() - 16) : match.start()]
            part_of_full_date = day == 0 and re.search(
                r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?[ \t-]*$", before
            )
            if date and not _NOT_PUBLICATION.search(before) and not part_of_full_date:
                found.append((match.start(), date))
    return sorted(found)


def _iso(year: str, month: str, day: str | None) -> str:
    number = int(month) if month.isdigit() else _MONTHS.index(month[:3].casefold()) + 1
    if not 1 <= number <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return ""
    return f"{year}-{number:02d}" + (f"-{int(day):02d}" if day is not None else "")


def first_full_date(text: str) -> str | None:
    """The first day-month-year date stated in `text`, as YYYY-MM-DD ("Thursday, 30 January 2025")."""
    for match in _DAY_MONTH_YEAR.finditer(text):
        date = _iso(match.group(3), match.group(2), match.group(1))
        if date:
            return date
    return None
