"""Fictional demo and test data."""
