"""Writing for the charity: sentences, tables, charts, workbooks and masks for anything personal."""
