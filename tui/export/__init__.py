"""Exports: what leaves the workspace as documents. No UI here; the CLI and the export screen both call `render`."""

from tui.export.exporter import FORMATS, Options, Rendered, record_export, render

__all__ = ["FORMATS", "Options", "Rendered", "record_export", "render"]
