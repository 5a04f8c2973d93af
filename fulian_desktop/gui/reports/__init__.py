"""统计与台账: the statistics page, importing registers, exporting to Excel."""
