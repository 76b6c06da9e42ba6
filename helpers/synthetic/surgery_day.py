"""The sample for plan-a-surgery-day: 30 charities' requests and 15 volunteers' sign-ups, as the kit's forms export them.

The requests are written the way charities write them (plain words, a tool or two, what they could
bring), each with the kind of help planted for the triage test (``surgery-requests-truth.csv``, not
part of the export). Availability is what forms offer: morning, afternoon, any time, or hours.
The kit's two forms are written too, as plain text to paste into Microsoft Forms or Google Forms.

After the day: the post-session feedback form's export (``surgery-feedback.csv``), one response from most
charities that had a session on the sample's plan, plus the faults real exports have: an organisation
typed differently from its request ("hackney  pantry", "Kilburn Womens Centre"), one that came on the day
without a request, a blank rating, and comments with a contact's name, email and phone in them. The
third form, the feedback form's questions, is written beside the other two.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

SEED = 2727
#: (organisation, kind, the request in the charity's words, tools, data it could bring)
REQUESTS = [
    ("Hackney Pantry", "analysis", "We want to predict demand for food parcels over winter so we can order stock.", "Excel", "weekly parcel counts"),
    ("Bow Food Bank", "analysis", "How many parcels should we plan for next quarter? Our numbers jump around.", "Google Sheets", "visit log"),
    ("Leyton Lunch Club", "analysis", "Our funder wants a monitoring report: how many people we reached and how often they came.", "paper registers typed into Excel", "attendance register"),
    ("Dalston Advice Centre", "analysis", "We would like to see trends in the enquiries we get, month by month.", "Access", "enquiry log"),
    ("Walthamstow Men's Shed", "analysis", "We need to analyse our attendance numbers for the annual report.", "Excel", "sign-in sheets"),
    ("Clapton Youth Hub", "crm", "Our CRM has lots of duplicates: the same young person is in there twice or three times.", "Salesforce", "contact export"),
    ("Stratford Befriending", "crm", "We are moving to Beacon and need to merge two contact lists without duplicates.", "Beacon, Excel", "two contact lists"),
    ("Tottenham Tenants", "crm", "Our mailing list of supporters is a mess, with people on it twice.", "Mailchimp", "mailing list"),
    ("Homerton Hospice Friends", "crm", "Donors appear twice in our database with different spellings.", "Donorfy", "donor export"),
    ("Poplar Parents Network", "impact", "We ask parents to fill in a wellbeing form at the start and end. What difference do we make?", "SurveyMonkey", "before and after scores"),
    ("Mile End Mental Health Peer Support", "impact", "We use WEMWBS and want to know if outcomes improved, for our funder.", "Excel", "WEMWBS scores"),
    ("Deptford Arts Project", "impact", "We need help with our evaluation and a theory of change.", "Google Forms", "feedback forms"),
    ("Lewisham Refugee Welcome", "impact", "How can we show the impact of our English classes? We have a survey before and after.", "Microsoft Forms", "survey results"),
    ("Barking Carers Group", "open-data", "Are we reaching carers in the most deprived wards of the borough?", "Excel", "member postcodes"),
    ("Newham Sports Trust", "open-data", "We would like to map where our participants live against census data.", "none", "participant postcodes"),
    ("Enfield Warm Spaces", "open-data", "Which neighbourhoods should we open in? We want to use open data on deprivation.", "Excel", "visitor postcodes"),
    ("Haringey Debt Advice", "open-data", "We want to know who we reach by area compared with the people who live there.", "Excel", "client postcodes"),
    ("Islington Reading Circle", "spreadsheets", "Our Excel spreadsheet is messy: dates in different formats and columns everywhere.", "Excel", "member spreadsheet"),
    ("Camden Community Garden", "spreadsheets", "We need help with formulas and pivot tables in our spreadsheet.", "Excel", "volunteer hours"),
    ("Southwark Lunch and Learn", "spreadsheets", "Can someone help tidy our Google Sheets? Nobody understands the columns.", "Google Sheets", "session spreadsheet"),
    ("Brixton Bike Workshop", "spreadsheets", "We use a spreadsheet to track repairs and it keeps breaking. VLOOKUP errors!", "Excel", "repairs spreadsheet"),
    ("Peckham Elders Forum", "capture", "We collect information on paper forms and want to move to an online form.", "paper", "blank forms"),
    ("Greenwich Food Cooperative", "capture", "What data should we collect at registration, and how do we handle GDPR and consent?", "paper", "registration form"),
    ("Woolwich Youth Music", "capture", "Our sign-in process is chaotic; we want to collect the right data from the start.", "clipboard", "sign-in sheet"),
    ("Hammersmith Recovery Café", "capture", "We hold health information about service users and need a better way to record it safely.", "Word documents", "case notes"),
    ("Kilburn Women's Centre", "capture", "We want a consent form and a simple way of collecting ethnicity and disability data.", "paper", "registration form"),
    ("Acton Repair Café", "other", "We would like to talk about a new website for volunteers.", "WordPress", "nothing yet"),
    ("Ealing Canal Volunteers", "other", "Could someone advise on which laptop to buy for the office?", "none", "nothing"),
    ("Brent Choir for All", "other", "We need help writing a funding bid.", "Word", "our last bid"),
    ("Harrow Chess Club", "other", "We are not sure what we need: could we have a chat?", "none", "nothing"),
]
AVAILABILITY = ["morning", "afternoon", "any time", "10:00-12:00", "13:00-16:00", "", "11am to 2pm", "all day"]
VOLUNTEERS = [
    ("Priya Raman", "Excel, Power BI, dashboards", "any time"),
    ("Tom Okafor", "Python, statistics, forecasting", "morning"),
    ("Helen Marsh", "Salesforce admin, CRM, data quality", "afternoon"),
    ("Dev Shah", "SQL, databases, deduplication", "all day"),
    ("Grace Lin", "evaluation, surveys, social research", "10:00-13:00"),
    ("Ben Adeyemi", "GIS, mapping, open data, census", "any time"),
    ("Sara Costa", "Excel, Google Sheets, pivot tables, data cleaning", "morning"),
    ("Olu Bakare", "impact measurement, outcomes, statistics", "afternoon"),
    ("Mina Kowalski", "data protection, GDPR, Microsoft Forms, data capture", "any time"),
    ("James Reid", "R, statistics, data science", "13:00-16:00"),
    ("Aisha Noor", "QGIS, maps, geography", "morning"),
    ("Kit Morgan", "Excel, VLOOKUP, spreadsheets", "afternoon"),
    ("Fatima Begum", "survey design, forms, information governance", "all day"),
    ("Luca Romano", "Tableau, analysis, dashboards", "any time"),
    ("Nell Parry", "CRM, Beacon, CiviCRM", "10:00-12:00"),
]
REQUEST_FORM = """Data surgery: request for help (questions to paste into Microsoft Forms or Google Forms)

