"""English-like news prose for the benchmark site: seeded, fast, and free of the campaign's terms.

Ordinary sentences use near-words of the campaign ("protect", "count", "vote", "America", "stand",
"results", "coalition", "rally") so that a naive prefilter has work to do, but never the tracked
terms themselves; `FORBIDDEN_RE` states that rule and `sitegen` checks every non-relevant page
against it. Relevant paragraphs (`relevant_paragraph`) name the "Protect the Results" campaign.
"""

from __future__ import annotations

import random
import re

# The campaign's terms (and the surname alone) in any case, spacing or punctuation.
FORBIDDEN_RE = re.compile(
    r"protect\W+the\W+results|count\W+every\W+vote|stand\W+up\W+america|indivisible|eldridge",
    re.IGNORECASE,
)

SECTIONS = (
    "politics",
    "business",
    "world",
    "technology",
    "sports",
    "health",
    "science",
    "local",
    "opinion",
    "culture",
    "climate",
    "education",
)
CITIES = (
    "Atlanta",
    "Phoenix",
    "Milwaukee",
    "Philadelphia",
    "Detroit",
    "Reno",
    "Raleigh",
    "Tucson",
    "Madison",
    "Pittsburgh",
    "Las Vegas",
    "Charlotte",
    "Denver",
    "Columbus",
    "Omaha",
    "Savannah",
    "Duluth",
    "Scranton",
    "Flagstaff",
    "Green Bay",
    "Lansing",
    "Erie",
    "Boise",
    "Albany",
)
FIRST = (
    "Maria",
    "James",
    "Aisha",
    "Daniel",
    "Priya",
    "Robert",
    "Elena",
    "Marcus",
    "Grace",
    "Tomas",
    "Linda",
    "Kevin",
    "Naomi",
    "Victor",
    "Hannah",
    "Omar",
    "Julia",
    "Carlos",
    "Rachel",
    "Derek",
    "Fatima",
    "Peter",
    "Monica",
    "Andre",
    "Claire",
    "Luis",
    "Wendy",
    "Samuel",
    "Irene",
    "Trevor",
)
LAST = (
    "Alvarez",
    "Brooks",
    "Chen",
    "Delgado",
    "Ellison",
    "Foster",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreno",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Reyes",
    "Sullivan",
    "Thornton",
    "Underwood",
    "Vasquez",
    "Whitaker",
    "Xu",
    "Yamamoto",
    "Zimmerman",
)
ROLES = (
    "a spokesperson for the county",
    "the state's deputy secretary of commerce",
    "a city council member",
    "an economist at the regional bank",
    "the director of the local food bank",
    "a senior analyst",
    "the head coach",
    "a professor of public policy",
    "the chief executive",
    "a union organizer",
    "a neighborhood association president",
    "the hospital's chief medical officer",
    "a retired teacher",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SUBJECTS = (
    "The city council",
    "State officials",
    "Researchers at the university",
    "The company",
    "Local residents",
    "Analysts",
    "The governor",
    "Lawmakers",
    "The school board",
    "Federal regulators",
    "The team",
    "Health officials",
    "Economists",
    "The mayor",
    "Volunteers",
    "Business owners",
    "The committee",
    "Union leaders",
    "Environmental groups",
    "Transit officials",
    "Farmers in the region",
    "Investors",
    "The museum",
    "Police",
    "Fire officials",
    "Coaches",
    "Parents",
    "Hospital administrators",
    "Scientists",
    "A coalition of landlords",
    "County election workers",
    "Small-business owners across America",
    "Neighbors",
)
_VERBS = (
    "said on {day} that they would",
    "announced plans to",
    "are expected to",
    "voted to",
    "declined to say whether they would",
    "have struggled to",
    "moved quickly to",
    "agreed to",
    "hope to",
    "will meet next week to",
    "promised to",
    "were asked to",
    "could soon",
    "tried to",
    "are under pressure to",
    "began work this month to",
    "rallied on {day} to",
)
_ACTIONS = (
    "expand the program",
    "delay the project",
    "review the budget",
    "protect the wetlands near the river",
    "count the remaining absentee ballots",
    "raise wages for seasonal workers",
    "cut costs",
    "reopen the bridge",
    "stand by the decision",
    "study the results of the survey",
    "hire more staff",
    "lower property taxes",
    "build new housing near the station",
    "protect older residents from scams",
    "vote on the measure again",
    "stand up a new office for small businesses",
    "replace the aging pipes",
    "extend library hours",
    "settle the lawsuit",
    "upgrade the stadium",
    "count visitors at the park",
    "protect jobs at the plant",
    "publish the results of the audit",
    "add bus routes",
    "fix the roads",
    "train new nurses",
    "reduce wait times at the clinic",
    "recruit more poll workers",
    "support families hit by the storm",
    "rebuild the pier",
    "test the water supply",
)
_TAILS = (
    "by the end of the year",
    "after months of debate",
    "despite opposition from neighbors",
    "according to a statement",
    "citing rising costs",
    "in a move that surprised many",
    "amid concerns about safety",
    "before the winter season",
    "as early as next spring",
    "with help from federal grants",
    "after a public hearing that ran past midnight",
    "in what officials called a first step",
    "though details remain unclear",
    "",
)
_QUOTES = (
    "We have a lot of work to do",
    "This is a good day for the community",
    "Nobody expected the results to be this strong",
    "We will continue to stand with our neighbors",
    "Every family in America deserves a fair shot",
    "The numbers speak for themselves",
    "We need to protect what makes this town special",
    "It is too early to count anyone out",
    "People want to know their vote matters",
    "We are listening, and we will act",
    "This was never about one person",
    "The results show we are on the right track",
    "We will stand up for the people who live here",
    "Our players showed real character tonight",
)
_FACTS = (
    "The measure passed by a vote of {n} to {m}.",
    "Sales rose {p} percent in the third quarter, the company said.",
    "About {n},000 people attended the event, organizers said.",
    "The proposal has drawn criticism from both parties.",
    "The final count is expected later this week.",
    "Officials said the results would be posted online.",
    "The plan would cost about ${n} million over five years.",
    "Turnout in the primary was the highest in {m} years.",
    "The team has won {m} of its last {n} games.",
    "A spokesperson did not respond to a request for comment.",
    "The findings were published in a peer-reviewed journal on {day}.",
    "Residents can vote on the proposal at the library through {day}.",
    "Prices at the pump have fallen for {m} straight weeks.",
    "The county will count the ballots in public, as it does every year.",
    "The group said it would protect the privacy of its members.",
    "Across America, similar efforts have met with mixed results.",
)
_H_SUBJECTS = (
    "City council",
    "Governor",
    "Tech firm",
    "School board",
    "Regulators",
    "Hospital",
    "Local team",
    "Transit agency",
    "Startup",
    "Farmers",
    "Scientists",
    "Voters",
    "Lawmakers",
    "Museum",
    "Retailers",
    "Fire crews",
    "Police",
    "Union",
    "Airport",
    "Housing authority",
)
_H_VERBS = (
    "votes to",
    "moves to",
    "plans to",
    "set to",
    "vows to",
    "weighs plan to",
    "fails to",
    "agrees to",
    "pushes to",
    "races to",
)
_H_OBJECTS = (
    "delay downtown transit project",
    "protect river wetlands",
    "raise wages",
    "cut property taxes",
    "expand early voting hours",
    "reopen historic bridge",
    "count costs of storm damage",
    "stand firm on budget",
    "hire hundreds of nurses",
    "build affordable housing",
    "recall lawmaker",
    "replace aging water pipes",
    "study heat wave results",
    "fight new tariffs",
    "ban phones in class",
    "stand up new cyber office",
    "review police contract",
    "bring back the night market",
)
_H_OTHER = (
    "Tech firm reports record quarterly results",
    "Storm leaves thousands without power in {c}",
    "What the new tax rules mean for your family",
    "Five takeaways from the debate in {c}",
    "Heat wave strains power grid across the West",
    "How one town in {c} rebuilt after the flood",
    "Stocks slip as investors weigh rate outlook",
    "Inside the race to count endangered birds",
    "America's farmers brace for a dry summer",
    "Rookie leads late rally as {c} wins in overtime",
    "Opinion: Why every vote in the county race matters",
    "New study links sleep to memory",
)
_COMMENTS = (
    "Great reporting, thank you.",
    "This is exactly what I have been saying for years.",
    "Does anyone know when the meeting is?",
    "I stand with the workers on this one.",
    "The results speak for themselves.",
    "Who is going to pay for all of this?",
    "My family has lived here for forty years and we have never seen anything like it.",
    "Count me in for the next cleanup day.",
    "Vote them all out.",
    "Protect our parks!",
    "I read the whole thing and still don't understand the plan.",
    "Finally some good news.",
)
_RELEVANT = (
    "The Protect the Results coalition, a network of Stand Up America, Indivisible and more than"
    " 135 "
    "other organizations, said it had planned Count Every Vote rallies in {n} cities, including"
    " {c}.",
    '"We are prepared to mobilize if there is any attempt to undermine the will of the voters,"'
    ' said '
    "Sean Eldridge, the founder and president of Stand Up America, in a call with reporters on"
    " {day}.",
    "Organizers with Indivisible said volunteers in {c} had been trained to keep the Count Every"
    " Vote "
    "events peaceful and focused on the count.",
    "Sean Eldridge said the Protect the Results coalition would hold events in {c} and {c2} if "
    "officials tried to stop the counting of ballots.",
    "Protect the Results organizers said more than {n},000 people had signed up to attend the"
    " rallies "
    "planned by Indivisible chapters and Stand Up America.",
    "Leaders of Stand Up America and Indivisible said the Protect the Results effort was"
    " nonpartisan "
    "and would only call people into the streets if the count itself came under attack.",
    '"Our message is simple: count every ballot and respect the outcome," Sean Eldridge told the '
    "crowd at a Count Every Vote rally in {c}.",
)
_RELEVANT_HEADLINES = (
    "Protect the Results coalition plans Count Every Vote rallies in {c}",
    "Groups vow to 'Protect the Results' as ballots are counted in {c}",
    "Count Every Vote rallies draw crowds in {c}",
    "Sean Eldridge says Protect the Results coalition is ready to mobilize",
    "Indivisible and Stand Up America prepare Count Every Vote events",
)


def _fill(template: str, rng: random.Random) -> str:
    """Fill the {n} {m} {p} {c} {c2} {day} slots of a template."""
    if "{" not in template:
        return template
    return template.format(
        n=rng.randint(12, 90),
        m=rng.randint(2, 11),
        p=rng.randint(2, 19),
        c=rng.choice(CITIES),
        c2=rng.choice(CITIES),
        day=rng.choice(DAYS),
    )


def make_person(rng: random.Random) -> str:
    """A plausible full name (never a campaign person)."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def make_sentence(rng: random.Random) -> str:
    """One ordinary news sentence: a statement, a quote or a fact."""
    kind = rng.random()
    if kind < 0.62:
        tail = rng.choice(_TAILS)
        text = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_ACTIONS)}"
        return _fill(f"{text} {tail}." if tail else f"{text}.", rng)
    if kind < 0.78:
        return f'"{rng.choice(_QUOTES)}," said {make_person(rng)}, {rng.choice(ROLES)}.'
    return _fill(rng.choice(_FACTS), rng)


def make_sentence_pool(rng: random.Random, size: int) -> list[str]:
    """A pool of distinct-ish sentences that pages draw from (fast page generation)."""
    return [make_sentence(rng) for _ in range(size)]


def make_paragraph(rng: random.Random, pool: list[str]) -> str:
    """A paragraph of 2 to 6 sentences from the pool."""
    return " ".join(rng.choices(pool, k=rng.randint(2, 6)))


def make_headline(rng: random.Random) -> str:
    """An ordinary headline."""
    if rng.random() < 0.3:
        return _fill(rng.choice(_H_OTHER), rng)
    return f"{rng.choice(_H_SUBJECTS)} {rng.choice(_H_VERBS)} {rng.choice(_H_OBJECTS)}"


def make_relevant_headline(rng: random.Random) -> str:
    """A headline for a campaign article: about half name the campaign, the rest are generic."""
    if rng.random() < 0.5:
        return _fill(rng.choice(_RELEVANT_HEADLINES), rng)
    return make_headline(rng)


def relevant_paragraphs(rng: random.Random) -> list[str]:
    """Two to four paragraphs about the Protect the Results campaign."""
    chosen = rng.sample(_RELEVANT, rng.randint(2, 4))
    return [_fill(text, rng) for text in chosen]


def make_comment(rng: random.Random, pool: list[str]) -> str:
    """A reader comment: a stock reaction, sometimes followed by a sentence."""
    first = rng.choice(_COMMENTS)
    return f"{first} {rng.choice(pool)}" if rng.random() < 0.5 else first
