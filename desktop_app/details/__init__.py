"""The details pane for the selected job: Preview, Profile, Output and Log tabs, and the options card."""
