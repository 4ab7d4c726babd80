"""The SQLite database, in Prodigy's classic three-table layout:

    dataset(id, name UNIQUE, created, meta, session)   session=1 for session datasets
    example(id, input_hash, task_hash, content)        content = the example as JSON
    link(id, example_id, dataset_id)                   an example belongs to several datasets

WAL and a busy timeout, because the app reads the file while the server writes it.
One connection serves the threaded web server, so every call takes `lock`.
"""

import json
import sqlite3
import threading
import time
from pathlib import Path

from .errors import UserError

DB_NAME = "SQLite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dataset (id INTEGER PRIMARY KEY, name TEXT UNIQUE, created INTEGER, meta TEXT, session INTEGER);
CREATE TABLE IF NOT EXISTS example (id INTEGER PRIMARY KEY, input_hash INTEGER, task_hash INTEGER, content TEXT);
CREATE TABLE IF NOT EXISTS link (id INTEGER PRIMARY KEY, example_id INTEGER, dataset_id INTEGER);
CREATE INDEX IF NOT EXISTS link_dataset_id ON link (dataset_id);
CREATE INDEX IF NOT EXISTS link_example_id ON link (example_id);
CREATE INDEX IF NOT EXISTS example_input_hash ON example (input_hash);
CREATE INDEX IF NOT EXISTS example_task_hash ON example (task_hash);
"""


def dumps(example: dict) -> str:
    return json.dumps(example, ensure_ascii=False, separators=(",", ":"))


class Database:
    def __init__(self, path: str):
        self.path = path
        self.lock = threading.RLock()
        if path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UserError(f"Can't create the database folder for {path}: {error.strerror}")
        try:
            # Autocommit mode; writes group themselves with explicit BEGIN IMMEDIATE … COMMIT.
            self.conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise UserError(f"Can't open the database {path}: {error}")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # Datasets -------------------------------------------------------------------------------

    def dataset_id(self, name: str) -> int | None:
        with self.lock:
            row = self.conn.execute("SELECT id FROM dataset WHERE name = ?", (name,)).fetchone()
            return row[0] if row else None

    def dataset_info(self, name: str) -> dict | None:
        with self.lock:
            row = self.conn.execute("SELECT id, name, created, meta, session FROM dataset WHERE name = ?", (name,)).fetchone()
        if not row:
            return None
        try:
            meta = json.loads(row[3] or "{}")
        except json.JSONDecodeError:
            meta = {}
        return {"id": row[0], "name": row[1], "created": row[2], "meta": meta, "session": bool(row[4])}

    def add_dataset(self, name: str, meta: dict | None = None, session: bool = False) -> tuple[int, bool]:
        """(id, created now?) — an existing dataset is reused, as Prodigy does."""
        with self.lock:
            existing = self.dataset_id(name)
            if existing is not None:
                return existing, False
            cursor = self.conn.execute(
                "INSERT INTO dataset (name, created, meta, session) VALUES (?, ?, ?, ?)",
                (name, int(time.time()), json.dumps(meta or {}), 1 if session else 0),
            )
            return cursor.lastrowid, True

    def datasets(self, session: bool) -> list[str]:
        with self.lock:
            rows = self.conn.execute("SELECT name FROM dataset WHERE session = ? ORDER BY id", (1 if session else 0,)).fetchall()
        return [row[0] for row in rows]

    def drop_dataset(self, name: str) -> bool:
        """Removes the dataset, its links, and the examples no other dataset links to."""
        with self.lock:
            dataset_id = self.dataset_id(name)
            if dataset_id is None:
                return False
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute("DELETE FROM link WHERE dataset_id = ?", (dataset_id,))
                self.conn.execute("DELETE FROM dataset WHERE id = ?", (dataset_id,))
                self.conn.execute("DELETE FROM example WHERE NOT EXISTS (SELECT 1 FROM link WHERE link.example_id = example.id)")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            return True

    # Examples -------------------------------------------------------------------------------

    def examples(self, name: str) -> list[tuple[int, dict]]:
        """(example id, example) in the order they were added to the dataset."""
        with self.lock:
            rows = self.conn.execute(
                """SELECT example.id, example.content FROM example
                   JOIN link ON link.example_id = example.id
                   JOIN dataset ON dataset.id = link.dataset_id
                   WHERE dataset.name = ? ORDER BY link.id""",
                (name,),
            ).fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def count_examples(self, name: str) -> int:
        with self.lock:
            row = self.conn.execute(
                "SELECT COUNT(*) FROM link JOIN dataset ON dataset.id = link.dataset_id WHERE dataset.name = ?", (name,)
            ).fetchone()
        return row[0]

    def add_examples(self, examples: list[dict], datasets: list[str]) -> list[int]:
        """Stores examples and links each to every dataset named (which must exist), in one transaction."""
        with self.lock:
            dataset_ids = []
            for name in dict.fromkeys(datasets):
                dataset_id = self.dataset_id(name)
                if dataset_id is None:
                    raise ValueError(f"no dataset {name!r}")
                dataset_ids.append(dataset_id)
            ids = []
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for example in examples:
                    cursor = self.conn.execute(
                        "INSERT INTO example (input_hash, task_hash, content) VALUES (?, ?, ?)",
                        (example.get("_input_hash"), example.get("_task_hash"), dumps(example)),
                    )
                    ids.append(cursor.lastrowid)
                    self.conn.executemany(
                        "INSERT INTO link (example_id, dataset_id) VALUES (?, ?)",
                        [(cursor.lastrowid, dataset_id) for dataset_id in dataset_ids],
                    )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            return ids


def timestamp_session_name() -> str:
    """The name of a run's own session dataset, as Prodigy names it: local time, YYYY-MM-DD_HH-MM-SS."""
    return time.strftime("%Y-%m-%d_%H-%M-%S")
