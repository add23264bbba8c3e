"""`python -m jobs` is the `tonewatch` command."""

from jobs.cli import main

raise SystemExit(main())
