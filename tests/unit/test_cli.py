import pytest

from grassroots.cli import COMMANDS, build_parser, main


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([name, "--help"])
        assert exit_info.value.code == 0
        assert name in capsys.readouterr().out


def test_unknown_command_is_an_error():
    with pytest.raises(SystemExit):
        main(["no-such-command"])


def test_great_expectations_import_chatter_stays_out_of_the_log():
    import logging

    from grassroots.logs import configure

    configure(0)
    assert not logging.getLogger("great_expectations._docs_decorators").isEnabledFor(logging.INFO)
    assert logging.getLogger("grassroots").isEnabledFor(logging.INFO)
    configure(1)
    assert logging.getLogger("great_expectations").isEnabledFor(logging.WARNING)


def test_splink_progress_lines_stay_out_of_the_log():
    import logging

    from grassroots.logs import configure

    configure(0)
    assert not logging.getLogger("splink.internals.estimate_u").isEnabledFor(logging.INFO)
    assert logging.getLogger("splink").isEnabledFor(logging.WARNING)
