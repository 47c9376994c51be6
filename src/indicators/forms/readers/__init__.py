"""Readers: each turns one file format into :class:`~indicators.forms.layout.Sheet` grids (or a Form).

``text`` reads tab-separated text and CSV, ``xlsx`` reads workbooks with openpyxl, ``jsonfile`` reads a
form exported with ``Form.model_dump_json()``. Choosing among them is :mod:`indicators.forms.io`'s job.
"""
