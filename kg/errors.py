"""Errors a user can act on: the CLI prints them as one line, never a traceback."""


class KgError(Exception):
    """A problem with the user's input (a file, a query, an option), worded for the user."""

    exit_code = 1



class UsageError(KgError):
    """A malformed request: a bad query, an unknown name, a missing parameter."""

    exit_code = 2
