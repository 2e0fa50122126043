"""``python -m cli`` runs the ``toantrinh`` command."""

from cli.main import main

main()
