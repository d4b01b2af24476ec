"""kombu's file-system transport, with messages that appear whole.

kombu writes a message by opening its file in the queue's folder and then writing it, so a
worker polling the folder can take the file while it is still empty, fail to decode it and stop
(seen: a worker's consumer died on `JSONDecodeError`, and every later job waited for a lease to
run out). Here a message is written under a name no reader takes, then renamed into place:
a rename within one folder is atomic, so a reader sees the whole message or none.
"""
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put a message on `queue`: written aside, then renamed to the name kombu's reader looks for."""
        name = "{}_{}.{}.msg".format(int(round(monotonic() * 1000)), uuid.uuid4(), queue)
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.partial")  # ".": not `<anything>.<queue>.msg`
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            try:
                os.remove(partial)
            except OSError:
                pass
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
