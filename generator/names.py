"""Word lists the generator draws people, companies, subjects and automated senders from."""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Dana", "Sam", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Kenji", "Laura", "Diego",
    "Nina", "Oliver", "Fatima", "Ben", "Chloe", "Raj", "Hannah", "Lucas", "Mei", "Jonas",
    "Sofia", "Ethan", "Amara", "Noah", "Isabel", "Omar", "Grace", "Felix", "Yuki", "Leah",
    "Daniel", "Zara", "Mateo", "Ruth", "Arjun", "Clara", "Hugo", "Ines", "Victor", "Maya",
    "Paul", "Ana", "Kofi", "Julia", "Theo", "Sara", "Ivan", "Nora", "Leo", "Eva",
    "Adam", "Lina", "Caleb", "Hana", "Simon", "Rosa", "Tariq", "Emily", "Jack", "Layla",
    "Martin", "Olga", "Peter", "Alice", "Rohan", "Grete", "Max", "Naomi", "Andre", "Keiko",
    "Chris", "Beatriz", "Wei", "Megan", "Farid", "Tessa", "Liam", "Vera", "Mark", "Anya",
    "Joel", "Rachel", "Emeka", "Kira", "Nathan", "Lea", "Anton", "Mira", "Gabriel", "Jade",
    "Henrik", "Carmen", "Dev", "Erin", "Pablo", "Ruby", "Samir", "Tara", "Walter", "Yara",
    "José", "Zoë", "Björn", "Chloé", "Søren", "Renée", "Łukasz", "Małgorzata",
)

LAST_NAMES: tuple[str, ...] = (
    "Kim", "Patel", "Nguyen", "Garcia", "Smith", "Müller", "Rossi", "Tanaka", "Okafor", "Cohen",
    "Silva", "Johansson", "Dubois", "Khan", "Lopez", "Novak", "Brown", "Chen", "Schmidt", "Haddad",
    "Ivanova", "Martin", "Fischer", "Singh", "Wright", "Moreau", "Costa", "Yamamoto", "Adeyemi",
    "Larsen", "Walker", "Santos", "Bauer", "Hughes", "Reyes", "Kowalski", "Murphy", "Ali", "Park",
    "Jensen", "Owens", "Fernandez", "Weber", "Ito", "Mensah", "Petrov", "Clarke", "Ramos",
    "Hoffmann", "Sato", "Diaz", "Nielsen", "Turner", "Morales", "Becker", "Lee", "Baker", "Romero",
    "Wagner", "Suzuki", "Nowak", "Evans", "Torres", "Keller", "Mehta", "Scott", "Vargas", "Richter",
    "Hayashi", "Osei", "Young", "Castro", "Lang", "Iyer", "Green", "Ortiz", "Brandt", "Mori",
    "Boateng", "King", "Navarro", "Vogel", "Rao", "Hall", "Rivera", "Frank", "Ueda", "Asante",
    "Allen", "Mendoza", "Kraus", "Das", "Price", "Ruiz", "Stein", "Kato", "Addo", "Bell",
    "Gómez", "Ström", "Lefèvre",
)

COMPANY_ROOTS: tuple[str, ...] = (
    "Northwind", "Bluefin", "Larkspur", "Quanta", "Redwood", "Helix", "Cobalt", "Meridian",
    "Tidewater", "Lumen", "Granite", "Harbor", "Vertex", "Juniper", "Sable", "Orchard", "Atlas",
    "Beacon", "Cirrus", "Driftwood", "Ember", "Fathom", "Glacier", "Ironclad", "Kestrel", "Lattice",
    "Mosaic", "Nimbus", "Onyx", "Pinecone", "Quill", "Riverbend", "Solstice", "Trellis", "Umber",
    "Vantage", "Willow", "Yarrow", "Zephyr", "Brightline", "Copperleaf", "Silverline", "Stonebridge",
    "Foxglove", "Halcyon", "Moonrise", "Parallax", "Skylark", "Wavecrest", "Alder",
)
COMPANY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("", "io"), (" Labs", "com"), (" Systems", "com"), (" Analytics", "ai"), (" Health", "com"),
    (" Capital", "vc"), ("", "dev"), (" Software", "co"), (" Bio", "bio"), (" Robotics", "com"),
)

TITLES: tuple[str, ...] = (
    "VP Engineering", "Head of Data", "Director of Sales", "Staff Engineer", "Product Lead",
    "CTO", "Head of Design", "Engineering Manager", "Principal Scientist", "Chief of Staff",
    "Head of Partnerships", "Director of Product", "General Partner", "Head of Growth",
)

PRODUCTS: tuple[str, ...] = (
    "Foobar 2.0", "Pipeline Studio", "Atlas Cloud", "the new mobile app", "Insights Beta",
    "Ledger API v3", "Sparrow", "our open-source SDK", "Beacon for Teams", "Tally 1.0",
)

