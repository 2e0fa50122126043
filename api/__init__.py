"""Toàn Trình REST API (Flask)."""
