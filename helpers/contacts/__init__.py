"""deduplicate-contacts: who is in our contact list twice?

The playbook imports everything it uses from here; behind it, ``tidy`` puts names,
emails, phones and postcodes in one form and ``linkage`` links records with splink.
"""

from helpers.contacts.linkage import (
    REVIEW_GROUP_LIMIT,
    field_influence,
    find_contact_columns,
    find_recency_column,
    link_contacts,
    match_weight_chart,
    probability_chart,
    summary_figures,
    threshold_table,
    worked_examples,
    write_outputs,
)

__all__ = [
    "REVIEW_GROUP_LIMIT", "field_influence", "find_contact_columns", "find_recency_column", "link_contacts",
    "match_weight_chart", "probability_chart", "summary_figures", "threshold_table", "worked_examples",
    "write_outputs",
]
