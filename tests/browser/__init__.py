"""Tests of the workshop dashboard in a real browser."""
