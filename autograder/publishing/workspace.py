"""The learner's workspace: their own copies of the student versions, which ``nncourse lab`` (``make lab``)
opens. ``sync_workspace`` copies every student file the workspace lacks and never overwrites a learner's work."""

import shutil
from pathlib import Path


def sync_workspace(release_dir, workspace):
    """Copy every student file that the workspace does not have yet; never overwrite a learner's work."""
    for path in sorted(Path(release_dir).rglob("*")):
        target = Path(workspace) / path.relative_to(release_dir)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            print(f"new in your workspace: {target}")
