"""Benchmarks for haelapp: `python bench/run.py` (see bench/README.md)."""
