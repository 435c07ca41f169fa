"""Metadata inference: the title, organisation, type and date a citation shows."""

from __future__ import annotations

import pytest

from ingest.formats.docx import read_docx
from ingest.metadata import infer_metadata
from ingest.reader import read_document
from tests.ingest.documents import LIBRARY


def test_embedded_title_is_used_when_the_text_bears_it_out() -> None:
    text = "Deaths of people with a homelessness need in West Sussex\n\nThis review covers 2020 to 2023."
    metadata = infer_metadata("review.pdf", text, "Deaths of people with a homelessness need")
    assert metadata.title == "Deaths of people with a homelessness need"


def test_stale_embedded_title_loses_to_the_first_heading() -> None:
    text = "westsussex.gov.uk\n\nForecasting future dependency in West Sussex\n\nFebruary 2024\n\nBody."
    metadata = infer_metadata("forecast.docx", text, "Rapid review of the Joint Dementia Strategy")
    assert metadata.title == "Forecasting future dependency in West Sussex"


@pytest.mark.parametrize(
    "embedded", [None, "Microsoft Word - draft3.docx", "PowerPoint Presentation"]
)
def test_without_a_usable_title_the_file_name_is_prettified(embedded: str | None) -> None:
    metadata = infer_metadata(
        "papers/Homelessness-Deaths-Review-2017-2020.pdf", "Body text.", embedded
    )
    assert metadata.title == "Homelessness Deaths Review 2017-2020"


def test_memo_subject_line_is_the_title() -> None:
    text = "From: Roger Gough, Leader\nTo: Cabinet, 30 January 2025\nSubject: Integrated Care Strategy Delivery Plan\nClassification: Unrestricted"
    metadata = infer_metadata("24-00115 - Report.pdf", text, "Executive Decision")
    assert metadata.title == "Integrated Care Strategy Delivery Plan"
    assert metadata.date == "2025-01-30"
    assert metadata.doc_type == "report"


CONSULTATION_COVER = (
    "Start Well, Live Well, Age Well:\n\nWest Sussex Joint Health and Wellbeing Strategy"
    " 2019 – 2024\n\nConsultation report\n\nBackground"
)
CONSULTATION_TITLE = (
    "Start Well, Live Well, Age Well: West Sussex Joint Health and Wellbeing Strategy"
    " 2019 – 2024 Consultation report"
)


@pytest.mark.parametrize(
    ("cover", "title"),
    [
        (CONSULTATION_COVER, CONSULTATION_TITLE),
        (
            "The Leeds Health\n\nand Wellbeing Strategy\n\n2023-2030\n\nBody.",
            "The Leeds Health and Wellbeing Strategy 2023-2030",
        ),
        (
            "Kent Integrated Care Strategy\n\nDelivery plan\n\nBody.",
            "Kent Integrated Care Strategy Delivery plan",
        ),
        (
            "Kent Integrated Care Strategy\n\nExecutive summary\n\nBody.",
            "Kent Integrated Care Strategy",
        ),
        ("Kent Integrated Care Strategy\n\nForeword\n\nBody.", "Kent Integrated Care Strategy"),
    ],
)
def test_a_title_broken_over_cover_paragraphs_is_joined(cover: str, title: str) -> None:
    """A colon, lower case, years or the kind of document ("Consultation report") carry the
    title on; a heading that opens the text ("Executive summary") does not."""
    assert infer_metadata("cover.pdf", cover, None).title == title


def test_shouted_cover_title_is_softened_but_acronyms_kept() -> None:
    text = "WEST SUSSEX JOINT DEMENTIA STRATEGY AND JSNA 2020 TO 2023 Developed with partners."
    assert (
        infer_metadata("x.pdf", text, None).title
        == "West Sussex Joint Dementia Strategy and JSNA 2020 to 2023"
    )


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("KENT COUNTY COUNCIL\n\nCABINET\n\nMinutes of the Kent County Council Cabinet.", "Kent County Council"),
        ("The report was presented to Leicester City Council and Leicester City Council agreed.", "Leicester City Council"),
        ("NHS Cambridgeshire and Peterborough\nIntegrated Care Board\n\nCONSTITUTION", "NHS Cambridgeshire and Peterborough Integrated Care Board"),
        ("Members of Medway Council considered the strategy. Medway Council agreed.", "Medway Council"),
        ("Care Quality Commission assessment of the local authority.", "Care Quality Commission"),
        ("Cabinet Member for Adults and Health West Sussex County Council", "West Sussex County Council"),
        ("A meeting with no organisation named.", None),
        ("Adur District Council and Worthing Borough Council signed.", None),  # one each: unclear
    ],
)  # fmt: skip
def test_organisation(text: str, organisation: str | None) -> None:
    assert infer_metadata("doc.txt", text, None).organisation == organisation


# Two pages of prose that name nobody, so that what follows is beyond the first pages.
_BODY = "Residents told us that getting around the county matters to their health. " * 90


