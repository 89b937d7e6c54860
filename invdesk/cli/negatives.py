"""Negative numbers as arguments: `invdesk issue SKU WH -1` must reach the quantity check.

click reads any token that starts with '-' as an option, so `-1` would be refused as "No such
option" with a usage block. Commands that take numbers as arguments use NumberArgsCommand, which
moves the options in front of a `--` so that every other token, `-1` included, is an argument.
"""

from __future__ import annotations

import re

import click

_NEGATIVE_NUMBER = re.compile(r"-[0-9][0-9.,_]*")


def _value_counts(command: click.Command, ctx: click.Context) -> dict[str, int]:
    """How many following tokens each option name consumes as its value."""
    counts: dict[str, int] = {}
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.is_flag and not param.count:
            for name in (*param.opts, *param.secondary_opts):
                counts[name] = param.nargs
    return counts


def negatives_as_arguments(
    command: click.Command, ctx: click.Context, args: list[str]
) -> list[str]:
    """`args` with options first, then `--`, then the arguments in their order (only if needed)."""
    takes = _value_counts(command, ctx)
    options: list[str] = []
    arguments: list[str] = []
    found = False
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            arguments.extend(args[index + 1 :])
            break
        if _NEGATIVE_NUMBER.fullmatch(token):
            arguments.append(token)
            found = True
        elif token.startswith("-") and len(token) > 1:
            # `--opt=value` and `-wVALUE` carry their value; `--opt value` takes the next token(s).
            count = takes.get(token, 0)
            options.extend(args[index : index + 1 + count])
            index += count
        else:
            arguments.append(token)
        index += 1
    return [*options, "--", *arguments] if found else args


class NumberArgsCommand(click.Command):
    """A command whose arguments may be negative numbers (refused later with a clear message)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, negatives_as_arguments(self, ctx, args))
