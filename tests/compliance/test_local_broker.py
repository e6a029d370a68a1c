"""The default broker (no CELERY_BROKER_URL): kombu's filesystem transport with an atomic publish."""

import os
import uuid

from kombu import Connection

from compliance.celery import LocalBrokerTransport


def queue_name():
    # kombu keeps the bindings it declared in memory for the whole process (one folder per
    # process in real use): a fresh queue name per test makes it bind in this test's folder.
    return f"reports-{uuid.uuid4().hex[:8]}"


def local_connection(folder):
    (folder / "queue").mkdir()
    return Connection(
        "filesystem://",
        transport=LocalBrokerTransport,
        transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        },
    )


def test_a_message_round_trips_through_the_folder(tmp_path):
    with local_connection(tmp_path) as conn:
        name = queue_name()
        queue = conn.SimpleQueue(name)
        queue.put({"job_id": 7})
        assert [p.name.endswith(f".{name}.msg") for p in (tmp_path / "queue").iterdir()] == [True]
        message = queue.get(timeout=2)
        assert message.payload == {"job_id": 7}
        message.ack()
        queue.close()
    assert list((tmp_path / "queue").iterdir()) == []


def test_a_message_is_never_visible_half_written(tmp_path, monkeypatch):
    """The file appears in the queue only by a rename, complete: a worker listing the folder
    at any moment finds no empty or partial message (kombu's own publish writes in place)."""
    seen_before_rename = []
    real_replace = os.replace

    def spy_replace(src, dst):
        seen_before_rename.extend(p.name for p in (tmp_path / "queue").iterdir() if p.name.endswith(".msg"))
        assert os.path.getsize(src) > 0
        return real_replace(src, dst)

    monkeypatch.setattr("compliance.celery.os.replace", spy_replace)
    with local_connection(tmp_path) as conn:
        queue = conn.SimpleQueue(queue_name())
        queue.put({"job_id": 8})
        assert seen_before_rename == []
        assert [p.name for p in (tmp_path / "queue").iterdir() if not p.name.endswith(".msg")] == []  # no .part left
        assert queue.get(timeout=2).payload == {"job_id": 8}
        queue.close()


def test_messages_are_taken_in_the_order_they_were_sent(tmp_path):
    with local_connection(tmp_path) as conn:
        queue = conn.SimpleQueue(queue_name())
        for n in range(5):
            queue.put({"n": n})
        got = []
        for _ in range(5):
            message = queue.get(timeout=2)
            got.append(message.payload["n"])
            message.ack()
        queue.close()
    assert got == [0, 1, 2, 3, 4]
