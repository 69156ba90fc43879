import re

from conftest import ROOT


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)\n(.+?)\n```", readme, flags=re.DOTALL)[:2]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command.strip() in ci


def test_the_worked_example_of_linked_claims_holds():
    """The claim table of the README's worked example is what the toolkit gives for its article."""
    import datetime

    from toolkit import Document, extract

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("A worked example") :]
    text = re.search(r"```text\n(.+?)\n```", section, flags=re.DOTALL).group(1)
    rows = re.findall(r"^\| (\d+) (\w+), (\w+) \| (.+?) \(`(\w+)`\) \| (.+?) \| (.+?) \(`(\w+)`\) \| (.+?) \(`(\w+)`\) \|$", section, flags=re.MULTILINE)
    assert len(rows) == 2
    claims = extract([Document(doc_id="example", text=text, lang="en", published=datetime.date(2021, 3, 15))]).claims
    for count, status, group, claimant, source_link, outlet, place, place_link, period, period_link in rows:
        claim = claims.filter(claims["count_min"] == int(count)).row(0, named=True)
        outlet = None if outlet == "–" else outlet.split(" (")[0]
        assert (claim["status"], claim["group"], claim["claimant"], claim["source_link"]) == (status, group, claimant, source_link)
        assert (claim["outlet"], claim["place"], claim["place_link"]) == (outlet, place, place_link)
        assert (claim["period"], claim["period_link"]) == (period, period_link)
