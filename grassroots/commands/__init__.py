"""One module per subcommand of the ``grassroots`` command line."""
