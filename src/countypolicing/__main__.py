"""``python -m countypolicing``."""

import sys

from countypolicing._cli import main

if __name__ == "__main__":
    sys.exit(main())
