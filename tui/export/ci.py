"""CI jobs for the producer's repository that run `dayone check` against the live database on every change.

Two files from one contract: a GitHub Actions workflow and a GitLab CI job. Both install dayone, check the
database against the contract committed beside the code (the ODCS export), and publish the report: a job
summary and the JUnit file as an artifact on GitHub, a JUnit test report on GitLab. The connection string
only ever comes from a CI secret or variable, `DAYONE_CHECK_URL`, which dayone check reads by its name
(`--url-env`): it is never on a command line, so neither the process list nor a traced log shows it. Nothing
from the workspace but the integration's name (in comments) and its file stem (a slug) reaches these files.
"""

from __future__ import annotations

from tui import __version__
from tui.export.lines import comment

URL_VARIABLE = "DAYONE_CHECK_URL"
INSTALL = f"dayone[postgres,mysql]=={__version__}"
JUNIT, JSON, SUMMARY = "dayone-check.xml", "dayone-check.json", "dayone-check.md"

_GITHUB = """\
# dayone check: the data contract of {name}
#
# Checks the live database against the contract agreed with the data team, on every pull request, on every
# push to the default branch and once a day (data drifts without any code change).
# 1. Copy this file to .github/workflows/dayone-check-{stem}.yml
# 2. Commit the contract as {contract} (dayone export --format odcs).
# 3. Add a repository secret {url} holding a read-only connection string, such as
#    postgresql://USER:PASSWORD@HOST:5432/DATABASE; it is never written in this file. Pull requests from
#    forks get no secrets, so the check cannot run for them.
# 4. Optionally add a repository variable DAYONE_INSTALL to install dayone from elsewhere (a wheel or a git
#    URL your runners reach); the default is {install}.
# Exit status of dayone check: 0 every rule holds, 1 a rule failed, 2 the check could not run.
name: dayone check ({stem})
"on":
  pull_request:
  push:
    branches: [main, master]
  schedule:
    - cron: "17 5 * * *"
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: dayone-check-{stem}-${{{{ github.ref }}}}
  cancel-in-progress: true
jobs:
  contract:
    name: Data contract ({stem})
    runs-on: ubuntu-latest
    timeout-minutes: 20
    env:
      {url}: ${{{{ secrets.{url} }}}}
      DAYONE_INSTALL: ${{{{ vars.DAYONE_INSTALL || '{install}' }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install dayone
        run: python -m pip install "$DAYONE_INSTALL"
      - name: Check the database against the contract
        run: >-
          dayone check --contract {contract} --url-env {url}
          --junit {junit} --json {json} --summary {summary} --format github
      - name: Job summary
        if: ${{{{ always() }}}}
        run: if [ -f {summary} ]; then cat {summary} >> "$GITHUB_STEP_SUMMARY"; fi
      - name: Keep the report
        if: ${{{{ always() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: dayone-check-{stem}
          path: |
            {junit}
            {json}
          if-no-files-found: ignore
"""

_GITLAB = """\
# dayone check: the data contract of {name}
#
# Checks the live database against the contract agreed with the data team, in every pipeline (schedule one
# daily too: data drifts without any code change). The JUnit report shows in the merge request's test summary.
# 1. Add this job to .gitlab-ci.yml, or save it as ci/dayone-check-{stem}.yml and `include: local:` it.
# 2. Commit the contract as {contract} (dayone export --format odcs).
# 3. Add a masked CI/CD variable {url} holding a read-only connection string, such as
#    postgresql://USER:PASSWORD@HOST:5432/DATABASE; it is never written in this file. A protected variable
#    reaches protected branches only.
# 4. Optionally set a CI/CD variable DAYONE_INSTALL to install dayone from elsewhere (a wheel or a git URL
#    your runners reach); it overrides the default below.
# Exit status of dayone check: 0 every rule holds, 1 a rule failed, 2 the check could not run.
dayone-check-{stem}:
  stage: test
  image: python:3.12-slim
  variables:
    DAYONE_INSTALL: "{install}"
  script:
    - python -m pip install "$DAYONE_INSTALL"
    - dayone check --contract {contract} --url-env {url} --junit {junit} --json {json} --summary {summary}
  artifacts:
    when: always
    expire_in: 30 days
    paths:
      - {junit}
      - {json}
      - {summary}
    reports:
      junit: {junit}
"""


def render_ci(name: str, stem: str) -> list[str]:
    """The GitHub Actions workflow and the GitLab CI job for the integration `name`, in that order."""
    values = {
        "name": comment(name),
        "stem": stem,
        "contract": f"contracts/{stem}.odcs.yaml",
        "url": URL_VARIABLE,
        "install": INSTALL,
        "junit": JUNIT,
        "json": JSON,
        "summary": SUMMARY,
    }
    return [_GITHUB.format(**values), _GITLAB.format(**values)]
