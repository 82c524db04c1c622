"""utils/notebook_client.py: a wait that misses its wake-up still returns the message
within a slice, and the overall timeout stays what the caller asked."""

import asyncio
import time
from queue import Empty

import pytest

from utils.notebook_client import NotebookClient, poll_in_slices


class MissesWakeUps:
    """A channel whose poll only sees messages that arrived before it started (the
    missed wake-up): a message arriving during a poll waits for the next poll."""

    def __init__(self, arrives_after):
        self.arrives_at = time.monotonic() + arrives_after
        self.polls = []

    async def get_msg(self, timeout=None):
        self.polls.append(timeout)
        if time.monotonic() >= self.arrives_at:
            return {"msg_type": "execute_reply"}
        await asyncio.sleep(timeout)
        raise Empty


def test_a_message_that_arrives_during_a_poll_is_read_at_the_next_slice():
    channel = poll_in_slices(MissesWakeUps(arrives_after=0.15), slice_seconds=0.05)
    start = time.monotonic()
    assert asyncio.run(channel.get_msg(timeout=30)) == {"msg_type": "execute_reply"}
    assert time.monotonic() - start < 2  # not the 30 s an unsliced wait would take
    assert max(channel.polls) <= 0.05


def test_without_slices_the_same_wait_lasts_its_whole_timeout():
    """The fake is faithful: unsliced, the message is missed until the timeout."""
    channel = MissesWakeUps(arrives_after=0.05)
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.3))
    assert time.monotonic() - start >= 0.3


def test_the_overall_timeout_is_kept():
    channel = poll_in_slices(MissesWakeUps(arrives_after=60), slice_seconds=0.05)
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.22))
    assert 0.2 <= time.monotonic() - start < 1
    assert channel.polls[-1] <= 0.05


def test_no_timeout_means_waiting_until_the_message_comes():
    channel = poll_in_slices(MissesWakeUps(arrives_after=0.12), slice_seconds=0.05)
    assert asyncio.run(channel.get_msg(timeout=None))["msg_type"] == "execute_reply"
    assert None not in channel.polls and len(channel.polls) >= 3


def test_the_grader_and_the_build_tool_use_the_sliced_client():
    import tools.notebooks
    import utils.grade  # imports nbclient only when grading

    assert tools.notebooks.NotebookClient is NotebookClient
    source = open(utils.grade.__file__, encoding="utf-8").read()
    assert "from .notebook_client import NotebookClient" in source
    assert "from nbclient import NotebookClient" not in source


@pytest.mark.slow  # starts a kernel
def test_a_real_kernels_channels_poll_in_slices_and_run_a_cell():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    seen = []

    def on_cell_start(cell, cell_index):
        seen.extend(
            channel.get_msg.__name__
            for channel in (client.kc.shell_channel, client.kc.iopub_channel)
        )

    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", on_cell_start=on_cell_start
    )
    client.execute()
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert seen == ["get_msg_in_slices"] * 2
    with client.setup_kernel():  # nbclient's synchronous way in
        assert client.kc.shell_channel.get_msg.__name__ == "get_msg_in_slices"
