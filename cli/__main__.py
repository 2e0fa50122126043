"""``python -m toantrinh.cli`` runs the ``toantrinh`` command."""

from toantrinh.cli.main import main

main()
