"""Shim kept so that ``python -m analysis.bench`` keeps working: the benchmark lives in
:mod:`analysis.pipeline.bench` (this module only calls its ``main``)."""

import sys

from analysis.pipeline.bench import main

if __name__ == "__main__":
    sys.exit(main())
