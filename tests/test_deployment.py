"""The Dockerfile and compose.yaml can't be built here (no Docker daemon): they are checked
against what is tested, the Procfile, `make install` and pyproject.toml."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()


def procfile() -> dict[str, str]:
    """Each role's command, including the documented (commented) `worker:` alternative."""
    roles = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        found = re.match(r"#?\s*(\w+):\s+(\S.*)$", line)
        if found and not found.group(2).startswith("Socket"):
            roles[found.group(1)] = found.group(2)
    return roles


def compose_services() -> dict[str, list[str]]:
    """Service name -> its lines (compose.yaml is kept simple enough to read without YAML)."""
    services: dict[str, list[str]] = {}
    body = COMPOSE.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    current = ""
    for line in body.splitlines():
        name = re.match(r"  (\w+):$", line)
        if name:
            current = name.group(1)
            services[current] = []
        elif current:
            services[current].append(line.strip())
    return services


def test_the_procfile_names_the_roles_people_expect():
    assert set(procfile()) == {"web", "clock", "release", "worker"}
    assert procfile()["worker"] == "python -m bot socket"


def test_the_dockerfile_runs_the_procfiles_web_line_and_documents_the_others():
    [cmd] = re.findall(r"^CMD (.*)$", DOCKERFILE, re.M)
    assert json.loads(cmd) == ["sh", "-c", f"exec {procfile()['web']}"]
    for role in ("clock", "release", "worker"):
        assert f"{role}:" in DOCKERFILE and procfile()[role] in DOCKERFILE


def test_the_dockerfile_installs_like_make_install_without_dev_tools():
    makefile = (ROOT / "Makefile").read_text()
    install = makefile.split("$(STAMP): pyproject.toml\n", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in install.splitlines() if "pip" in line or "venv" in line]
    expected = [
        step.replace("$(PYTHON)", "python3")
        .replace("$(VENV)", ".venv")
        .replace("$(PY)", ".venv/bin/python")
        .replace('".[dev]"', '"."')
        for step in steps
    ]
    run = re.search(r"^RUN python3 -m venv.*?(?=\n\S)", DOCKERFILE, re.M | re.S)
    assert run is not None
    docker_steps = [s.strip(" \\\n") for s in run.group(0).removeprefix("RUN ").split("&&")]
    assert docker_steps == expected


def test_the_image_has_what_the_package_reads_at_run_time_and_no_root():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    python = project["project"]["requires-python"].removeprefix(">=")
    assert re.search(rf"^FROM python:{re.escape(python)}-slim$", DOCKERFILE, re.M)
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = [p.rstrip("*") for p in packages] + ["migrations", "prompts"]
    for folder in needed:
        assert f"COPY {folder} ./{folder}" in DOCKERFILE, folder
    assert "gunicorn.conf.py" in DOCKERFILE  # gunicorn reads it from the working directory
    assert re.search(r"^USER (?!root)\w+$", DOCKERFILE, re.M)


def test_compose_runs_web_clock_and_release_as_the_procfile_says():
    services = compose_services()
    assert set(services) == {"db", "release", "web", "clock"}
    assert f"command: {procfile()['clock']}" in services["clock"]
    assert f"command: {procfile()['release']}" in services["release"]
    assert not any(line.startswith("command:") for line in services["web"])  # the image's CMD
    assert 'restart: "no"' in services["release"]
    assert any("/healthz" in line for line in services["web"])
    assert "- pgdata:/var/lib/postgresql/data" in services["db"]
    for role in ("web", "clock"):
        assert "condition: service_completed_successfully" in services[role]
    assert "DATABASE_URL: postgresql://" in COMPOSE


def test_the_readme_states_each_trust_rule_in_a_sentence():
    """Issue 11's promises, each where a reader of the README finds it."""
    readme = " ".join((ROOT / "README.md").read_text().split())
    rules = [
        "asks each of them to confirm they report to you",  # consent first
        "`TEAM_CONSENT` | how new workspaces make reporting lines",
        "no secret files",
        "Notes are private to their author and are never shared",
        'The note form says who will read it ("@maya will see this note")',
        "ticked *Just for me* stays on the person's own check-in and reaches no manager surface",
        "freshness, not a check-in score per person",
        "**A blocker always arrives**",
        "At most 3 nudge DMs a day, digest included, as a hard limit",
        "Nothing from Sprout reaches anyone outside their working hours or on their days off",
        "Public holidays are days off",
        "whose public holidays you keep",
        "the company days off",
        "Reminders back off",
        "Someone with no priorities gets no daily check-in",
        "**New reports are real news**",
        "those who join while the manager has paused Sprout wait for the pause to end",
        "whatever minute it runs",  # remind me in 3 days means 3 days
        "overdue is judged on each report's own day",
        "the first summary never compares with a week before",
        "plurals right",
        '("week of 7 Dec")',
    ]
    assert [rule for rule in rules if rule not in readme] == []
