"""The Decisions page: the register as a table, filtered, searched, opened, exported, compared."""

from __future__ import annotations

from tests.app.conftest import ask


def decisions_page(make_app, settings):
    app = make_app(settings).run()
    app.switch_page("pages_decisions.py").run()
    assert not app.exception, app.exception
    return app


def test_the_table_lists_every_decision_newest_first(app_library, make_app):
    app = decisions_page(make_app, app_library)
    table = app.dataframe[0].value
    assert list(table.columns)[:6] == [
        "Date",
        "Body",
        "Organisation",
        "Item",
        "Outcome",
        "Decision",
    ]
    assert len(table) == 8
    assert list(table["Date"]) == sorted(table["Date"], reverse=True)
    kent = table[table["Organisation"] == "Kent County Council"]
    assert sorted(kent["Outcome"]) == ["approved", "delegated", "delegated"]
    assert "8 of 8 decisions" in " ".join(c.value for c in app.caption)


def test_filters_and_search_narrow_the_table(app_library, make_app):
    app = decisions_page(make_app, app_library)
    app.multiselect(key="decision-orgs").set_value(["Leicester City Council"]).run()
    table = app.dataframe[0].value
    assert set(table["Organisation"]) == {"Leicester City Council"} and len(table) == 3
    app.multiselect(key="decision-orgs").set_value([]).run()
    app.multiselect(key="decision-outcomes").set_value(["delegated"]).run()
    assert set(app.dataframe[0].value["Outcome"]) == {"delegated"}
    app.multiselect(key="decision-outcomes").set_value([]).run()
    app.text_input(key="decision-query").input("consultation dates").run()
    assert not app.exception, app.exception
    assert "consultation phase" in app.dataframe[0].value["Decision"].iloc[0]


def test_a_decision_opens_in_its_minutes_and_exports(app_library, make_app):
    app = decisions_page(make_app, app_library)
    app.multiselect(key="decision-outcomes").set_value(["delegated"]).run()
    app.selectbox(key="decision-open").set_value(0).run()
    assert not app.exception, app.exception
    shown = " ".join(str(h.proto.body) for h in app.get("html"))
    assert "<mark>" in shown and "RESOLVED that Cabinet agree to" in shown
    assert [b.proto.label for b in app.get("download_button")] == [
        "Export CSV",
        "Export Markdown",
    ]


def test_compare_across_councils_groups_by_organisation(app_library, make_app):
    app = decisions_page(make_app, app_library)
    app.toggle(key="decision-compare").set_value(True).run()
    assert not app.exception, app.exception
    headings = [s.value for s in app.subheader]
    assert headings == ["Kent County Council", "Leicester City Council", "Medway Council"]
    assert len(app.dataframe) == 3


def test_the_ask_page_shows_decisions_above_the_passages(app_library, make_app):
    app = make_app(app_library).run()
    ask(app, "What did the Leicester board resolve?")
    blocks = [str(h.proto.body) for h in app.get("html")]
    decisions = next(i for i, b in enumerate(blocks) if "precedent-decisions" in b)
    cards = [i for i, b in enumerate(blocks) if "precedent-card" in b]
    assert cards and decisions < cards[0]
    assert "consultation phase be noted" in blocks[decisions]
    ask(app, "What is the BCF?")
    assert not any("precedent-decisions" in str(h.proto.body) for h in app.get("html"))
