"""How screens run blocking work: in a thread, where a failure is reported and never ends the app.

Every worker of the app is declared with `background`. An exception that escapes
one (a locked or full database, a bug) is written to the log with its traceback
and posted to the app as `BackgroundFailed`, which shows it as a notification.
Textual's own policy, ending the app with WorkerFailed, is switched off, so a
meeting goes on when one load or save fails.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual import work
from textual.message_pump import MessagePump
from textual.worker import Worker

from tui.messages import BackgroundFailed

log = logging.getLogger("dayone")
log.propagate = False  # never onto the terminal the app draws on

Owner = TypeVar("Owner", bound=MessagePump)
Params = ParamSpec("Params")
Result = TypeVar("Result")


def background(
    what: str, *, group: str, exclusive: bool = False
) -> Callable[
    [Callable[Concatenate[Owner, Params], Result]], Callable[Concatenate[Owner, Params], Worker[Result | None]]
]:
    """A thread worker doing `what` ("load the review"); its failure becomes a message, not an exit."""

    def decorate(
        method: Callable[Concatenate[Owner, Params], Result],
    ) -> Callable[Concatenate[Owner, Params], Worker[Result | None]]:
        @functools.wraps(method)
        def run(self: Owner, *args: Params.args, **kwargs: Params.kwargs) -> Result | None:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:
                # A thread the executor starts while the app closes finds its workspace closed: nobody is left to
                # tell, and the log is closed too.
                if not getattr(self.app, "closing", False):
                    report_failure(self.app, what, error)
                return None

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(run)

    return decorate


def report_failure(app: Any, what: str, error: BaseException) -> None:
    """Log a failure with its traceback and tell the app, from any thread."""
    log.error("could not %s", what, exc_info=error)
    workspace = getattr(getattr(app, "workspace", None), "path", None)
    app.post_message(BackgroundFailed(what, describe(error, workspace)))


def describe(error: BaseException, workspace: Any = None) -> str:
    """One line for the user: the error's own words, with its kind when they are not a sentence of ours; a failure
    of the workspace file, the disk or an encoding names the file and what to do."""
    from tui.errors import DayoneError, explain

    explained = explain(error, workspace) if workspace is not None else None
    if explained:
        return explained
    text = " ".join(str(error).split()) or type(error).__name__

    return text if isinstance(error, DayoneError) else f"{type(error).__name__}: {text}"
