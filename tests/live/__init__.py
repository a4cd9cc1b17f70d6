"""Tests that run the site as real processes (qcluster, gunicorn, a throw-away PostgreSQL)."""
