"""python -m fulian_desktop.cli …"""

import sys

from .main import main

raise SystemExit(main(sys.argv[1:]))
