"""Errors that end a command with a message for a person, not a traceback."""


class UserError(Exception):
    """Printed as a wasabi `✘` line on stdout (as Prodigy's `msg.fail(…, exits=1)`); exit `code`."""

    def __init__(self, message: str, code: int = 1, text: str = ""):
        super().__init__(message)
        self.code = code
        self.text = text


class UsageError(Exception):
    """A command line argparse cannot parse: usage and `error: …` on stderr, exit 2.

    Prodigy (v1.12+) declares recipe arguments with radicli, which parses them with Python's
    argparse; argparse reports a bad command line that way (docs.python.org, argparse,
    ArgumentParser.error)."""

    def __init__(self, usage: str, message: str):
        super().__init__(message)
        self.usage = usage
        self.message = message


class HTTPError(Exception):
    """Answered as JSON `{"error": message}` with `status`."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
