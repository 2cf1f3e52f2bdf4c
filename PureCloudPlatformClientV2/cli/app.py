"""The command tree and the one place where failures become exit codes."""

from __future__ import annotations

import os
import sys

import click

from .._version import __version__
from . import output
from .connection import declare_connection_options
from .diagnostics import Unreachable
from .export import export
from .groups import groups
from .scim import NotFound
from .sync import sync
from .users import users

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Cli(click.Group):
    """The root group; a closed stdout (`purecloud-scim users list | head -1`) is turned into
    PipeClosed here, before click's own handler makes it exit 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, so that a pipe closed early is noticed while it can be handled
            return result
        except BrokenPipeError:
            raise PipeClosed() from None


class PipeClosed(Exception):
    """Whoever read stdout stopped reading."""


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="purecloud-scim")
@output.format_flags
@declare_connection_options
def cli(**options: object) -> None:
    """Manage Genesys Cloud users and groups over SCIM.

    \b
    Connection: --token, or --client-id and --client-secret, with --region or --host; or the
    environment variables GENESYSCLOUD_ACCESS_TOKEN, GENESYSCLOUD_OAUTHCLIENT_ID,
    GENESYSCLOUD_OAUTHCLIENT_SECRET, GENESYSCLOUD_REGION, GENESYSCLOUD_API_HOST. --sandbox runs
    the command against a local sandbox instead. These options, --debug and --table/--json/--csv
    go before the command or after it; given in both places, the command's own value wins.

    \b
    Exit codes: 0 ok (also when a reader such as `head` stops reading early), 1 API error (or
    failed rows), 2 usage error, bad input or unusable file, 130 interrupted.
    """
    output.chosen_format(options)  # --json --csv: a usage error here already


cli.add_command(users)
cli.add_command(groups)
cli.add_command(export)
cli.add_command(sync)


def run(argv: list[str]) -> int:
    from ..rest import ApiException

    try:
        code = cli.main(args=argv, prog_name="purecloud-scim", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:  # UsageError and BadParameter: 2
        error.show()
        return error.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        output.note("interrupted")
        return EXIT_INTERRUPTED
    except ApiException as error:
        output.note(output.describe_error(error))
        return EXIT_API
    except Unreachable as error:
        output.note(str(error))
        return EXIT_API
    except NotFound as error:
        output.note(f"error: {error}")
        return EXIT_API
    except (PipeClosed, BrokenPipeError):  # e.g. `purecloud-scim users list | head -1`: the reader has enough
        # Python's advice: point stdout at devnull, so that flushing it at exit fails no more
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # a stdout without a file descriptor (tests that capture it)
            pass
        return EXIT_OK
    except OSError as error:  # a path that cannot be read or written (--out, the journal, ...)
        output.note(f"error: {error}")
        return EXIT_USAGE