@pytest.mark.parametrize(
    ("source", "text", "organisation"),
    [
        # the file name says which of the bodies named equally often wrote it
        (
            "west-sussex-jsna-later-life.html",
            "Brighton & Hove City Council and West Sussex County Council shared data.",
            "West Sussex County Council",
        ),
        # nobody named in the first pages: the local body the whole text names most, clearly
        (
            "annual_report21.pdf",
            _BODY
            + "UK Health Security Agency figures. " * 5
            + "West Sussex County Council runs the service. " * 3
            + "Arun District Council helped.",
            "West Sussex County Council",
        ),
        # a hospital named once, deep in a briefing, is not its author
        ("eye_health_briefing.docx", _BODY + "Radcliffe Infirmary NHS Trust studied sight.", None),
        # two local bodies, neither named twice as often: unclear
        (
            "terms-of-reference.pdf",
            _BODY + "Medway Council agreed. " * 3 + "Kent County Council agreed. " * 2,
            None,
        ),
        # "Medway Council" counts half (Kent papers name Medway as a partner): 1.5 against 1
        ("partners.pdf", _BODY + "Medway Council agreed. " * 3 + "Kent County Council agreed.", None),
        # a sentence's end or an article is not part of a place's name
        ("review.pdf", "See the Annual Review. West Sussex County Council agreed.", "West Sussex County Council"),
        ("cost.pdf", "The Economic Cost The County Council met.", None),
    ],
)  # fmt: skip
def test_organisation_beyond_the_first_pages(
    source: str, text: str, organisation: str | None
) -> None:
    assert infer_metadata(source, text, None).organisation == organisation


_PARTNER = "The proposal was agreed with Medway Council. "


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        # a council's own report writes its initials, and names a partner in full
        (_PARTNER + "KCC will consult residents in Kent. Services in Kent and across Kent. KCC agreed.", "Kent County Council"),
        ("WSCC leads. Services across West Sussex and in West Sussex. " + _PARTNER, "West Sussex County Council"),
        (_PARTNER + "LCC agreed. Homes in Leeds, jobs in Leeds. The City Council met.", "Leeds City Council"),
        # "in Making Every Contact Count", twice, is no place: the words run on capitalised
        ("MECC: in Making Every Contact Count sessions and in Making Every Contact Count training. " + _PARTNER, "Medway Council"),
        # one mention of the place is not enough to read the initials
        (_PARTNER + "KCC will consult residents in Kent.", "Medway Council"),
    ],
)  # fmt: skip
def test_organisation_from_council_initials(text: str, organisation: str) -> None:
    assert infer_metadata("report.pdf", text, None).organisation == organisation


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="needs ../shared/corpus/library")
def test_real_report_that_names_its_council_only_by_initials() -> None:
    """Kent's report to County Council writes "KCC" and names Medway Council as a partner."""
    name = "Devo and LGR - CC Report March 2025.pdf"
    assert read_document(LIBRARY / name, LIBRARY).metadata.organisation == "Kent County Council"


@pytest.mark.parametrize(
    ("source", "text", "doc_type"),
    [
        ("Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf", "Minutes of the Cabinet", "minutes"),
        ("Agenda frontsheet.pdf", "Item 3: Minutes of the last meeting", "agenda"),
        ("24-00115 - EqIA.pdf", "EQIA Submission Form", "equality impact assessment"),
        ("Adur_and_Worthing_JSNA_2024.pdf", "Data profile", "jsna"),
        ("JHWS-consultation-report-final.pdf", "Strategy consultation", "report"),
        ("Suicide-Prevention-Strategy-2017-2020.pdf", "Foreword", "strategy"),
        ("SharedRIStrategy_Contents_Final.pdf", "Foreword", "strategy"),
        ("scrutiny.txt", "# tactiq.io free youtube transcript", "transcript"),
        ("notes.txt", "Nothing to go on.", None),
    ],
)
def test_doc_type(source: str, text: str, doc_type: str | None) -> None:
    assert infer_metadata(source, text, None).doc_type == doc_type


@pytest.mark.parametrize(
    ("source", "text", "date"),
    [
        ("Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf", "Body.", "2025-01-30"),
        ("Scrutiny Board -14-10-2025.txt", "Body.", "2025-10-14"),
        ("forecasting_west_sussex_february_2024.docx", "Body.", "2024-02"),
        ("Devo - CC Report March 2025.pdf", "To: County Council – 13 March 2025", "2025-03-13"),
        ("report.pdf", "Research Report 361\n\nJuly 2015\n\nSigned 31 January 2015.", "2015-07"),
        ("plan.pdf", "In July 2022, the Board asked for an update.", None),
        (
            "consultation.pdf",
            "The consultation ran from 3 December 2018 to the 27 January 2019.",
            None,
        ),
        ("two-column.pdf", "Your Name\n\nJanuary 3, 2024", "2024-01-03"),
        ("Homelessness-Review-2024.pdf", "No date stated.", "2024"),
        ("Final-JHWS-2019-2024.pdf", "No date stated.", None),
    ],
)
def test_date(source: str, text: str, date: str | None) -> None:
    assert infer_metadata(source, text, None).date == date


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="needs ../shared/corpus/library")
def test_real_consultation_report_is_not_titled_as_the_strategy_it_consulted_on() -> None:
    document = read_document(LIBRARY / "JHWS-consultation-report-final.pdf", LIBRARY)
    assert document.metadata.title == CONSULTATION_TITLE


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="needs ../shared/corpus/library")
def test_real_docx_whose_core_title_names_another_document() -> None:
    name = "Forecasting_future_depeendency_west_sussex_february_2024_accessible.docx"
    raw = read_docx(LIBRARY / name)
    assert raw.embedded_title == "Rapid review of West Sussex Joint Dementia Strategy 2020 - 2023"
    text = "\n\n".join(block.text for block in raw.blocks)
    metadata = infer_metadata(name, text, raw.embedded_title)
    assert (
        metadata.title == "Forecasting future co-morbidity prevalence and dependency in West Sussex"
    )
    assert metadata.date == "2024-02"
