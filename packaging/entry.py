"""Entry point of the frozen app: the same `signlookup` command (no argument opens the window)."""

import multiprocessing
import sys

from signlookup.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
