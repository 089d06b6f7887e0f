"""Exports: what leaves the workspace as documents. No UI here; the CLI and the export screen both call `render`."""

from tui.export.exporter import EXPORTS_FOLDER, FORMATS, Options, Rendered, record_export, render, write_export

__all__ = ["EXPORTS_FOLDER", "FORMATS", "Options", "Rendered", "record_export", "render", "write_export"]
