"""A real library for the browser app's tests: the seeds, a paged PDF, a hostile text file."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index.build import build_index
from index.settings import Settings
from tests.conftest import SEEDS, write_pdf

APP_SCRIPT = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PDF_NAME = "kent-health-improvement-fund-report.pdf"
PDF_QUESTION = "Which village halls got grants from the Health Improvement Fund?"
XSS_NAME = "parking-permits-notice.txt"
XSS_TEXT = (
    "Parking permits notice. The parking permit consultation page was pasted from the web and "
    "still holds <script>alert(1)</script> and <img src=x onerror=alert(1)> in its text.\n\n"
    "Residents' parking permits for the harbour zone cost 45 pounds a year from April."
)
XSS_QUESTION = "How much do residents' parking permits for the harbour zone cost?"
SIDECAR = """\
cqc-gloucestershire-partnerships-and-communities.txt:
  organisation: Gloucestershire County Council
  date: 2024-11
kent-cabinet-integrated-care-strategy-delivery-plan-minutes.txt:
  date: 2024-03-14
leicester-hwb-health-and-wellbeing-strategy-minutes.txt:
  organisation: Leicester City Council
  date: 2023-07-06
medway-committee-kent-medway-integrated-care-strategy-minutes.txt:
  organisation: Medway Council
  date: 2024-02-01
kent-health-improvement-fund-report.pdf:
  title: Health Improvement Fund annual report
  organisation: Kent County Council
  doc_type: report
  date: 2025-01
parking-permits-notice.txt:
  title: "Notice <b>bold</b> <script>alert(2)</script>"
  organisation: "<img src=x onerror=alert(3)> Borough Council"
  doc_type: notice
  date: 2022
"""


# Each page is about one passage long, so the answer's passage lies on page 2 alone.
_PAGE_ONE = [
    "Introduction.",
    (
        "This report sets out how the fund was governed during the year. The fund is overseen by the "
        "health and wellbeing board, which agrees its priorities each spring and receives a summary "
        "of spending every quarter. Officers from public health manage applications, check that "
        "groups are properly constituted and hold the required insurance, and visit a sample of "
        "funded projects. The board asked for a simpler application form this year, and a new form "
        "was introduced in June after testing it with six community groups. Applications now take "
        "about half as long to complete, and most groups said the guidance notes were clear. The "
        "board also agreed to publish every decision, with the reasons, on the council's website "
        "within a month of its meeting, so that residents can see where the money goes."
    ),
]
_PAGE_TWO = [
    "Grants awarded in the year.",
    (
        "The Health Improvement Fund gave grants to the village halls of Wye, Chilham and Boughton "
        "for weekly falls prevention classes for older residents. Each hall received enough to run "
        "forty sessions led by a qualified instructor. Attendance was recorded at every session, and "
        "the instructors reported fewer falls among regular attenders. Two halls also used part of "
        "their grant to buy chairs with arms, so that people with limited mobility could take part "
        "safely."
    ),
]
_PAGE_THREE = [
    "Next steps.",
    (
        "The fund will open again for applications next spring. The board wants more applications "
        "from coastal towns, where take-up has been low, and officers will hold drop-in sessions in "
        "Margate, Ramsgate and Folkestone to explain the process. A short evaluation of the classes "
        "will be published in the autumn, with the views of participants and their carers, so that "
        "the board can decide whether to fund them for a further two years. Officers will also "
        "review the monitoring forms, which several groups found long, and will report to the board "
        "in December with a proposal to shorten them and to pay grants in two instalments."
    ),
]


def write_library(folder: Path) -> None:
    """The five seeds, a three-page PDF whose answer is on page 2, a hostile file, a skipped file."""
    shutil.copytree(SEEDS, folder)
    write_pdf(folder / PDF_NAME, [_PAGE_ONE, _PAGE_TWO, _PAGE_THREE])
    (folder / XSS_NAME).write_text(XSS_TEXT, encoding="utf-8")
    (folder / "old-minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a Word 97 file")
    (folder / "metadata.yaml").write_text(SIDECAR, encoding="utf-8")


@pytest.fixture(scope="session")
def app_library(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:
    """Built once per run; tests that change the library use `library_copy`."""
    root = tmp_path_factory.mktemp("app-library")
    write_library(root / "documents")
    settings = Settings(documents_dir=root / "documents", index_dir=root / "index")
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture
def library_copy(app_library: Settings, tmp_path: Path) -> Settings:
    """A private copy of the built library, to upload into, edit and re-ingest."""
    shutil.copytree(app_library.documents_dir, tmp_path / "documents")
    shutil.copytree(
        app_library.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns(".lock")
    )
    return Settings(documents_dir=tmp_path / "documents", index_dir=tmp_path / "index")


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[[Settings], AppTest]:
    """The real app script, with its settings passed the way `precedent app` passes them."""

    def make(settings: Settings) -> AppTest:
        monkeypatch.setenv("PRECEDENT_INDEX_DIR", str(settings.index_dir))
        monkeypatch.setenv("PRECEDENT_DOCUMENTS_DIR", str(settings.documents_dir))
        monkeypatch.setenv("PRECEDENT_MODEL", settings.model)
        return AppTest.from_file(str(APP_SCRIPT), default_timeout=60)

    return make


def ask(app: AppTest, question: str) -> AppTest:
    app.text_input(key="question").input(question).run()
    assert not app.exception, app.exception
    return app


def wait_for(app: AppTest, done: Callable[[], bool], seconds: float = 180) -> None:
    """Rerun the app until `done()` (a background ingest finished), for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        time.sleep(0.5)
    app.run()
