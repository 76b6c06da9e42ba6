"""impact-measurement: what changed for the people we support?

The playbook imports everything it uses from here; behind it, ``scales`` holds the
published wellbeing scales, ``collect`` reads each person's scores from a file of any
shape, ``statistics`` the paired tests and intervals, ``outcomes`` the whole analysis
(``measure_impact``), ``words`` the report's sentences, tables and charts.
"""

from helpers.impact.outcomes import measure_impact
from helpers.impact.scale_words import (
    bands_in_words,
    others_improved_in_words,
    bands_table,
    categories_in_words,
    categories_table,
    change_in_words,
    measures_table,
    scale_in_words,
)
from helpers.impact.words import (
    average_in_words,
    before_after_chart,
    caveats,
    change_chart,
    columns_in_words,
    effect_size_words,
    effect_sizes_in_words,
    figures_table,
    groups_in_words,
    groups_table,
    headline,
    holm_in_words,
    main_points,
    next_steps,
    p_in_words,
    p_meaning,
    people_table,
    report_claims,
    summary_text,
    threshold_in_words,
    who_is_missing,
)

__all__ = [
    "average_in_words",
    "holm_in_words",
    "others_improved_in_words",
    "report_claims",
    "bands_in_words",
    "bands_table",
    "before_after_chart",
    "categories_in_words",
    "categories_table",
    "caveats",
    "change_chart",
    "change_in_words",
    "columns_in_words",
    "effect_size_words",
    "effect_sizes_in_words",
    "figures_table",
    "groups_in_words",
    "groups_table",
    "headline",
    "main_points",
    "measure_impact",
    "measures_table",
    "next_steps",
    "p_in_words",
    "p_meaning",
    "people_table",
    "scale_in_words",
    "summary_text",
    "threshold_in_words",
    "who_is_missing",
]
