"""Stand-ins the tests share."""


class FakeHandle:
    """Stands in for the notebook's display handle: records what would be sent to the page."""

    def __init__(self):
        self.updates = []

    def update(self, obj):
        self.updates.append(obj.data)
