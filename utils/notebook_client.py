"""nbclient's NotebookClient, with the kernel's replies polled in short slices.

Now and then nbclient's wait for a message misses its wake-up: the reply is due,
but the client and the kernel both sit idle until the wait's timeout (for a cell's
reply, the whole cell timeout: 2 minutes for the grader, after which the cell is
interrupted and recorded as timed out). In this course's test runs it happened in about
one full run in two, with ipykernel 6 and 7, each time while running chapter 1, whose
cells show widgets; jupyter/nbclient#312 reports the same with widgets. A poll that
starts anew sees a message that is already waiting, so each wait here is a series of
polls of at most :data:`SLICE` seconds, with the same overall timeout.
"""

import time
from queue import Empty

from nbclient import NotebookClient as _NotebookClient
from nbclient.util import run_sync

#: Longest single poll, in seconds: the most a missed wake-up can cost.
SLICE = 1.0


def poll_in_slices(channel, slice_seconds=SLICE):
    """Make ``channel.get_msg(timeout)`` (an async ZMQ channel of a kernel client)
    poll at most ``slice_seconds`` at a time until ``timeout`` (None: forever)."""
    get_msg = channel.get_msg

    async def get_msg_in_slices(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            wait = slice_seconds if left is None else max(0.0, min(slice_seconds, left))
            try:
                return await get_msg(timeout=wait)
            except Empty:
                if left is not None and left <= slice_seconds:
                    raise

    channel.get_msg = get_msg_in_slices
    return channel


class NotebookClient(_NotebookClient):
    """nbclient's client whose shell and IOPub waits poll in slices."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        poll_in_slices(client.shell_channel)
        poll_in_slices(client.iopub_channel)
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)
