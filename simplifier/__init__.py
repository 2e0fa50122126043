"""Toàn Trình simplifier: pure analysis of procedure models (no I/O)."""
