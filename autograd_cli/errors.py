"""The one error type the command line reports as a single line on stderr (never a traceback)."""
from __future__ import annotations


class CLIError(Exception):
    """A mistake the user can act on: bad input, unknown name, domain error, unreadable file.

    `column` (1-based) points into the expression when the error is about a place in it; `code`
    is the exit status (1 for a failed computation or file, 2 for a wrong choice on the command line).
    """

    def __init__(self, message: str, column: int | None = None, *, code: int = 1) -> None:
        self.message = message
        self.column = column
        self.code = code
        super().__init__(self.text())

    def text(self) -> str:
        """The message, with ' (column N)' appended when a column is known."""
        return self.message if self.column is None else f"{self.message} (column {self.column})"


class GraphTooLargeToDraw(CLIError):
    """viz refused to draw a graph over its node limit (the message is viz's own advice)."""
