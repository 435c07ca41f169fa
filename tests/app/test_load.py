"""Several browser sessions keep getting answers while an ingest job rebuilds the index."""

from __future__ import annotations

from app.ingest_job import current_job, start_ingest
from tests.app.conftest import PDF_QUESTION, XSS_QUESTION, ask, wait_for
from tests.app.test_ask_page import answer

QUESTIONS = [PDF_QUESTION, XSS_QUESTION, "What is the BCF?"]


def test_sessions_are_answered_while_an_ingest_runs(library_copy, make_app):
    (library_copy.documents_dir / "bulk.txt").write_text(
        "\n\n".join(
            f"Paragraph {n}: the locality teams reviewed social prescribing and hospital "
            f"discharge with primary care networks in area {n}." * 3
            for n in range(200)
        ),
        encoding="utf-8",
    )
    sessions = [make_app(library_copy).run() for _ in range(3)]
    job = start_ingest(library_copy)
    answered_during = 0
    for round_number in range(3):
        for number, app in enumerate(sessions):
            running = job.running
            ask(app, QUESTIONS[(number + round_number) % len(QUESTIONS)])
            assert "data-found='true'" in answer(app)
            answered_during += running
    assert answered_during >= 3, "the ingest ended before the sessions asked"
    wait_for(sessions[0], lambda: not job.running)
    assert current_job(library_copy).error is None and job.report.added == ["bulk.txt"]
    for app in sessions:  # and they go on answering from the new index
        ask(app, PDF_QUESTION)
        assert "Wye, Chilham and Boughton" in answer(app)
