"""Speed benchmarks: ``make bench`` (``python -m benchmarks``). Never part of the tests."""
