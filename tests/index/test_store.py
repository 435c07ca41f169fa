"""The on-disk JSON-lines tables are read a record at a time, exactly as written."""

from __future__ import annotations

import numpy as np
import pytest

from index.store import EmbeddingRows, JsonLines


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


def test_embedding_rows_read_from_disk_match_the_saved_array(tmp_path):
    saved = np.random.default_rng(0).normal(size=(7, 5)).astype(np.float32)
    np.save(tmp_path / "embeddings.npy", saved)
    rows = EmbeddingRows(tmp_path / "embeddings.npy")
    assert len(rows) == 7 and rows.shape == (7, 5)
    np.testing.assert_array_equal(rows[3], saved[3])
    np.testing.assert_array_equal(rows[-1], saved[-1])
    np.testing.assert_array_equal(rows[2:5], saved[2:5])
    np.testing.assert_array_equal(rows[::3], saved[::3])
    np.testing.assert_array_equal(rows[[6, 0, 6]], saved[[6, 0, 6]])
    np.testing.assert_array_equal(np.asarray(rows), saved)
    assert rows[5:2].shape == (0, 5)
    with pytest.raises(IndexError):
        rows[7]
    empty = tmp_path / "empty.npy"
    np.save(empty, np.empty((0, 5), dtype=np.float32))
    assert np.asarray(EmbeddingRows(empty)).shape == (0, 5)
