"""Corrections to a document's metadata, written to the sidecar file that ingest reads.

Only the edited entry's fields change: other entries, and other fields of this entry, are kept.
The file in use (metadata.yaml, .yml or .csv) is edited in place; without one, metadata.yaml is
created. The file is replaced whole, so an ingest never reads half of it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

import yaml

from ingest.sidecar import FIELDS, SIDECAR_NAMES, SidecarError, load_sidecar

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def save_metadata(documents_dir: Path, source: str, values: dict[str, str]) -> Path:
    """Set `values` (title, organisation, doc_type, date) for `source`; an empty value is removed,
    so the value read from the file applies again. Returns the sidecar file written."""
    load_sidecar(documents_dir)  # refuse to edit a file that is already broken; it says where
    cleaned = {
        field: " ".join((values.get(field) or "").split()) for field in FIELDS if field in values
    }
    date = cleaned.get("date")
    if date and not _ISO_DATE.match(date):
        raise SidecarError(
            documents_dir / "metadata.yaml",
            f"entry {source!r}",
            f"date {date!r} is not YYYY-MM-DD, YYYY-MM or YYYY",
        )
    existing = [documents_dir / name for name in SIDECAR_NAMES if (documents_dir / name).is_file()]
    path = existing[0] if existing else documents_dir / "metadata.yaml"
    if path.suffix == ".csv":
        text = _edited_csv(path, source, cleaned)
    else:
        text = _edited_yaml(path, source, cleaned)
    _replace(path, text)
    load_sidecar(documents_dir)
    return path


def _key(name: str) -> str:
    return name.strip().replace("\\", "/").removeprefix("./")


def _merge(entry: dict[str, object], values: dict[str, str]) -> dict[str, object]:
    merged = dict(entry)
    for field, value in values.items():
        if value:
            merged[field] = value
        else:
            merged.pop(field, None)
    return merged


def _edited_yaml(path: Path, source: str, values: dict[str, str]) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) if path.is_file() else None
    data = data or {}
    key = next((name for name in data if _key(str(name)) == source), source)
    data[key] = _merge(data.get(key) or {}, values)
    if not data[key]:
        del data[key]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""


def _edited_csv(path: Path, source: str, values: dict[str, str]) -> str:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [column.strip() for column in reader.fieldnames or []]
        rows = [{key.strip(): value for key, value in row.items() if key} for row in reader]
    columns += [field for field in values if field not in columns]
    row = next((r for r in rows if _key(r.get("file") or "") == source), None)
    if row is None:
        row = {"file": source}
        rows.append(row)
    row.update({field: value for field, value in values.items()})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".metadata-", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
