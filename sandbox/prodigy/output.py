"""Printing, the way Prodigy prints: its ✔/✘/ℹ/⚠ messages come from wasabi's Printer, on stdout.

Rules copied from wasabi (github.com/explosion/wasabi, wasabi/printer.py `Printer.text`,
wasabi/util.py `supports_ansi`, `color`, `wrap`):

* a message is `ICON TITLE`, coloured with `ESC[38;5;Nm … ESC[0m` (green 2 good, red 1 fail,
  yellow 3 warn, blue 4 info) whenever colour is supported, which wasabi decides without asking
  whether stdout is a terminal: only `ANSI_COLORS_DISABLED` (or `WASABI_LOG_FRIENDLY`) turns it
  off. `NO_COLOR` is not read by wasabi, so it is not read here either;
* the title is wrapped at 80 columns (textwrap, escape codes counted), the optional text goes
  on the following lines;
* a message that exits (`msg.fail(…, exits=1)`) is framed by empty lines, then the process exits.

Supervisors read these streams line by line, so every line is flushed at once.
"""

import os
import sys
import textwrap
import time

_COLORS = {"good": 2, "fail": 1, "warn": 3, "info": 4}
_ICONS = {"good": "\u2714", "fail": "\u2718", "warn": "\u26a0", "info": "\u2139"}


def use_utf8() -> None:
    # The banner and summary carry ✨ and ✔; a C locale or a Windows console must not turn them into a crash.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def show_color() -> bool:
    return not os.environ.get("ANSI_COLORS_DISABLED") and not os.environ.get("WASABI_LOG_FRIENDLY")


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=80, break_long_words=False, break_on_hyphens=False)


def say(line: str = "") -> None:
    """A plain line on stdout (the banner, tables, JSONL)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def err(line: str) -> None:
    """A line on stderr: uvicorn's log lines and Python's tracebacks go there."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def message(style: str, title: str, text: str = "", exits: int | None = None) -> None:
    line = f"{_ICONS[style]} {title}".strip()
    if show_color():
        line = f"\x1b[38;5;{_COLORS[style]}m{line}\x1b[0m"
    line = _wrap(line)
    if text:
        line = f"{line}\n{_wrap(text)}"
    if exits is not None:
        line = f"\n{line}\n"
    say(line)
    if exits is not None:
        sys.exit(exits)


def good(title: str, text: str = "") -> None:
    message("good", title, text)


def info(title: str, text: str = "") -> None:
    message("info", title, text)


def warn(title: str, text: str = "") -> None:
    message("warn", title, text)


def fail(title: str, text: str = "", exits: int | None = None) -> None:
    message("fail", title, text, exits)


def logging_level() -> str:
    level = os.environ.get("PRODIGY_LOGGING", "").strip().lower()
    return level if level in ("basic", "verbose") else ""


def log(category: str, message_text: str, verbose: bool = False) -> None:
    """`HH:MM:SS: CATEGORY: message` when PRODIGY_LOGGING asks for it.

    Which stream Prodigy's log lines use is not documented (CONTRACTS §C); the stand-in takes the
    worse case for a reader of stdout and prints them there, so a CLI call whose stdout is data
    shows what happens when PRODIGY_LOGGING is passed on to it."""
    level = logging_level()
    if not level or (verbose and level != "verbose"):
        return
    say(f"{time.strftime('%H:%M:%S')}: {category}: {message_text}")
