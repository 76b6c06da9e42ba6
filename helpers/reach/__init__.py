"""who-we-reach: are we reaching the people and places that need us?

``lookup`` turns postcodes into local authority, neighbourhood and deprivation decile offline;
``directory`` keeps a volunteer's copy of the ONS Postcode Directory (``surgery data add``);
``profile`` compares clients with residents; ``findings`` decides each conclusion by its rule;
``accuracy`` says how often the neighbourhood estimate is right in each council; ``words`` writes
the report's sentences and claims from those findings.
"""

from helpers.reach.directory import DOWNLOAD_ADDRESS, add_directory, cache_folder, directory_about
from helpers.reach.lookup import INDEX_NAME, NEAREST_ACCURACY, STATUSES, Lookup, look_up_postcodes, lsoa_reference
from helpers.reach.analysis import (DATA_SOURCES, REACH_COLUMNS, Reach, analyse, reach_rows, status_counts, summary_figures,
                                    write_reach_files, years)
from helpers.reach.accuracy import CouncilAccuracy, clients_councils_accuracy, council_accuracy, national_accuracy
from helpers.reach.charts import dot_map, profile_chart
from helpers.reach.findings import (GroupGap, Representation, compare_groups, compare_years, group_counts,
                                    representation)
from helpers.reach.profile import (TOO_FEW, areas_table, decile_table, group_table, shown_count, shown_rate,
                                   shown_share)
from helpers.reach.words import (DIRECTORY_HINT, accuracy_claim, accuracy_table, chart_words, council_table,
                                 group_claim, main_points, next_steps, outside_sentence, rate_table,
                                 representation_claim, share_words, status_table, year_claim)

__all__ = [
    "accuracy_claim", "accuracy_table", "add_directory", "analyse", "areas_table", "cache_folder",
    "chart_words", "clients_councils_accuracy", "compare_groups", "compare_years", "council_accuracy",
    "council_table", "CouncilAccuracy", "DATA_SOURCES", "decile_table", "DIRECTORY_HINT", "directory_about",
    "dot_map", "DOWNLOAD_ADDRESS", "group_claim", "group_counts", "group_table", "GroupGap", "INDEX_NAME",
    "look_up_postcodes", "Lookup", "lsoa_reference", "main_points", "national_accuracy", "NEAREST_ACCURACY",
    "next_steps", "outside_sentence", "profile_chart", "rate_table", "Reach", "REACH_COLUMNS", "reach_rows",
    "representation", "representation_claim", "Representation", "share_words", "shown_count", "shown_rate",
    "shown_share", "status_counts", "status_table", "STATUSES", "summary_figures", "TOO_FEW",
    "write_reach_files", "year_claim", "years",
]
