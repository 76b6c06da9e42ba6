"""Test data shared by the dedupe tests."""

import pandas as pd

# Three records of one supporter, typed in by three volunteers (the example).
BOB = pd.DataFrame({
    "Contact ID": ["X1", "X2", "X3"],
    "First name": ["Bob", "Robert", "Robert"],
    "Surname": ["Smith", "Smith", "SMITH"],
    "Email": ["bob.smith@example.org", None, "Bob.Smith@example.org "],
    "Phone": ["07700 900123", "+44 7700 900123", "0044 7700 900123"],
    "Address": ["1 Old Road", "1 Old Rd", "99 New Street"],
    "Town": ["Leeds", "Leeds", "York"],
    "Postcode": ["LS6 1AA", "ls61aa", "YO10 5DD"],
    "Date of birth": ["01/02/1970", None, "01/02/1970"],
    "Supporter type": ["Donor", "Donor", "Member"],
    "Date added": ["01/01/2018", "01/01/2019", "01/01/2023"],
})
