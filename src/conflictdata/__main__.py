"""``python -m conflictdata``: the command line."""

from conflictdata.cli import run

if __name__ == "__main__":
    run()
