"""Reusable widgets of the planning app, each with its own default styles."""
