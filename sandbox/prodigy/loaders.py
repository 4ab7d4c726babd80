"""Reading JSONL (sources and db-in files) and label lists. Every problem names the file and line."""

import json
import sys
from pathlib import Path

from .errors import UserError


def strict_json(text: str):
    """json.loads without NaN/Infinity, which Python accepts but browsers and JSON.parse do not."""

    def refuse(name):
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def read_jsonl(path: str, what: str = "source file") -> list[tuple[int, dict]]:
    """(line number, object) for every non-blank line; `-` reads stdin. Stops at the first bad line."""
    if path == "-":
        lines = sys.stdin.read().splitlines()
        shown = "stdin"
    else:
        file = Path(path).expanduser()
        if not file.exists():
            raise UserError(f"Can't find {what}: {path}")
        if file.is_dir():
            raise UserError(f"The {what} is a folder, not a JSONL file: {path}")
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as error:
            raise UserError(f"Can't read {what} {path}: not UTF-8 text (byte {error.start})")
        except OSError as error:
            raise UserError(f"Can't read {what} {path}: {error.strerror}")
        shown = path
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = strict_json(line)
        except json.JSONDecodeError as error:
            raise UserError(f"Invalid JSON on line {number} of {shown}: {error.msg} (column {error.colno})")
        except ValueError as error:
            raise UserError(f"Invalid JSON on line {number} of {shown}: {error}")
        if not isinstance(value, dict):
            raise UserError(f"Invalid task on line {number} of {shown}: expected a JSON object, got {type(value).__name__}")
        records.append((number, value))
    return records


def parse_labels(value: str | None) -> list[str] | None:
    """`A,B,C`, or the path of a text file with one label per line (as Prodigy's manual recipes accept)."""
    if value is None:
        return None
    file = Path(value).expanduser()
    if "," not in value and file.is_file():
        try:
            items = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"Can't read the label file {value}: {error}")
    else:
        items = value.split(",")
    labels = list(dict.fromkeys(label.strip() for label in items if label.strip()))
    if not labels:
        raise UserError("--label is empty: give a comma-separated list such as --label PERSON,ORG")
    return labels
