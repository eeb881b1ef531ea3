"""``python -m analysis.pipeline.synth OUT_DIR --reports N``: see :func:`analysis.pipeline.synth.main`."""

import sys

from analysis.pipeline.synth import main

if __name__ == "__main__":
    sys.exit(main())
