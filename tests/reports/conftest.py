"""Fixtures of the reports tests."""

import pytest


class Broker:
    """Stands in for the message broker at the edge: records each published report task (its
    positional args and options) or, when `down`, refuses like an unreachable Redis."""

    def __init__(self):
        self.messages: list[tuple[tuple, dict]] = []  # (args, options) of each published task
        self.published: list[tuple] = []  # the args alone
        self.down = False

    def apply_async(self, args=None, kwargs=None, **options):
        if self.down:
            from kombu.exceptions import OperationalError

            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.messages.append((tuple(args or ()), options))
        self.published.append(tuple(args or ()))


@pytest.fixture
def broker(monkeypatch) -> Broker:
    from reports.tasks import build_report

    fake = Broker()
    monkeypatch.setattr(build_report, "apply_async", fake.apply_async)
    return fake
