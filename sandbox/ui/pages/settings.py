"""Settings: where the data lives, the learner's name, export, and resetting everything."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from sandbox import workspace
from sandbox.errors import SandboxError
from sandbox.game import ChallengeState
from sandbox.learner import Learner
from sandbox.paths import backups_dir, workspace_dir
from sandbox.ui import components

RESET_WORD = "RESET"
STARTED_STATES = (ChallengeState.IN_PROGRESS, ChallengeState.VERIFIED)


def save_name(learner: Learner, name: str) -> None:
    try:
        learner.store.set_learner_name(name)
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    components.flash("Name saved." if name.strip() else "Name cleared.")
    st.rerun()


def reset_everything(learner: Learner) -> None:
    try:
        _, progress_backup = learner.store.reset("all", None)
        notebook_backups = [workspace.restore_starter(learner.home, c) for c in learner.catalogue]
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    saved = [path for path in notebook_backups if path is not None]
    message = "All progress is reset."
    message += (
        f" Progress backup: `{progress_backup}`."
        if progress_backup
        else " There was no progress file to back up."
    )
    if saved:
        message += f" {len(saved)} notebook(s) backed up to `{saved[0].parent}`; starters restored."
    components.flash(message)
    st.rerun()


learner = components.open_learner()
st.title("Settings")
components.show_flashes()

# Paths first: they help most when the store below cannot be read.
st.subheader("Data home")
st.caption(
    "Everything you produce lives here, outside the repository. Set SANDBOX_HOME to move it."
)
st.code(str(learner.home), language=None)
st.caption(
    f"Progress log `{learner.store.path.name}` · notebooks in `{workspace_dir(learner.home)}` · "
    f"backups in `{backups_dir(learner.home)}`"
)

snapshot = components.load_snapshot(learner)

st.subheader("Your name")
with st.form("learner-name"):
    new_name = st.text_input(
        "Name shown on the Home page", value=snapshot.progress.learner_name or "", max_chars=60
    )
    if st.form_submit_button("Save name"):
        save_name(learner, new_name)

st.subheader("Export")
if learner.store.path.exists():
    st.download_button(
        "Download progress.json",
        data=learner.store.path.read_bytes(),
        file_name=f"progress-{datetime.now():%Y%m%d}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="export",
    )
    st.caption(f"{len(snapshot.progress.events)} events: the whole record your XP is derived from.")
else:
    st.caption("Nothing to export yet: the progress log starts with your first action.")

st.subheader("Reset everything")
started = [s for s in snapshot.engine.statuses() if s.state in STARTED_STATES]
if not started:
    st.caption("Nothing to reset: no challenge has been started since the last reset.")
else:
    st.warning(
        "This withdraws all XP, levels and badges, and restores every starter notebook. "
        "progress.json and your notebooks are backed up first; the log itself keeps every event."
    )
    with st.form("reset-all"):
        typed = st.text_input(f"Type {RESET_WORD} to confirm")
        if st.form_submit_button("Reset all progress", type="primary"):
            if typed == RESET_WORD:
                reset_everything(learner)
            else:
                st.error(f"Type {RESET_WORD} in capitals to confirm. Nothing was reset.")
