"""The on-disk JSON-lines tables are read a record at a time, exactly as written."""

from __future__ import annotations

import pytest

from index.store import JsonLines


def test_records_come_back_by_position_and_slice(tmp_path):
    path = tmp_path / "records.jsonl"
    records = [{"n": n, "text": f"passage {n} – “quoted”"} for n in range(5)]
    JsonLines.write(path, records)
    table = JsonLines(path, dict)
    assert len(table) == 5
    assert table[0] == records[0] and table[-1] == records[4]
    assert table[1:3] == records[1:3]
    assert list(table) == records
    with pytest.raises(IndexError):
        table[5]


def test_an_empty_table_opens(tmp_path):
    path = tmp_path / "empty.jsonl"
    JsonLines.write(path, [])
    assert len(JsonLines(path, dict)) == 0
