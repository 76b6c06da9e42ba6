"""Writing for the charity: sentences, tables, charts, workbooks and masks for anything personal."""

#: Where a notebook output carries the phone drawing of a chart (base64 PNG, beside ``image/png``):
#: written by :func:`helpers.writing.charts.show_chart`, offered to phones by the report's template.
#: JupyterLab has no renderer for it and shows the page drawing. Kept here, free of matplotlib,
#: so that the report renderer can name it without importing the charting stack.
PHONE_MIMETYPE = "image/vnd.data-surgery.phone+png"
