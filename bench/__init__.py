"""Benchmarks of the portal at a chosen scale (issue 7).

``bench.generate`` loads realistic data in bulk (COPY) into a database of its own,
deterministically for a seed; ``bench.run`` (``make bench``) measures each scenario against it
and writes a Markdown and a JSON report under ``bench-reports/``.
"""
