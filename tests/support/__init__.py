"""Helpers shared by the test suites (a real local feed server); never imported by the app."""
