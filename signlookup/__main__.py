import sys

from signlookup.cli import main

sys.exit(main())
