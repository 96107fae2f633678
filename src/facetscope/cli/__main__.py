import sys

from facetscope.cli import main

sys.exit(main())
