"""deduplicate-contacts: who is in our contact list twice?

The playbook imports everything it uses from here. Behind it:

* ``tidy`` puts names, emails, phones and postcodes in one form;
* ``columns`` decides which columns to compare and each record's id;
* ``model`` links records with splink (comparisons, blocking, training, clusters);
* ``review`` writes the files the charity works from (review.xlsx, deduplicated.xlsx, clusters.csv);
* ``families`` splits groups whose dates of birth cannot be one person's;
* ``decisions`` applies a filled-in review.xlsx (Yes merged, No kept apart): merged.xlsx and merge_log.csv;
* ``words`` and ``charts`` make the report's sentences, tables and charts.
"""

from helpers.contacts.charts import (detail_evidence, match_weight_chart, probability_chart,
                                     probability_counts_in_bands)
from helpers.contacts.columns import ContactColumns, find_contact_columns, find_recency_column
from helpers.contacts.model import LinkageResult, link_contacts, pairwise_precision_recall
from helpers.contacts.review import REVIEW_GROUP_LIMIT, write_outputs
from helpers.contacts.words import (field_influence, probability_words, summary_figures, threshold_table,
                                    worked_examples)

__all__ = [
    "REVIEW_GROUP_LIMIT", "ContactColumns", "LinkageResult", "detail_evidence", "field_influence", "find_contact_columns",
    "find_recency_column", "link_contacts", "match_weight_chart", "pairwise_precision_recall",
    "probability_chart", "probability_counts_in_bands", "probability_words", "summary_figures", "threshold_table", "worked_examples", "write_outputs",
]
