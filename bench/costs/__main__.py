"""``python -m bench.costs``: the per-request cost tables (``make bench-costs``)."""

from bench.costs.run import main

main()
