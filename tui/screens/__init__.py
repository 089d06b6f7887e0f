"""Screens and dialogs of the planning app."""
