"""The conflictdata test suite."""
