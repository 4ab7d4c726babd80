"""Errors that end a command with a message for a person, not a traceback."""


class UserError(Exception):
    """Printed as-is on stderr; the process exits with `code`."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class HTTPError(Exception):
    """Answered as JSON `{"error": message}` with `status`."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
