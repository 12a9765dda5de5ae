"""Settings: the profile shown, where the data lives, the learner's name, export, and reset.

The profile switcher comes first, before anything reads the profile's store:
a profile whose progress.json cannot be read can still be switched away from.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from sandbox import active_profile
from sandbox.errors import SandboxError
from sandbox.game import ChallengeState
from sandbox.learner import Learner
from sandbox.paths import (
    DEFAULT_PROFILE,
    backups_dir,
    list_profiles,
    profile_home,
    workspace_dir,
)
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
        outcome = learner.reset()
        for problem in outcome.not_restored:
            st.warning(problem, icon=":material/warning:")
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    saved = outcome.notebook_backups
    message = "All progress is reset."
    message += (
        f" Progress backup: `{outcome.progress_backup}`."
        if outcome.progress_backup
        else " There was no progress file to back up."
    )
    if saved:
        message += f" {len(saved)} notebook(s) backed up to `{saved[0].parent}`; starters restored."
    components.flash(message)
    st.rerun()


def switch_profile(name: str) -> None:
    try:
        active_profile.save(components.base_home(), name)
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    components.flash(f"Now showing the profile **{name}**.")
    st.rerun()


def create_profile(name: str) -> None:
    base = components.base_home()
    try:
        active_profile.create(base, name)
        active_profile.save(base, name.strip())
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    components.flash(f"Created the profile **{name.strip()}** and switched to it.")
    st.rerun()


def show_profiles() -> None:
    base = components.base_home()
    current = components.current_profile()
    profiles = list_profiles(base)
    st.subheader("Profile")
    st.caption(
        "Each profile is a learner of its own: progress, notebooks, MLflow runs and Optuna "
        "studies. Every page shows the profile chosen here, in every tab. The command line "
        "uses --profile NAME instead."
    )
    switch_col, create_col = st.columns(2, gap="large")
    with switch_col, st.form("switch-profile"):
        # Keyed by the current profile: after a switch the box starts again from the new one.
        chosen = st.selectbox(
            "Profile shown", profiles, index=profiles.index(current), key=f"profile:{current}"
        )
        if st.form_submit_button("Switch"):
            if chosen == current:
                st.info(f"The profile **{chosen}** is already shown.")
            else:
                switch_profile(chosen)
    with create_col, st.form("create-profile"):
        new_name = st.text_input(
            "New profile",
            placeholder="lowercase-with-hyphens",
            key="profile-new",
            help="Lowercase letters, digits and single hyphens, for example 'ada' or 'team-2'.",
        )
        if st.form_submit_button("Create and switch"):
            create_profile(new_name)
    if current != DEFAULT_PROFILE:
        st.caption(f"Profiles live in `{base}`; this one in `{profile_home(base, current)}`.")


st.title("Settings")
components.show_flashes()
show_profiles()
learner = components.open_learner()

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
        # Not styled as the main action: nothing on this page should invite a reset.
        if st.form_submit_button("Reset all progress", icon=":material/delete_forever:"):
            if typed == RESET_WORD:
                reset_everything(learner)
            else:
                st.error(f"Type {RESET_WORD} in capitals to confirm. Nothing was reset.")
