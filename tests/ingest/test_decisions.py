"""Finding formal decisions in real minutes shapes, written by the tests as PDF and text."""

from __future__ import annotations

from pathlib import Path

from ingest.decisions import find_decisions
from ingest.reader import read_document
from tests.conftest import write_pdf

MEETING = (
    "MINUTES of a meeting of the Health and Wellbeing Board held in the Council Chamber, "
    "County Hall on Tuesday, 4 March 2025."
)


def _read(path: Path, overrides: dict[str, str] | None = None):
    return read_document(path, path.parent, overrides)


def _minutes_pdf(folder: Path) -> Path:
    return write_pdf(
        folder / "hwb-minutes.pdf",
        [
            [
                "WESTSHIRE COUNTY COUNCIL",
                MEETING,
                "12. Joint Health and Wellbeing Strategy (Item 5)",
                "1. The Director of Public Health introduced the strategy and its consultation.",
                (
                    "2. Members agreed that more work was needed on the housing offer before the "
                    "strategy could be delivered."
                ),
                "3. RESOLVED that the Board:",
                "(a) approves the Joint Health and Wellbeing Strategy 2025-2030;",
            ],
            [
                (
                    "(b) delegates authority to the Director of Public Health to make minor "
                    "changes to the strategy before publication; and"
                ),
                "(c) notes the consultation report.",
                "13. Better Care Fund quarterly return (Item 6)",
                "The Board noted the quarterly Better Care Fund return for the third quarter.",
            ],
        ],
    )


def test_numbered_resolutions_across_a_page_break_are_each_a_decision(tmp_path):
    decisions = _read(_minutes_pdf(tmp_path)).decisions
    strategy = [d for d in decisions if d.item_number == "12"]
    assert [d.outcome for d in strategy] == ["approved", "delegated", "noted"]
    assert [d.page for d in strategy] == [1, 2, 2]
    first = strategy[0]
    assert first.body == "Health and Wellbeing Board"
    assert first.date == "2025-03-04"
    assert first.item_title == "Joint Health and Wellbeing Strategy"
    assert first.text.startswith("(a) approves the Joint Health and Wellbeing Strategy")
    assert first.first_sentence == "approves the Joint Health and Wellbeing Strategy 2025-2030;"


def test_the_board_noted_item_is_a_decision_and_discussion_is_not(tmp_path):
    document = _read(_minutes_pdf(tmp_path))
    noted = [d for d in document.decisions if d.item_number == "13"]
    assert len(noted) == 1 and noted[0].outcome == "noted"
    assert "quarterly Better Care Fund return" in noted[0].text
    assert not any("more work was needed" in d.text for d in document.decisions)
    assert len(document.decisions) == 4


def test_offsets_are_the_exact_span_of_the_document_text(tmp_path):
    document = _read(_minutes_pdf(tmp_path))
    for decision in document.decisions:
        assert document.text[decision.char_start : decision.char_end] == decision.text


def test_a_motion_lost_on_a_recorded_vote(tmp_path):
    path = tmp_path / "council-minutes.txt"
    path.write_text(
        "MINUTES of a meeting of the County Council held at Sessions House on Thursday, "
        "13 March 2025.\n\n"
        "15. Motion on library closures (Item 8)\n\n"
        "1) Mr Smith proposed and Mrs Jones seconded the motion that\n\n"
        "“This Council reverses the decision to close Hythe library.”\n\n"
        "2) Following the debate, the Chairman put the motion set out in paragraph 1 to the "
        "vote and the voting was as follows:\n\n"
        "For (12)\n\nMr Smith, Mrs Jones\n\nAgainst (30)\n\nAbstain (2)\n\nMotion lost.\n\n"
        "16. Pay Policy Statement (Item 9)\n\n"
        "1) RESOLVED that Council endorses the Pay Policy Statement.\n",
        encoding="utf-8",
    )
    lost, endorsed = _read(path).decisions
    assert lost.outcome == "lost" and lost.votes == "for 12, against 30, abstain 2: lost"
    assert "reverses the decision to close Hythe library" in lost.text
    assert (lost.body, lost.date, lost.item_number) == ("County Council", "2025-03-13", "15")
    assert endorsed.outcome == "endorsed" and endorsed.votes is None


