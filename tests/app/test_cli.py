"""The `precedent` command as a user runs it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli import cli
from index.unsigned_int8 import PROBE_CARD, signed_products_exact

runner = CliRunner()


def test_ask_json_has_the_documented_shape(seeds_settings):
    result = runner.invoke(
        cli, ["ask", "What is the BCF?", "--json", "--index", str(seeds_settings.index_dir)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["question"] == "What is the BCF?"
    assert payload["took_ms"] > 0
    assert set(payload["answer"]) >= {"found", "text", "citations", "confidence", "weak"}
    assert 0.0 <= payload["answer"]["confidence"] <= 1.0
    assert payload["method"] == "hybrid+rerank"
    first = payload["results"][0]
    for key in (
        "rank",
        "text",
        "source",
        "title",
        "organisation",
        "doc_type",
        "date",
        "page",
        "section",
        "score",
        "highlights",
    ):
        assert key in first
    assert first["source"].endswith(".txt") and "/" not in first["source"]


def test_batch_prints_one_json_object_per_question(seeds_settings, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"question": "What is the BCF?"}\nWhy was the Leicester consultation delayed?\n'
    )
    result = runner.invoke(
        cli, ["ask", "--batch", str(questions), "--index", str(seeds_settings.index_dir)]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "What is the BCF?",
        "Why was the Leicester consultation delayed?",
    ]


def test_terminal_answer_is_readable(seeds_settings):
    result = runner.invoke(
        cli,
        [
            "ask",
            "Was Healthwatch involved in the Kent and Medway strategy?",
            "--index",
            str(seeds_settings.index_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[1]" in result.stdout and "Medway" in result.stdout


def test_status_lists_documents(seeds_settings):
    result = runner.invoke(cli, ["status", "--index", str(seeds_settings.index_dir)])
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.stdout


def test_missing_index_is_one_clear_line(tmp_path):
    result = runner.invoke(cli, ["ask", "anything", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "precedent ingest" in str(result.exception) or "precedent ingest" in result.output


def test_define_explains_an_acronym_and_says_when_it_does_not_know():
    known = runner.invoke(cli, ["define", "bcf"])
    assert known.exit_code == 0 and "Better Care Fund" in known.stdout
    unknown = runner.invoke(cli, ["define", "QQQZ"])
    assert unknown.exit_code == 1


def test_no_rerank_answers_without_the_cross_encoder(seeds_settings):
    result = runner.invoke(
        cli,
        [
            "ask",
            "What is the BCF?",
            "--json",
            "--no-rerank",
            "--index",
            str(seeds_settings.index_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["method"] == "hybrid" and "rerank" not in payload["timings_ms"]
    assert payload["results"] and 0.0 <= payload["answer"]["confidence"] <= 1.0


def test_a_log_of_skipped_files_holds_every_whole_name(tmp_path):
    """Output that is not a terminal (CliRunner, like a log file) is not cut to 80 columns."""
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "minutes.txt").write_text("The board agreed the strategy.\n", encoding="utf-8")
    long_name = "census_2011_headline_population_statistics_for_every_ward_in_the_county.doc"
    (documents / long_name).write_bytes(b"\xd0\xcf\x11\xe0 legacy word file")
    result = runner.invoke(
        cli, ["ingest", str(documents), "--index", str(tmp_path / "index")], terminal_width=60
    )
    assert result.exit_code == 0, result.output
    assert long_name in result.stdout
    status = runner.invoke(cli, ["status", "--index", str(tmp_path / "index")], terminal_width=60)
    assert long_name in status.stdout


def test_a_log_of_status_gives_each_document_one_whole_line(tmp_path):
    """The documents table, cut into narrow wrapped columns in a log, is one tab-separated line
    per document there, every value whole."""
    documents = tmp_path / "documents"
    documents.mkdir()
    long_name = "joint_health_and_wellbeing_strategy_for_the_county_and_its_districts_2025.txt"
    (documents / long_name).write_text(
        "Kent County Council\n\nThe board agreed the strategy.\n", encoding="utf-8"
    )
    built = runner.invoke(cli, ["ingest", str(documents), "--index", str(tmp_path / "index")])
    assert built.exit_code == 0, built.output
    status = runner.invoke(cli, ["status", "--index", str(tmp_path / "index")], terminal_width=60)
    assert status.exit_code == 0, status.output
    header, row = status.stdout.split("Documents:\n")[1].splitlines()[:2]
    assert header.split("\t")[0] == "Title" and header.split("\t")[-1] == "File"
    cells = row.split("\t")
    assert len(cells) == 8 and cells[-1] == long_name and cells[1] == "Kent County Council"


def test_show_writes_the_cited_page_with_the_sentence_marked(app_library, tmp_path):
    import io

    import numpy as np
    from PIL import Image

    from tests.app.conftest import PDF_NAME, PDF_QUESTION, XSS_NAME

    where = ["--index", str(app_library.index_dir), "--documents", str(app_library.documents_dir)]
    asked = runner.invoke(cli, ["ask", PDF_QUESTION, "--json", *where[:2]])
    best = json.loads(asked.output)["results"][0]
    out = tmp_path / "briefing.png"
    shown = runner.invoke(cli, ["show", str(best["passage_number"]), "--png", str(out), *where])
    assert shown.exit_code == 0, shown.output
    assert f"page 2 of {PDF_NAME}, sentence marked" in shown.output
    image = np.asarray(Image.open(io.BytesIO(out.read_bytes())).convert("RGB")).astype(int)
    assert image.shape[:2] == (1263, 893)
    assert ((image[..., 0] > 200) & (image[..., 1] > 180) & (image[..., 2] < 200)).any()

    by_path = runner.invoke(
        cli, ["show", PDF_NAME, "--page", "1", "--mark", "Introduction.", "--png", str(out), *where]
    )
    assert by_path.exit_code == 0 and "page 1 of" in by_path.output
    for refused, why in ((XSS_NAME, "only PDFs"), ("../secret.pdf", "inside the documents")):
        result = runner.invoke(cli, ["show", refused, "--png", str(out), *where])
        assert result.exit_code == 1
        assert why in " ".join(result.output.split())


def test_ingest_makes_the_cross_encoders_exact_copy_so_the_first_question_need_not(tmp_path):
    """Where this CPU's signed products are exact the wheel's file runs and no copy is needed."""
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "minutes.txt").write_text("The board agreed the strategy.\n", encoding="utf-8")
    built = runner.invoke(cli, ["ingest", str(documents), "--index", str(tmp_path / "index")])
    assert built.exit_code == 0, built.output
    probed = json.loads((tmp_path / "models" / PROBE_CARD).read_text(encoding="utf-8"))
    assert list(probed["machines"].values()) == [signed_products_exact(tmp_path / "models")]
    copies = sorted(p.name for p in (tmp_path / "models").glob("reranker_en-*-unsigned.*"))
    if signed_products_exact(tmp_path / "models"):
        assert copies == []
        return
    assert [name.rsplit(".", 1)[1] for name in copies] == ["json", "onnx"]
    card = json.loads((tmp_path / "models" / copies[0]).read_text(encoding="utf-8"))
    assert card["converted"] is True
