"""The learner's JupyterLab: a workspace of their own copies of the student versions, and the command that
opens it on the course's start page.

``sync_workspace`` copies every student file the workspace lacks and never overwrites a learner's work;
``lab_command`` starts JupyterLab rooted there; ``LAB_OVERRIDES`` are the settings the course's lab runs
with (no news pop-up over the first notebook), installed into the environment by ``write_lab_overrides``
(Binder's and the student edition's postBuild write the same file).
"""

import json
import os
import shutil
import sys
from pathlib import Path

from autograder.publishing.release import START_PAGE

# JupyterLab settings for learners: no "would you like news?" pop-up over the first notebook.
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}


def sync_workspace(release_dir, workspace):
    """Copy every student file that the workspace does not have yet; never overwrite a learner's work."""
    for path in sorted(Path(release_dir).rglob("*")):
        target = Path(workspace) / path.relative_to(release_dir)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            print(f"new in your workspace: {target}")


def write_lab_overrides(prefix=sys.prefix):
    """Install the course's JupyterLab setting overrides into this environment (kept if already there)."""
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(LAB_OVERRIDES, indent=2))


def lab_command(workspace, port):
    """The JupyterLab command line that opens the start page of ``workspace``."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}",
               f"--LabApp.default_url=/lab/tree/{START_PAGE}", f"--ServerApp.port={port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command