def test_a_record_of_decision_page(tmp_path):
    path = write_pdf(
        tmp_path / "record-of-decision.pdf",
        [
            [
                "WESTSHIRE COUNTY COUNCIL – RECORD OF DECISION",
                "DECISION TAKEN BY: Cabinet Member for Adult Social Care",
                "DECISION NO: 25/00012",
                "Title of Decision: Carers Strategy 2025-28",
                "Decision: To APPROVE the Carers Strategy 2025-28 and its action plan.",
                "Reason for Decision:",
                "The strategy was agreed with carers' organisations and sets out our priorities.",
                "Date of decision: 12 May 2025",
            ]
        ],
    )
    (decision,) = _read(path).decisions
    assert decision.outcome == "approved"
    assert decision.body == "Cabinet Member for Adult Social Care"
    assert (decision.item_number, decision.item_title) == ("25/00012", "Carers Strategy 2025-28")
    assert decision.date == "2025-05-12" and decision.page == 1
    assert decision.uncertain is None


def test_the_sidecar_corrects_a_meeting_body_and_date(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes:\n\nRESOLVED:-\n\n1) That the report be noted.\n", encoding="utf-8")
    (plain,) = _read(path).decisions
    assert plain.body is None and plain.date is None
    (corrected,) = _read(path, {"body": "Health Scrutiny Panel", "date": "2024-11-05"}).decisions
    assert (corrected.body, corrected.date, corrected.outcome) == (
        "Health Scrutiny Panel",
        "2024-11-05",
        "noted",
    )


def test_an_unstated_outcome_is_marked_uncertain(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text(
        "RESOLVED:-\n\n1) That partners on the Board engage in the consultation.\n",
        encoding="utf-8",
    )
    (decision,) = _read(path).decisions
    assert decision.outcome == "agreed" and decision.uncertain


def test_a_noisy_transcript_records_no_decision(tmp_path):
    path = tmp_path / "scrutiny-transcript.txt"
    lines = [
        "00:12:01.100 so I think we all agreed last time that the board approved um the plan",
        "00:12:09.400 yes resolved, that's resolved I think, the committee agreed to look again",
        "00:12:15.900 okay thanks chair. decision: we'll come back to it, motion carried ha",
    ]
    path.write_text("\n".join(lines * 20), encoding="utf-8")
    assert _read(path).decisions == []


def test_find_decisions_is_pure_over_a_parsed_document(tmp_path):
    document = _read(_minutes_pdf(tmp_path))
    assert find_decisions(document) == document.decisions
    assert all(d.source == "hwb-minutes.pdf" for d in document.decisions)


def test_recommendations_recorded_as_agreed(tmp_path):
    path = tmp_path / "panel-minutes.txt"
    path.write_text(
        "MINUTES of a meeting of the Health Scrutiny Panel held on Monday, 2 June 2025.\n\n"
        "4. Dental access (Item 4)\n\n"
        "Members discussed waiting lists and agreed that the figures were worrying.\n\n"
        "The recommendations set out in the report were agreed.\n",
        encoding="utf-8",
    )
    (decision,) = _read(path).decisions
    assert decision.text == "The recommendations set out in the report were agreed."
    assert (decision.outcome, decision.body, decision.item_number) == (
        "agreed",
        "Health Scrutiny Panel",
        "4",
    )


def test_a_first_sub_resolution_on_the_resolved_line_starts_the_list(tmp_path):
    """PDFium joins "agree to:" and "A) Note ..." on one line; b), c) follow on their own."""
    path = tmp_path / "cabinet-minutes.txt"
    path.write_text(
        "MINUTES of a meeting of the Cabinet held on Thursday, 30 January 2025.\n\n"
        "88. Revenue and Capital Budget Monitoring Report\n\n"
        "3. RESOLVED that Cabinet agree to: A) Note the forecast revenue overspend of £23.3m.\n"
        "b) Note the forecast overspend on Schools' Delegated Budgets of £30.4m.\n"
        "c) Agree the Capital budget changes.\n",
        encoding="utf-8",
    )
    decisions = _read(path).decisions
    assert [d.outcome for d in decisions] == ["noted", "noted", "agreed"]
    assert decisions[0].text.startswith("A) Note the forecast revenue overspend")
    assert decisions[1].text.startswith("b) Note the forecast overspend on Schools")
    assert {d.body for d in decisions} == {"Cabinet"}
