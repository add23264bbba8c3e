"""Commands that run Tonewatch: run, jobs, dashboard, demo, config."""

from __future__ import annotations

import argparse
from typing import Any

from core.config import Settings, describe, with_changes
from jobs import demo, processes
from jobs.cli_common import add_command
from jobs.scheduler import run_jobs
from storage.db import ensure_database


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the jobs process and the dashboard together until Ctrl-C."""
    processes.check_exposure(settings, args.insecure)
    ensure_database(settings)
    print(
        f"Tonewatch: dashboard on http://{settings.dashboard_host}:{settings.dashboard_port}"
        f"  database {settings.db}  (Ctrl-C stops both)",
        flush=True,
    )
    commands = [processes.jobs_command(settings), processes.dashboard_command(settings)]
    return processes.supervise(commands, processes.child_environment(settings))


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """Run the scheduler alone."""
    run_jobs(settings)
    return 0


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the dashboard alone."""
    processes.check_exposure(settings, args.insecure)
    ensure_database(settings)
    print(
        f"Tonewatch dashboard on http://{settings.dashboard_host}:{settings.dashboard_port}",
        flush=True,
    )
    return processes.supervise(
        [processes.dashboard_command(settings)], processes.child_environment(settings)
    )


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the shipped feed snapshots locally and run jobs and dashboard on a demo database."""
    demo_settings = with_changes(settings, allow_private_networks=True)
    with demo.serve_folder(demo.demo_feeds_folder()) as base_url:
        count = demo.watch_demo_feeds(demo_settings, base_url)
        print(
            f"Tonewatch demo: {count} real feed snapshots served from {base_url}; database "
            f"{demo_settings.db}; dashboard on http://{settings.dashboard_host}:"
            f"{settings.dashboard_port}  (Ctrl-C stops)",
            flush=True,
        )
        env = processes.child_environment(demo_settings, {"TONEWATCH_ALLOW_PRIVATE_NETWORKS": "1"})
        commands = [
            processes.jobs_command(demo_settings),
            processes.dashboard_command(demo_settings),
        ]
        return processes.supervise(commands, env)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    """Print the effective settings."""
    for name, value in describe(settings):
        print(f"{name}={value}")
    return 0


def register(sub: Any) -> None:
    """Add the commands that run Tonewatch."""
    insecure_help = "serve on a non-local address even without a password or OIDC sign-in"
    run = add_command(sub, "run", cmd_run, "run the jobs and the dashboard together")
    run.add_argument("--insecure", action="store_true", help=insecure_help)
    add_command(sub, "jobs", cmd_jobs, "run the scheduler alone")
    dashboard = add_command(
        sub, "dashboard", cmd_dashboard, "serve the dashboard alone (127.0.0.1 by default)"
    )
    dashboard.add_argument("--insecure", action="store_true", help=insecure_help)
    add_command(sub, "demo", cmd_demo, "offline demo on real feed snapshots (separate database)")
    add_command(sub, "config", cmd_config, "print the effective settings")
