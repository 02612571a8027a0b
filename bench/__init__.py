"""Benchmarks of Switchboard against the real suite.

``python -m bench``; see docs/performance.md.
"""
