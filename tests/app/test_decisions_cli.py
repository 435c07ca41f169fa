"""`precedent decisions`, `precedent eval-decisions` and the Decisions block of `ask`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO

runner = CliRunner()
FIELDS = {"body", "organisation", "date", "item", "outcome", "text", "source", "page", "score"}


def _json(*args: str) -> object:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_decisions_json_lists_the_register_newest_first(seeds_settings):
    decisions = _json("decisions", "--json", "--index", str(seeds_settings.index_dir))
    assert len(decisions) == 8 and FIELDS <= set(decisions[0])
    first = decisions[0]
    assert (first["date"], first["body"], first["organisation"], first["outcome"]) == (
        "2025-01-30",
        "Cabinet",
        "Kent County Council",
        "approved",
    )
    leicester = [d for d in decisions if d["organisation"] == "Leicester City Council"]
    assert {d["body"] for d in leicester} == {"Health and Wellbeing Board"}  # from the sidecar
    assert leicester[0]["item"] == "HEALTH AND WELLBEING STRATEGY"


def test_decisions_filters_and_ranks(seeds_settings):
    index = ["--index", str(seeds_settings.index_dir)]
    delegated = _json("decisions", "--outcome", "delegated", "--json", *index)
    assert [d["outcome"] for d in delegated] == ["delegated", "delegated"]
    assert _json("decisions", "--org", "medway", "--since", "2026", "--json", *index) == []
    ranked = _json("decisions", "consultation dates", "--k", "2", "--json", *index)
    assert "consultation phase be noted" in ranked[0]["text"] and ranked[0]["score"] > 0
    bad = runner.invoke(cli, ["decisions", "--outcome", "won", *index])
    assert bad.exit_code != 0 and "unknown outcome" in bad.output


def test_decisions_terminal_lines_show_date_body_item_outcome_and_file(seeds_settings):
    result = runner.invoke(cli, ["decisions", "--index", str(seeds_settings.index_dir)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "8 decisions" in text
    assert "Health and Wellbeing Board · HEALTH AND WELLBEING STRATEGY · noted" in text
    assert "leicester-hwb-health-and-wellbeing-strategy-minutes.txt" in text


def test_ask_puts_matching_decisions_first_when_asked_what_was_resolved(seeds_settings):
    index = ["--index", str(seeds_settings.index_dir)]
    payload = _json("ask", "What did the Leicester board resolve?", "--json", *index)
    assert payload["decisions"] and FIELDS <= set(payload["decisions"][0])
    assert any("consultation phase" in d["text"] for d in payload["decisions"])
    assert _json("ask", "What is the BCF?", "--json", *index)["decisions"] == []
    result = runner.invoke(cli, ["ask", "Who delegated authority for the delivery plan?", *index])
    assert result.exit_code == 0, result.output
    assert result.stdout.index("Decisions") < result.stdout.index("Q:")


def test_status_counts_decisions(seeds_settings):
    result = runner.invoke(cli, ["status", "--index", str(seeds_settings.index_dir)])
    assert result.exit_code == 0 and "8 decisions" in result.stdout


def test_eval_decisions_reports_precision_and_recall(seeds_settings):
    labels = REPO / "eval" / "decisions.jsonl"
    scores = _json(
        "eval-decisions", str(labels), "--json", "--index", str(seeds_settings.index_dir)
    )
    assert scores["extracted"] == 8 and scores["precision"] == 1.0
    assert scores["found"] == 8 and scores["ms_per_page"] > 0
