"""The benchmark's measurements, one module per section of docs/benchmarks.md; ``benchmarks/run.py``
runs them and writes the report."""
