"""`dayone export --format ci`: a GitHub Actions workflow and a GitLab CI job, valid against their schemas.

The schemas are the ones check-jsonschema vendors from SchemaStore (its `vendor.github-workflows` and
`vendor.gitlab-ci`), run through its command line as a user of either CI would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from check_cli import shop_workspace
from check_data import fill
from commands import dayone
from credentials import CREDENTIALS
from enforcing import PLAN, hostile_enforcing_plan

from tui.checklists import Checklist
from tui.export import Options, render
from tui.plan import load_plan
from tui.store import Workspace

pytestmark = pytest.mark.core
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


def schema_errors(path: Path, which: str) -> str:
    """check-jsonschema's complaint about the file, or "" when the file is valid."""
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", SCHEMAS[which], str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "" if done.returncode == 0 else done.stdout + done.stderr


def written(workspace: Workspace, tmp_path: Path, plan: str) -> tuple[Path, Path]:
    load_plan(workspace, plan, "plan.yaml")
    rendered = render(workspace, workspace.integrations()[0], "ci")
    assert rendered.filename.endswith("-check.github-workflow.yml")
    paths = []
    for name, text in rendered.files:
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths[0], paths[1]


def test_both_files_are_valid_for_their_ci(workspace: Workspace, tmp_path: Path) -> None:
    github, gitlab = written(workspace, tmp_path, PLAN)
    assert schema_errors(github, "github") == ""
    assert schema_errors(gitlab, "gitlab") == ""
    # The schemas do reject a file of the wrong shape: the same job without where it runs, or as the other CI's.
    broken = yaml.safe_load(github.read_text(encoding="utf-8"))
    del broken["jobs"]["contract"]["runs-on"]
    (tmp_path / "broken.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert "runs-on" in schema_errors(tmp_path / "broken.yml", "github")
    assert schema_errors(gitlab, "github") != ""


def test_the_jobs_run_the_check_and_publish_its_report(workspace: Workspace, tmp_path: Path) -> None:
    github, gitlab = written(workspace, tmp_path, PLAN)
    workflow = yaml.safe_load(github.read_text(encoding="utf-8"))
    job = workflow["jobs"]["contract"]
    assert job["env"]["DAYONE_CHECK_URL"] == "${{ secrets.DAYONE_CHECK_URL }}"
    runs = [step.get("run", "") for step in job["steps"]]
    check = next(run for run in runs if run.startswith("dayone check"))
    assert " ".join(check.split()) == (
        "dayone check --contract contracts/shop.odcs.yaml --url-env DAYONE_CHECK_URL --junit dayone-check.xml"
        " --json dayone-check.json --summary dayone-check.md --format github"
    )
    assert any("$GITHUB_STEP_SUMMARY" in run for run in runs)
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert "dayone-check.xml" in upload["with"]["path"] and upload["if"] == "${{ always() }}"
    lab = yaml.safe_load(gitlab.read_text(encoding="utf-8"))["dayone-check-shop"]
    assert "--url-env DAYONE_CHECK_URL" in lab["script"][-1] and "--junit dayone-check.xml" in lab["script"][-1]
    # The connection string is read by its name, never expanded onto a command line.
    for text in (github.read_text(encoding="utf-8"), gitlab.read_text(encoding="utf-8")):
        assert "$DAYONE_CHECK_URL" not in text and "${DAYONE_CHECK_URL}" not in text
    assert lab["artifacts"]["reports"]["junit"] == "dayone-check.xml" and lab["artifacts"]["when"] == "always"


def test_hostile_names_break_neither_file_and_leak_nothing(workspace: Workspace, tmp_path: Path) -> None:
    github, gitlab = written(workspace, tmp_path, hostile_enforcing_plan())
    assert schema_errors(github, "github") == ""
    assert schema_errors(gitlab, "gitlab") == ""
    for path in (github, gitlab):
        text = path.read_text(encoding="utf-8")
        assert yaml.safe_load(text)
        assert [secret for _, secret in CREDENTIALS if secret in text] == []
        # The integration's name is only ever a comment: every other line is the template's.
        assert all(line.startswith("# ") or "Hostile" not in line for line in text.splitlines())


def test_the_command_writes_both_files_or_refuses_one_path(demo: Path) -> None:
    result = dayone(demo, "--db", "data/demo.db", "export", "--format", "ci", "--integration", "Leaf ID")
    assert result.returncode == 0, result.stderr
    assert "dayone: wrote exports/leaf-id-check.github-workflow.yml" in result.stderr
    assert "dayone: wrote exports/leaf-id-check.gitlab-ci.yml" in result.stderr
    refused = dayone(
        demo, "--db", "data/demo.db", "export", "--format", "ci", "--integration", "Leaf ID", "-o", "x.yml"
    )
    assert refused.returncode == 2 and refused.stderr.strip() == (
        "dayone: x.yml: this format writes 2 files; give a folder (ending in /)"
    )
    assert not (demo / "x.yml").exists()
    streamed = dayone(demo, "--db", "data/demo.db", "export", "--format", "ci", "--integration", "Leaf ID", "-o", "-")
    assert len(list(yaml.safe_load_all(streamed.stdout))) == 2


def test_a_credential_in_the_workspace_never_reaches_the_jobs(workspace: Workspace) -> None:
    load_plan(workspace, PLAN.replace("name: Shop", "name: Shop postgresql://etl:Sup3r-S3cret@db/shop"), "p.yaml")
    rendered = render(workspace, workspace.integrations()[0], "ci", Options())
    assert all("Sup3r-S3cret" not in text for _, text in rendered.files)
    assert rendered.warnings


def test_the_jobs_commands_check_a_real_database_without_its_url_on_the_command_line(
    tmp_path: Path, checklist: Checklist
) -> None:
    """Each job's check command, run by bash with tracing on as a CI runner would run it, in a checkout holding the
    exported contract: it passes on clean data, writes its reports, and no traced command line holds the URL."""
    shop = shop_workspace(tmp_path, checklist, "sqlite")
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    fill(url, "sqlite", tight=True, broken=False)
    checkout = tmp_path / "checkout"
    (checkout / "contracts").mkdir(parents=True)
    for fmt, target in (("odcs", f"{checkout}/contracts/shop.odcs.yaml"), ("ci", f"{tmp_path}/ci/")):
        made = dayone(tmp_path, "--db", str(shop), "export", "--format", fmt, "--integration", "Shop", "-o", target)
        assert made.returncode == 0, made.stderr
    workflow = yaml.safe_load((tmp_path / "ci" / "shop-check.github-workflow.yml").read_text(encoding="utf-8"))
    github = next(
        step["run"] for step in workflow["jobs"]["contract"]["steps"] if "dayone check" in step.get("run", "")
    )
    gitlab = yaml.safe_load((tmp_path / "ci" / "shop-check.gitlab-ci.yml").read_text(encoding="utf-8"))
    # The installed `dayone` script, as the jobs' install step leaves it on the runner's PATH.
    scripts = Path(sys.executable).parent
    assert shutil.which("dayone", path=str(scripts)), f"no dayone script in {scripts}"
    environment = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}", "DAYONE_CHECK_URL": url}
    for command in (github, gitlab["dayone-check-shop"]["script"][-1]):
        for report in ("dayone-check.xml", "dayone-check.json", "dayone-check.md"):
            (checkout / report).unlink(missing_ok=True)
        done = subprocess.run(
            ["bash", "-xc", command], cwd=checkout, env=environment, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        traced = [line for line in done.stderr.splitlines() if line.startswith("+")]
        assert any("--url-env DAYONE_CHECK_URL" in line for line in traced), done.stderr
        assert not any(url in line for line in traced), traced
        assert all((checkout / report).is_file() for report in ("dayone-check.xml", "dayone-check.json"))
