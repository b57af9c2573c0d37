"""The README's reporting section is a contract: every documented view or table has exactly the
columns its table lists, and every example query runs and returns exactly its documented columns.
Both are parsed from README.md, so the README cannot drift from the warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def reporting_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Reporting: tables and views")
    return text[start : text.index("\n## ", start + 1)]


def documented_columns() -> dict[str, list[str]]:
    """{view or table: its columns}, from each '**`name`**' paragraph followed by a column table."""
    found = {}
    for name, table in re.findall(r"^\*\*`(\w+)`\*\*[^|]*?\n\n\| column \| meaning \|\n\|---\|---\|\n((?:\|[^\n]*\n)+)",
                                  reporting_section(), flags=re.M | re.S):
        found[name] = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    return found


def example_queries() -> list[tuple[str, list[str], str]]:
    """(question, documented columns, SQL) for each example query."""
    examples = reporting_section().split("### Example queries", 1)[1]
    return [(question.strip(), re.findall(r"`(\w+)`", columns), sql.strip())
            for question, columns, sql in re.findall(r"^([^\n`]+\?)[^\n]*?Columns: ([^\n]+)\n\n```sql\n(.*?)```",
                                                     examples, flags=re.M | re.S)]


def test_the_readme_documents_the_views_and_the_questions_the_issue_asks() -> None:
    assert sorted(documented_columns()) == [
        "digest_outcomes", "digests", "interactions", "people", "relationships", "signals",
    ]
    assert [question for question, _, _ in example_queries()] == [
        "Whom did I meet most this quarter?",
        "Whom do I only email and never meet?",
        "Which relationships are one-way?",
        "How many new connections each month?",
        "Who has gone quiet among the people I used to see weekly?",
        "Which suggestions did I act on?",
        "Whom am I closest to now?",
        "What could the connectors not use, and why?",
    ]


@pytest.mark.parametrize("name", sorted(documented_columns()))
def test_each_documented_view_has_exactly_its_documented_columns(network, name: str) -> None:
    conn, _ = network
    actual = [row[0] for row in conn.execute(f"DESCRIBE {name}").fetchall()]
    assert actual == documented_columns()[name]


@pytest.mark.parametrize("question,columns,sql", example_queries(), ids=[q[:40] for q, _, _ in example_queries()])
def test_each_example_query_runs_and_returns_its_documented_columns(network, question, columns, sql) -> None:
    conn, _ = network
    cursor = conn.execute(sql)
    assert [d[0] for d in cursor.description] == columns
    cursor.fetchall()
