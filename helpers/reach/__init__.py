"""who-we-reach: are we reaching the people and places that need us?

``lookup`` turns postcodes into local authority, neighbourhood and deprivation decile offline;
``directory`` keeps a volunteer's copy of the ONS Postcode Directory (``surgery data add``);
``profile`` compares clients with residents; ``words`` writes the report's sentences.
"""

from helpers.reach.directory import DOWNLOAD_ADDRESS, add_directory, cache_folder, directory_about
from helpers.reach.lookup import INDEX_NAME, NEAREST_ACCURACY, STATUSES, Lookup, look_up_postcodes, lsoa_reference
from helpers.reach.analysis import (DATA_SOURCES, REACH_COLUMNS, Reach, analyse, reach_rows, status_counts, summary_figures,
                                    write_reach_files, years)
from helpers.reach.charts import dot_map, profile_chart
from helpers.reach.profile import (TOO_FEW, areas_table, decile_table, group_table, shown_count, shown_rate,
                                   shown_share)
from helpers.reach.words import (comparison, council_table, headline, main_point_sentences, next_steps, rate_table,
                                 share_words, status_table)

__all__ = [
    "add_directory", "analyse", "areas_table", "cache_folder", "comparison", "council_table",
    "DATA_SOURCES", "decile_table", "directory_about", "dot_map", "DOWNLOAD_ADDRESS", "group_table",
    "headline", "INDEX_NAME", "look_up_postcodes", "Lookup", "lsoa_reference", "main_point_sentences",
    "NEAREST_ACCURACY", "next_steps", "profile_chart", "rate_table", "Reach", "REACH_COLUMNS",
    "reach_rows", "share_words", "shown_count", "shown_rate", "shown_share", "status_counts",
    "status_table", "STATUSES", "summary_figures", "TOO_FEW", "write_reach_files", "years",
]
