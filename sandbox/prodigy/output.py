"""Printing. Supervisors read these streams line by line, so every line is flushed at once."""

import os
import sys
import time


def use_utf8() -> None:
    # The banner and summary carry ✨ and ✔; a C locale or a Windows console must not turn them into a crash.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def err(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def logging_level() -> str:
    level = os.environ.get("PRODIGY_LOGGING", "").strip().lower()
    return level if level in ("basic", "verbose") else ""


def log(category: str, message: str, verbose: bool = False) -> None:
    """`HH:MM:SS: CATEGORY: message` on stderr when PRODIGY_LOGGING asks for it (stdout stays the contract lines)."""
    level = logging_level()
    if not level or (verbose and level != "verbose"):
        return
    err(f"{time.strftime('%H:%M:%S')}: {category}: {message}")
