"""who-we-reach: are we reaching the people and places that need us?

``lookup`` turns postcodes into local authority, neighbourhood and deprivation decile offline;
``directory`` keeps a volunteer's copy of the ONS Postcode Directory (``surgery data add``);
``profile`` compares clients with residents; ``words`` writes the report's sentences.
"""

from helpers.reach.directory import DOWNLOAD_ADDRESS, add_directory, cache_folder, directory_about
from helpers.reach.lookup import INDEX_NAME, STATUSES, Lookup, look_up_postcodes, lsoa_reference