TOPICS: tuple[str, ...] = (
    "Q3 roadmap", "hiring plan", "data platform migration", "board deck", "customer interviews",
    "pricing experiment", "conference talk", "partnership proposal", "offsite agenda",
    "metrics review", "API design", "launch checklist", "budget for next year", "reading list",
    "the analytics rewrite", "security review", "onboarding doc", "vendor evaluation",
    "the podcast idea", "team structure", "OKRs", "the research paper", "demo day",
)

ASKS: tuple[str, ...] = (
    "send me the latest numbers", "take a look at the draft", "share the slides",
    "introduce me to someone on the data team", "review the proposal before Thursday",
    "forward the contract", "send over your notes", "check the timeline",
)

ANSWERS: tuple[str, ...] = (
    "attached are the numbers you asked for", "I went through the draft and left comments",
    "here are the slides", "happy to make that intro", "the proposal looks good to me",
    "the timeline works on our side", "my notes are below", "that sounds right to me",
)

CLOSINGS: tuple[str, ...] = (
    "Thanks, that's perfect. Talk soon.", "Great, thank you!", "Sounds good, thanks again.",
    "Perfect, appreciate it.", "Got it, thanks. Have a good week.", "Thanks so much, this helps a lot.",
)

PROMISES: tuple[str, ...] = (
    "I'll send you the deck by Friday.", "Let me introduce you to Sam.",
    "I will follow up with the numbers.", "I'll get back to you with a draft next week.",
    "I'll share the recording tomorrow.", "Let me check with the team and come back to you.",
)

REPLY_OWED_QUESTIONS: tuple[str, ...] = (
    "Could you send me the slides from your talk?", "Are you free next week for a quick call?",
    "Would you be open to reviewing our proposal?", "Can you introduce me to your CFO?",
    "Could you share the hiring rubric you mentioned?", "Do you have time for coffee on Thursday?",
)

AWAITING_QUESTIONS: tuple[str, ...] = (
    "Could you send me the final version of the report?", "Are you free for lunch next week?",
    "Would you have time to look at my draft?", "Can you confirm the date for the workshop?",
    "Did you get a chance to talk to your team about the pilot?",
)

NEWSLETTERS: tuple[tuple[str, str], ...] = (
    ("Product Weekly", "productweekly.com"), ("Data Engineering Digest", "dedigest.io"),
    ("The Morning Ledger", "morningledger.news"), ("Founders Notes", "foundersnotes.co"),
    ("ML Roundup", "mlroundup.ai"), ("Design Dispatch", "designdispatch.com"),
    ("Cloud Cost Report", "cloudcost.report"), ("SaaS Metrics", "saasmetrics.io"),
    ("Remote Work Weekly", "remoteweekly.com"), ("Python Pulse", "pythonpulse.dev"),
    ("Growth Letter", "growthletter.co"), ("Security Brief", "secbrief.net"),
    ("Leadership Memo", "leadershipmemo.com"), ("VC Pulse", "vcpulse.vc"),
)

NOREPLY: tuple[tuple[str, str], ...] = (
    ("GitHub", "notifications@github.com"), ("Zoom", "no-reply@zoom.us"),
    ("Acme Bank", "no-reply@alerts.acmebank.com"), ("Flyaway Airlines", "noreply@flyaway.com"),
    ("Stripe", "noreply@stripe.com"), ("Google Calendar", "calendar-notification@google.com"),
    ("Dropbox", "no-reply@dropbox.com"), ("Uber Receipts", "noreply@uber.com"),
    ("Notion", "notify@mail.notion.so"), ("Slack", "no-reply@slack.com"),
    ("Amazon", "shipment-tracking@amazon.com"), ("Figma", "no-reply@figma.com"),
)

AUTO_SUBMITTED: tuple[tuple[str, str], ...] = (
    ("Jira", "jira@northwind.atlassian.net"), ("PagerDuty", "alerts@pagerduty.com"),
    ("Build Server", "ci@builds.example.com"), ("Sentry", "issues@sentry.io"),
    ("Calendar Server", "calendar@example.com"),
)

MAILING_LISTS: tuple[tuple[str, str], ...] = (
    ("pydata", "pydata@googlegroups.com"), ("eng-announce", "eng-announce@lists.example.com"),
    ("duckdb-users", "duckdb-users@googlegroups.com"), ("local-cto-circle", "cto-circle@groups.io"),
    ("data-council", "community@lists.datacouncil.ai"),
)

BEHAVIOUR: tuple[tuple[str, str], ...] = (
    ("Acme Events", "team@acme-events.com"), ("Growth Summit", "hello@growthsummit.co"),
    ("Founder Dinners", "hi@founderdinners.club"), ("TalentHub", "partners@talenthub.io"),
    ("Webinar Works", "ops@webinarworks.net"),
)

NEWSLETTER_ITEMS: tuple[str, ...] = (
    "Why most dashboards go unread", "A practical guide to incremental loads",
    "Five lessons from scaling a support team", "The state of open-source funding",
    "How we cut our cloud bill by 30%", "Interview: building a data culture",
    "What changed in the latest release", "Hiring senior engineers in a slow market",
    "Notes from the conference floor", "A short history of the spreadsheet",
    "Pricing pages that convert", "The case for boring technology",
)
