"""The optional metadata file beside the documents, where people correct what we inferred.

`documents/metadata.yaml` maps file names to fields:

    Printed minutes 30th-Jan-2025.pdf:
      title: Cabinet minutes
      date: 2025-01-30

or `documents/metadata.csv` has the columns file,title,organisation,doc_type,date,body.
`body` names the meeting's deciding body ("Health and Wellbeing Board") for the decisions
register, when the minutes do not state it; `date` is then also the meeting's date.
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import yaml

SIDECAR_NAMES = ("metadata.yaml", "metadata.yml", "metadata.csv")
FIELDS = ("title", "organisation", "doc_type", "date", "body")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class SidecarError(Exception):
    """A metadata file that cannot be used, with where the problem is so it can be fixed."""

    def __init__(self, path: Path, where: str, problem: str) -> None:
        super().__init__(f"{path}: {where}: {problem}")
        self.path = path
        self.where = where
        self.problem = problem


def load_sidecar(folder: Path) -> dict[str, dict[str, str]]:
    """Fields per document, keyed by path relative to `folder` with forward slashes; {} if none."""
    found = [folder / name for name in SIDECAR_NAMES if (folder / name).is_file()]
    if not found:
        return {}
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        raise SidecarError(folder, "folder", f"both {names} found; keep only one")
    path = found[0]
    return _load_csv(path) if path.suffix == ".csv" else _load_yaml(path)


def _load_yaml(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(err, "problem", None) or str(err)
        raise SidecarError(path, where, f"not valid YAML ({problem})") from err
    except UnicodeDecodeError as err:
        raise SidecarError(path, "file", "not UTF-8 text") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SidecarError(path, "file", "expected a mapping of file names to fields")
    entries: dict[str, dict[str, str]] = {}
    for name, fields in data.items():
        where = f"entry {name!r}"
        if not isinstance(fields, dict):
            raise SidecarError(path, where, "expected fields such as title: and date:")
        _add(entries, path, where, str(name), {str(key): value for key, value in fields.items()})
    return entries


def _load_csv(path: Path) -> dict[str, dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [column.strip() for column in reader.fieldnames or []]
            if "file" not in columns:
                raise SidecarError(path, "line 1", "needs a 'file' column")
            unknown = set(columns) - {"file", *FIELDS}
            if unknown:
                raise SidecarError(
                    path, "line 1", f"unknown columns {sorted(unknown)}; use {FIELDS}"
                )
            entries: dict[str, dict[str, str]] = {}
            for row in reader:
                where = f"line {reader.line_num}"
                if None in row:
                    raise SidecarError(path, where, "more cells than columns")
                values = {key.strip(): value for key, value in row.items() if key}
                name = (values.pop("file") or "").strip()
                if not name:
                    raise SidecarError(path, where, "empty 'file' cell")
                _add(entries, path, where, name, values)
    except UnicodeDecodeError as err:
        raise SidecarError(path, "file", "not UTF-8 text") from err
    except csv.Error as err:
        raise SidecarError(path, "file", f"not valid CSV ({err})") from err
    return entries


def _add(
    entries: dict[str, dict[str, str]], path: Path, where: str, name: str, fields: dict[str, object]
) -> None:
    key = name.strip().replace("\\", "/").removeprefix("./")
    if key in entries:
        raise SidecarError(path, where, f"{key!r} is listed twice")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise SidecarError(path, where, f"unknown fields {sorted(unknown)}; use {FIELDS}")
    clean: dict[str, str] = {}
    for field, value in fields.items():
        text = _text(value)
        if not text:
            continue  # an empty cell keeps the inferred value
        if field == "date" and not _ISO_DATE.match(text):
            raise SidecarError(path, where, f"date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        clean[field] = text
    entries[key] = clean


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]  # YAML reads an unquoted 2025-01-30 as a date
    return " ".join(str(value).split())
