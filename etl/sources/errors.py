"""The error every source adapter raises for a file it cannot read as a whole."""


class SourceError(RuntimeError):
    """A source file cannot be read as a whole. The message names the file and a line, never its content."""
