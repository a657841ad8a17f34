"""What people and workspaces chose: preferences, not the deployment's `bot.config.Settings`.

`person` holds one person's own choices (their check-in time, working days and hours, time
zone, digest and summary times, snoozes), resolved against their workspace's defaults into
a `Schedule`; `workspace` the defaults a workspace admin may change; `form` reads the
preferences form ("Sprout settings" in Slack), `views` lays it out, and `actions` holds the
use cases: open it, save it, and `/coach snooze`.

The table rows keep their names (`PersonSettings`, `Workspace.settings`): migrations and
operators know them by those.
"""