1. Organisation (required)
2. Your name
3. Your email
4. Describe your data challenge in your own words (required). For example: "our contact list has people
   on it twice", "we need to report our numbers to a funder", "our spreadsheet is messy".
5. What tools do you use? (Excel, Google Sheets, a CRM such as Salesforce or Beacon, paper...)
6. What data could you bring to the session? (Please do not send it now.)
7. Does it contain personal data? If so, does it include health, ethnicity, religion, sexuality or criminal records?
8. Times you can attend on the day (morning, afternoon, any time, or hours such as 10:00-12:00)
"""
VOLUNTEER_FORM = """Data surgery: volunteer sign-up (questions to paste into Microsoft Forms or Google Forms)

1. Name (required)
2. Email
3. Skills: what can you help with? (required) For example: Excel, CRM, Salesforce, SQL, Python, R,
   statistics, evaluation, surveys, GIS and mapping, open data, data protection, forms.
4. Times you can attend on the day (morning, afternoon, any time, or hours such as 13:00-16:00)
"""

FEEDBACK_FORM = """Data surgery: after your session (questions to paste into Microsoft Forms or Google Forms)

1. Organisation (required)
2. Your name (optional; the organiser's programme report never shows it)
3. Who was your volunteer?
4. How useful was the session? (rating, 1 = not useful to 5 = very useful)
5. I feel more confident about using our data now (Strongly disagree, Disagree, Neither agree nor disagree,
   Agree, Strongly agree)
6. Would you recommend a data surgery to another charity? (Yes, No, Not sure)
7. What will you do next?
8. Did your volunteer or the organiser promise you anything after the session? (a template, a link, a second
   session...)
9. Any other comments?
"""
#: One response per charity that answered: (organisation as typed, volunteer as typed, useful 1-5,
#: confidence, recommend, what next, follow-up promised, comment). Blank strings are blank answers.
FEEDBACK = [
    ("Hackney Pantry", "Tom", 5, "Strongly agree", "Yes", "Use the forecast to order winter stock",
     "Tom will send the forecast workbook", "Really useful session, the forecast made sense of our numbers"),
    ("Barking Carers Group", "Ben Adeyemi", 5, "Agree", "Yes", "Share the map with our trustees", "",
     "The map of where our carers live was eye opening for the trustees"),
    ("Brixton Bike Workshop", "Sara", 4, "Agree", "Yes", "Tidy the repairs sheet using the checklist",
     "A copy of the spreadsheet checklist", "Useful to have someone look at our spreadsheet with fresh eyes"),
    ("Woolwich Youth Music", "Mina", 4, "Agree", "Not sure", "Draft a new sign-in form", "Template sign-in form by email",
     "Useful advice on what data to collect and what to leave out"),
    ("Clapton Youth Hub", "Dev Shah", 5, "Strongly agree", "Yes", "Merge the duplicates in Salesforce",
     "Second session in the new year", "We found 140 duplicates in an hour, really useful"),
    ("Camden Community Garden", "Sara Costa", 3, "Neither agree nor disagree", "Yes", "Practise pivot tables", "",
     "The session was too short to cover everything we wanted"),
    ("hackney  pantry", "Tom Okafor", 4, "Agree", "Yes", "Ask the food team to log parcels weekly", "", ""),
    ("Hammersmith Recovery Café", "Mina", 5, "Strongly agree", "Yes", "Move case notes off Word documents",
     "Data protection checklist", "Mina was brilliant about keeping health information safe"),
    ("Deptford Arts Project", "Grace", 4, "Agree", "Yes", "Write our theory of change", "Links to evaluation guides",
     "Useful and friendly, we now know what our evaluation should measure"),
    ("Haringey Debt Advice", "Ben", 5, "Strongly agree", "Yes", "Compare our clients with the census", "",
     "Very useful to see who we reach compared with who lives here"),
    ("Poplar Parents Network", "Olu", 4, "Agree", "Yes", "Run the before and after report for our funder",
     "Olu will check our next report", "Useful, though the statistics went a bit fast for us"),
    ("Stratford Befriending", "Helen", 2, "Disagree", "Not sure", "Not sure yet", "",
     "Our export would not open so we ran out of time, please call Jo Bloggs on 07700 900123"),
    ("Enfield Warm Spaces", "Ben Adeyemi", 5, "Agree", "Yes", "Choose the next neighbourhood to open in", "", ""),
    ("Leyton Lunch Club", "James", 4, "Agree", "Yes", "Type the paper registers into the new sheet",
     "Register template", "Useful to see our attendance as a chart for the funder"),
    ("Tottenham Tenants", "Helen Marsh", 4, "Strongly agree", "Yes", "Clean the mailing list", "",
     "Useful, we removed the people who were on the list twice"),
    ("Newham Sports Trust", "Ben", "", "Agree", "Yes", "Map participants every term", "A second session", ""),
    ("Kilburn Womens Centre", "Mina Kowalski", 5, "Strongly agree", "Yes", "Update the consent form",
     "Consent form wording, send to contact26@example.org", "Thank you, the consent advice was exactly what we needed"),
    ("Bow Food Bank", "James Reid", 3, "Agree", "Not sure", "Keep a weekly count", "",
     "Interesting but we need more data before the forecast is useful"),
    ("Greenwich Food Cooperative", "Mina", 5, "Agree", "Yes", "Put the registration form online",
     "GDPR template for registration", "Useful practical advice on consent and GDPR"),
    ("Bethnal Green Bookshare", "Kit", 4, "Agree", "Yes", "Start a simple lending spreadsheet", "",
     "We came on the day without booking and were still helped, thank you"),
]


def make_feedback(seed: int = SEED) -> pd.DataFrame:
    """The feedback form's export, Microsoft Forms' shape: an id, times, the charity's contact, then the questions.

    Example:
        >>> export = make_feedback()
        >>> len(export), export["Organisation"].iloc[-1]
        (20, 'Bethnal Green Bookshare')
    """
    rng = np.random.default_rng(seed + 1)
    rows = []
    for number, (organisation, volunteer, useful, confident, recommend, next_step, promised, comment) in enumerate(FEEDBACK):
        minute = int(rng.integers(0, 50))
        rows.append({
            "ID": number + 1,
            "Start time": f"14/11/2026 16:{minute:02d}",
            "Completion time": f"14/11/2026 16:{minute + 6:02d}",
            "Organisation": organisation,
            "Your name": f"Contact {number + 1}",
            "Who was your volunteer?": volunteer,
            "How useful was the session?": useful,
            "I feel more confident about using our data now": confident,
            "Would you recommend a data surgery to another charity?": recommend,
            "What will you do next?": next_step,
            "Did your volunteer or the organiser promise you anything after the session?": promised,
            "Any other comments?": comment,
        })
    return pd.DataFrame(rows)


def make_requests(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The request form's export and the planted kinds (for the triage test).

    Example:
        >>> export, truth = make_requests()
        >>> len(export), int(truth["kind"].value_counts()["other"])
        (30, 4)
    """
    rng = np.random.default_rng(seed)
    rows = []
    for number, (organisation, _kind, challenge, tools, data) in enumerate(REQUESTS):
        sensitive = "Yes, health information" if "health" in challenge.lower() else rng.choice(["Yes", "No", "Not sure"])
        rows.append({
            "Timestamp": f"0{1 + number % 9}/11/2026 {9 + number % 8}:{number % 6}5",
            "Organisation": organisation,
            "Your name": f"Contact {number + 1}",
            "Your email": f"contact{number + 1}@example.org",
            "Describe your data challenge": challenge,
            "What tools do you use?": tools,
            "What data could you bring?": data,
            "Does it contain personal data?": sensitive,
            "Times you can attend": AVAILABILITY[int(rng.integers(0, len(AVAILABILITY)))],
        })
    truth = pd.DataFrame({"Organisation": [r[0] for r in REQUESTS], "kind": [r[1] for r in REQUESTS]})
    return pd.DataFrame(rows), truth


def make_volunteers() -> pd.DataFrame:
    """The volunteer sign-up form's export."""
    return pd.DataFrame([{"Name": name, "Email": f"{name.split()[0].lower()}@volunteer.example", "Skills": skills,
                          "Times you can attend": times} for name, skills, times in VOLUNTEERS])


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write the requests, the volunteers, the planted kinds, the feedback export and the three forms into ``folder``.

    Example:
        >>> import tempfile
        >>> sorted(p.name for p in write_sample(pathlib.Path(tempfile.mkdtemp())))
        ['feedback-form.txt', 'request-form.txt', 'surgery-feedback.csv', 'surgery-requests-truth.csv', 'surgery-requests.csv', 'surgery-volunteers.csv', 'volunteer-form.txt']
    """
    folder = pathlib.Path(folder)
    export, truth = make_requests()
    written = [folder / "surgery-requests.csv", folder / "surgery-volunteers.csv", folder / "surgery-requests-truth.csv"]
    export.to_csv(written[0], index=False)
    make_volunteers().to_csv(written[1], index=False)
    truth.to_csv(written[2], index=False)
    written.append(folder / "surgery-feedback.csv")
    make_feedback().to_csv(written[-1], index=False)
    forms = folder / "surgery-forms"
    forms.mkdir(exist_ok=True)
    for name, text in (("request-form.txt", REQUEST_FORM), ("volunteer-form.txt", VOLUNTEER_FORM),
                       ("feedback-form.txt", FEEDBACK_FORM)):
        (forms / name).write_text(text, encoding="utf-8")
        written.append(forms / name)
    return written
