"""Forms: the form model, readers for text/CSV/XLSX files, and realignment of shifted rows."""
